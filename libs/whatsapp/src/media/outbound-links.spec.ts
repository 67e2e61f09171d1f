import { OUTBOUND_LINK_TTL_MS, OutboundLinks } from './outbound-links';

const name = `${'c'.repeat(32)}.jpg`;

describe('OutboundLinks', () => {
  const links = OutboundLinks.withRandomKey();
  const now = Date.parse('2026-01-05T12:00:00Z');

  const parts = (link: string) => {
    const url = new URL(link);
    return {
      path: url.pathname,
      expires: url.searchParams.get('expires'),
      signature: url.searchParams.get('signature'),
    };
  };

  it('makes an https link under the public base URL that is valid until it expires', () => {
    const link = links.link('https://portal.example/', name, now);
    const { path, expires, signature } = parts(link);
    expect(path).toBe(`/whatsapp/outbound/${name}`);
    expect(links.isValid(name, expires, signature, now + 1000)).toBe(true);
    expect(links.isValid(name, expires, signature, now + OUTBOUND_LINK_TTL_MS)).toBe(false);
  });

  it('refuses another file, a moved expiry, a foreign key and missing parts', () => {
    const { expires, signature } = parts(links.link('https://portal.example', name, now));
    expect(links.isValid(`${'d'.repeat(32)}.jpg`, expires, signature, now)).toBe(false);
    expect(links.isValid(name, String(Number(expires) + 1), signature, now)).toBe(false);
    expect(OutboundLinks.withRandomKey().isValid(name, expires, signature, now)).toBe(false);
    expect(links.isValid(name, undefined, signature, now)).toBe(false);
    expect(links.isValid(name, expires, ['a'], now)).toBe(false);
  });
});
