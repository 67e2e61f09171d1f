/** What an endpoint answered: its status and the start of its body. */
export interface WebhookResponse {
  readonly status: number;
  readonly body: string;
}

/** Why an attempt got no answer: a refused connection, a timeout…, without the URL or any header. */
export class WebhookSendError extends Error {}

/** The most of an answer's body read; the rest is dropped (a close answer is a few bytes). */
export const WEBHOOK_ANSWER_MAX_BYTES = 16 * 1024;

/**
 * The HTTP boundary of outbound webhooks: one POST, redirects not followed, the whole exchange
 * (connection, status, body) bounded by `timeoutMs`, the answer's body by {@link WEBHOOK_ANSWER_MAX_BYTES}.
 */
export class WebhookSender {
  async post(
    url: string,
    headers: Readonly<Record<string, string>>,
    body: string,
    timeoutMs: number,
  ): Promise<WebhookResponse> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal });
      return { status: response.status, body: await readBounded(response) };
    } catch (error) {
      throw new WebhookSendError(failureOf(error, timeoutMs));
    }
  }
}

async function readBounded(response: Response): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the rest of the body.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size >= WEBHOOK_ANSWER_MAX_BYTES) break;
  }
  return Buffer.concat(chunks).subarray(0, WEBHOOK_ANSWER_MAX_BYTES).toString('utf8');
}

// note: fetch's messages may name the URL (and so a token in its query); only the error's kind is kept.
// Fields are read, not `instanceof` checked: fetch's errors may come from another realm (a jest vm).
function failureOf(error: unknown, timeoutMs: number): string {
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: unknown };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = errorCode(cause);
  return code === undefined ? 'connection failed' : `connection failed (${code})`;
}

/** The system error code (ECONNREFUSED…) of a cause, or of the first of an AggregateError's errors. */
function errorCode(cause: unknown): string | undefined {
  const { code, errors } = (cause ?? {}) as { code?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  return Array.isArray(errors) ? errorCode(errors[0]) : undefined;
}
