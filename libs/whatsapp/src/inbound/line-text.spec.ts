import type { InboundContent } from '@switchboard/protocol';
import { createHash } from 'node:crypto';
import { lineText, MAX_LINE_TEXT_LENGTH, senderName, whatsappLineKey } from './line-text';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('what the agent reads of a WhatsApp message', () => {
  it.each([
    [{ type: 'text', text: 'Hi' }, 'Hi'],
    [{ type: 'media', mediaType: 'image', caption: 'my bill' }, '[image] my bill'],
    [{ type: 'location', latitude: 52.5, longitude: 13.4, name: 'Office' }, '[location] 52.5, 13.4 (Office)'],
    [
      { type: 'contacts', contacts: [{ name: { formattedName: 'Ann' } }, { name: 'Bob' }] },
      '[contacts] Ann, Bob',
    ],
    [{ type: 'postback', data: 'yes-1', text: 'Yes' }, '[button] Yes'],
    [
      { type: 'postback', data: 'list-1', title: 'Monday', description: 'morning' },
      '[button] Monday (morning)',
    ],
    [{ type: 'postback', data: 'yes-1' }, '[button] yes-1'],
    [
      {
        type: 'order',
        order: {
          catalogId: 'c-1',
          text: 'asap',
          items: [
            { productId: 'sku-1', quantity: '2', itemPrice: '9.50', currency: 'EUR' },
            { productId: 'sku-2', quantity: 1 },
          ],
        },
      },
      '[order] 2 × sku-1 à 9.50 EUR; 1 × sku-2 [catalogue c-1] — asap',
    ],
    [{ type: 'order', order: { items: [{ quantity: 3 }] } }, '[order] 3 × ?'],
    [{ type: 'order', order: {} }, '[order] no items'],
  ] satisfies Array<[InboundContent, string]>)('renders %j as %j', (content, text) => {
    expect(lineText(content)).toBe(text);
  });

  it('names the first 20 items of a large order and counts the rest', () => {
    const items = Array.from({ length: 25 }, (_, index) => ({ productId: `p${index}`, quantity: 1 }));
    const text = lineText({ type: 'order', order: { items } });
    expect(text).toContain('1 × p19; … 5 more');
    expect(text).not.toContain('p20');
  });

  it('cuts an account longer than the line limit (50 contacts with long names) with …', () => {
    const contacts = Array.from({ length: 50 }, () => ({ name: { formattedName: 'n'.repeat(1000) } }));
    const text = lineText({ type: 'contacts', contacts });
    expect(text).toHaveLength(MAX_LINE_TEXT_LENGTH);
    expect(text.endsWith('…')).toBe(true);
  });

  it('adds the link of a stored medium', () => {
    expect(lineText({ type: 'media', mediaType: 'document' }, 'https://x/media/a')).toBe(
      '[document] https://x/media/a',
    );
  });

  it('names the sender by WhatsApp name, else by number', () => {
    const base = {
      messageId: 'm',
      event: 'MoMessage',
      from: '4912345',
      content: { type: 'text', text: '' },
    } as const;
    expect(senderName({ ...base, senderName: ' Peter ' })).toBe('Peter');
    expect(senderName(base)).toBe('+4912345');
  });

  it('keys a line by the TynTec id, hashed when longer than the column', () => {
    expect(whatsappLineKey('abc', sha256)).toBe('wa:abc');
    const long = 'x'.repeat(200);
    expect(whatsappLineKey(long, sha256)).toBe(`wa#${sha256(long)}`);
    expect(whatsappLineKey(long, sha256).length).toBeLessThanOrEqual(128);
  });
});
