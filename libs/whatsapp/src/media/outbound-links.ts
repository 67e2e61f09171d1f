import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a link offered to WhatsApp stays valid: WhatsApp fetches it when the message is sent. @default 24 h */
export const OUTBOUND_LINK_TTL_MS = 24 * 3_600_000;

/** The path WhatsApp downloads agents' attachments from, under `ACD.Whatsapp.Whatsapp.Url`. */
export const OUTBOUND_ROUTE = 'whatsapp/outbound';

/**
 * Signed, expiring links to stored media for WhatsApp to download: the path names the file, the
 * query carries the expiry and an HMAC over both, so a link can be neither guessed nor extended.
 */
export class OutboundLinks {
  constructor(private readonly key: Buffer) {}

  static withRandomKey(): OutboundLinks {
    return new OutboundLinks(randomBytes(32));
  }

  link(baseUrl: string, storedName: string, now = Date.now()): string {
    const expires = now + OUTBOUND_LINK_TTL_MS;
    const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${OUTBOUND_ROUTE}/${storedName}`);
    url.searchParams.set('expires', String(expires));
    url.searchParams.set('signature', this.sign(storedName, expires));
    return url.toString();
  }

  /** True for a link this cluster signed that has not expired. */
  isValid(storedName: string, expires: unknown, signature: unknown, now = Date.now()): boolean {
    if (typeof expires !== 'string' || typeof signature !== 'string' || !/^\d{1,15}$/.test(expires))
      return false;
    if (Number(expires) <= now) return false;
    const expected = Buffer.from(this.sign(storedName, Number(expires)));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  private sign(storedName: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${storedName}\n${expires}`).digest('base64url');
  }
}
