/** What the console's file picker offers; the connector's allow-list decides (415 otherwise). */
export const UPLOAD_ACCEPT =
  'image/jpeg,image/png,image/webp,image/gif,audio/*,video/mp4,video/3gpp,application/pdf,text/plain';

export type UploadResult = { ok: true; attach: string } | { ok: false; message: string };

/**
 * Posts a file to the WhatsApp connector (`<server>/whatsapp/upload`, routed there by HAProxy) with
 * the agent's token; the answer is the `/attach <name>` command that sends the stored file.
 */
export async function uploadMedium(
  serverUrl: string,
  token: string,
  file: Blob,
  post: typeof fetch = fetch,
): Promise<UploadResult> {
  try {
    const response = await post(`${serverUrl}/whatsapp/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': file.type || 'application/octet-stream' },
      body: file,
    });
    const answer = (await response.json().catch(() => ({}))) as { attach?: unknown; message?: unknown };
    if (response.ok && typeof answer.attach === 'string') return { ok: true, attach: answer.attach };
    const reason = typeof answer.message === 'string' ? answer.message : `HTTP ${response.status}`;
    return { ok: false, message: `The file was not sent: ${reason}` };
  } catch {
    return { ok: false, message: 'The file was not sent: the server cannot be reached. Try again.' };
  }
}

/** The chat line that sends an uploaded file, with the agent's caption if any. */
export function attachLine(attach: string, caption: string): string {
  return caption.trim() ? `${attach} ${caption.trim()}` : attach;
}
