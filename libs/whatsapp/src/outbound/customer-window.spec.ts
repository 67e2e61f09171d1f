import { outboundIntent, windowRefusal } from './customer-window';

const now = new Date('2026-01-05T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

describe('the customer care window', () => {
  it('lets a free-form reply through within the window', () => {
    expect(windowRefusal(outboundIntent('Hello'), hoursAgo(23.9), 24, now)).toBeNull();
  });

  it('refuses a free-form reply after the window, saying what to do instead', () => {
    const refusal = windowRefusal(outboundIntent('Hello'), hoursAgo(24), 24, now);
    expect(refusal).toContain("outside WhatsApp's 24-hour customer care window");
    expect(refusal).toContain('/template <templateId>');
  });

  it('refuses a free-form reply when the customer never wrote', () => {
    expect(windowRefusal(outboundIntent('Hello'), null, 24, now)).toContain('never wrote');
  });

  it('always lets a template through', () => {
    expect(windowRefusal(outboundIntent('/template order_update de'), hoursAgo(100), 24, now)).toBeNull();
  });

  it('reads a template command with and without a language, and leaves other lines as text', () => {
    expect(outboundIntent('/template order_update de')).toEqual({
      kind: 'template',
      templateId: 'order_update',
      language: 'de',
    });
    expect(outboundIntent(' /template welcome ')).toEqual({ kind: 'template', templateId: 'welcome' });
    expect(outboundIntent('/template')).toEqual({ kind: 'text', text: '/template' });
    expect(outboundIntent('see /template x')).toEqual({ kind: 'text', text: 'see /template x' });
  });

  it('reads an attachment by its media link or stored name, with an optional caption', () => {
    const name = `${'ab'.repeat(16)}.png`;
    expect(outboundIntent(`/attach http://agents.test/whatsapp/media/${name} Your parcel`)).toEqual({
      kind: 'media',
      storedName: name,
      caption: 'Your parcel',
    });
    expect(outboundIntent(`/attach ${name}`)).toEqual({ kind: 'media', storedName: name });
    expect(outboundIntent('/attach ../../etc/passwd')).toEqual({
      kind: 'text',
      text: '/attach ../../etc/passwd',
    });
    expect(windowRefusal(outboundIntent(`/attach ${name}`), hoursAgo(25), 24, now)).not.toBeNull();
  });
});
