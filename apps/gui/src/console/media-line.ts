import { chooseServerUrl } from '../shared/server-url';

/** A WhatsApp medium in a chat line: what it is, its caption, and where the console loads it. */
export interface MediaLine {
  /** WhatsApp's kind (`image`, `document`, …); for an agent's own attachment, from the file's extension. */
  readonly mediaType: string;
  readonly caption: string;
  /** The stored medium on the server the console talks to. */
  readonly url: string;
  readonly isImage: boolean;
}

// The connector's stored names (libs/whatsapp media-files.ts): 128 random bits in hex and the
// extension of an allowed type.
const STORED_NAME = '[a-f0-9]{32}\\.(?:jpg|png|webp|gif|ogg|mp3|aac|m4a|mp4|3gp|pdf|txt)';
// A customer's medium, as the connector writes the line: `[image] caption https://…/whatsapp/media/<name>`.
const INBOUND = new RegExp(
  `^\\[([a-z]+)\\](?: ([\\s\\S]*?))? (https?://\\S+/whatsapp/media/${STORED_NAME})$`,
);
// An agent's attachment: `/attach <name> [caption]` as the console sends it, or with the medium's link.
const OUTBOUND = new RegExp(`^/attach (?:\\S*/whatsapp/media/)?(${STORED_NAME})(?: ([\\s\\S]*))?$`);
const IMAGE_EXTENSIONS = new Set(['jpg', 'png', 'webp', 'gif']);
const KIND_OF_EXTENSION: Record<string, string> = {
  ogg: 'audio',
  mp3: 'audio',
  aac: 'audio',
  m4a: 'audio',
  mp4: 'video',
  '3gp': 'video',
};

/**
 * The medium a line carries, or null for any other line. The link is moved to the server the
 * console talks to when it names a loopback host (ACD.Whatsapp.Server.Base.URL left at its
 * default on a server reached by another name): /whatsapp/ goes to the connector through HAProxy.
 */
export function mediaLine(text: string, serverUrl: string): MediaLine | null {
  const inbound = INBOUND.exec(text);
  if (inbound) {
    const link = new URL(inbound[3]);
    const origin = chooseServerUrl({ configured: link.origin, scriptUrl: serverUrl });
    const url = `${origin}${link.pathname}`;
    return { mediaType: inbound[1], caption: inbound[2] ?? '', url, isImage: isImageName(link.pathname) };
  }
  const outbound = OUTBOUND.exec(text);
  if (!outbound) return null;
  const name = outbound[1];
  const extension = name.slice(name.lastIndexOf('.') + 1);
  const isImage = IMAGE_EXTENSIONS.has(extension);
  return {
    mediaType: isImage ? 'image' : (KIND_OF_EXTENSION[extension] ?? 'document'),
    caption: outbound[2]?.trim() ?? '',
    url: `${new URL(serverUrl).origin}/whatsapp/media/${name}`,
    isImage,
  };
}

function isImageName(path: string): boolean {
  return IMAGE_EXTENSIONS.has(path.slice(path.lastIndexOf('.') + 1));
}

/** "12 KB", "3.4 MB": a file's size for people. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
