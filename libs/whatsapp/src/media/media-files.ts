import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

/** Content types the connector stores and serves, with the extension each is stored under. */
export const ALLOWED_MEDIA_TYPES: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
};

/** WhatsApp's own limit for documents is 100 MB; media for agents are kept far smaller. @default 16 MiB */
export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;

/** A stored file's name: 128 random bits and the extension of an allowed type, nothing else. */
const STORED_NAME = /^[a-f0-9]{32}\.[a-z0-9]{2,4}$/;

const typeOfExtension = new Map(
  Object.entries(ALLOWED_MEDIA_TYPES).map(([type, extension]) => [extension, type]),
);

/**
 * Media files under `<DATADIR>/whatsapp-media`: written under unguessable names, and read back only
 * by a name of exactly that shape, so no request can reach a file outside that folder.
 */
export class MediaFiles {
  readonly folder: string;

  constructor(dataDirectory: string) {
    this.folder = resolve(dataDirectory, 'whatsapp-media');
  }

  /** Stores the bytes of an allowed type; returns the stored name. Throws for a type not on the allow-list. */
  async save(contentType: string, data: Buffer): Promise<string> {
    const extension = ALLOWED_MEDIA_TYPES[contentType];
    if (extension === undefined) throw new Error(`content type ${contentType} is not on the allow-list`);
    if (data.length > MAX_MEDIA_BYTES)
      throw new Error(`${data.length} bytes exceed the limit of ${MAX_MEDIA_BYTES}`);
    await mkdir(this.folder, { recursive: true });
    const name = `${randomBytes(16).toString('hex')}.${extension}`;
    await writeFile(join(this.folder, name), data, { flag: 'wx' });
    return name;
  }

  /** The path and content type of a stored name; null for any other name. */
  locate(name: string): { path: string; contentType: string } | null {
    if (!STORED_NAME.test(name)) return null;
    const contentType = typeOfExtension.get(name.slice(name.lastIndexOf('.') + 1));
    const path = resolve(this.folder, name);
    if (contentType === undefined || !path.startsWith(this.folder + sep)) return null;
    return { path, contentType };
  }
}
