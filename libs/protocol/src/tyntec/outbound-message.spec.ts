import { sendMessageAcceptedSchema, sendMessageRequestSchema } from './outbound-message.schema';
import { isE164 } from './tyntec-common';

const send = (whatsapp: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  to: '12331132',
  channels: ['whatsapp'],
  whatsapp: { from: '1233423454', ...whatsapp },
  ...extra,
});

describe('sendMessageRequestSchema', () => {
  it.each([
    ['the reference text example', send({ contentType: 'text', text: 'hi!' })],
    ['a 4096 character text', send({ contentType: 'text', text: 'x'.repeat(4096) })],
    [
      'media',
      send({
        contentType: 'media',
        media: { type: 'image', url: 'https://example.com/a.png', caption: 'a' },
      }),
    ],
    [
      'a template',
      send({
        contentType: 'template',
        template: {
          templateId: 'welcome',
          language: { policy: 'deterministic', code: 'en' },
          components: [],
        },
      }),
    ],
    ['a location', send({ contentType: 'location', location: { latitude: 1, longitude: 2 } })],
    ['contacts', send({ contentType: 'contacts', contacts: [{ name: { formattedName: 'Jane' } }] })],
    [
      'a userContext of 255',
      send({ contentType: 'text', text: 'a' }, { context: { userContext: 'u'.repeat(255) } }),
    ],
  ])('accepts %s', (_name, body) => {
    expect(sendMessageRequestSchema.safeParse(body).success).toBe(true);
  });

  it.each([
    ['a text over 4096', send({ contentType: 'text', text: 'x'.repeat(4097) }), 'whatsapp.text'],
    ['an empty text', send({ contentType: 'text', text: '' }), 'whatsapp.text'],
    ['an http media url', send({ contentType: 'media', media: { type: 'image', url: 'http://x/a' } }), 'url'],
    [
      'a userContext of 256',
      send({ contentType: 'text', text: 'a' }, { context: { userContext: 'u'.repeat(256) } }),
      'userContext',
    ],
    ['a non-E.164 recipient', { ...send({ contentType: 'text', text: 'a' }), to: '0049 123' }, 'to'],
    ['another channel', { ...send({ contentType: 'text', text: 'a' }), channels: ['sms'] }, 'channels'],
    ['an unknown content type', send({ contentType: 'carousel' }), 'contentType'],
  ])('rejects %s', (_name, body, field) => {
    const result = sendMessageRequestSchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).join(' ')).toContain(field);
  });
});

describe('sendMessageAcceptedSchema', () => {
  it('reads the 202 answer', () => {
    const answer = { messageId: '77185196-664a-43ec-b14a-fe97036c697e', acceptedAt: '2019-06-26T11:41:28Z' };
    expect(sendMessageAcceptedSchema.parse(answer)).toEqual(answer);
  });
});

describe('isE164', () => {
  it.each(['+4912345678901', '4912345678901', '+1234', '123456789012345'])('accepts %s', (number) => {
    expect(isE164(number)).toBe(true);
  });
  it.each(['', '+', '0049123', '+0123', '+1234567890123456', '49 123 45', '+49-123', '1'])(
    'rejects %j',
    (number) => {
      expect(isE164(number)).toBe(false);
    },
  );
});
