import { GROUP_EXAMPLES, INCOMING_EXAMPLES, STATUS_EXAMPLES } from './tyntec-examples';
import { dedupeKey, parseDeliveryWebhook, parseIncomingWebhook } from './parse-webhook';

const text = INCOMING_EXAMPLES.text;

describe('parseIncomingWebhook', () => {
  it.each(Object.entries(INCOMING_EXAMPLES))('reads the %s example', (_name, body) => {
    expect(parseIncomingWebhook(body)).toMatchObject({ kind: 'message' });
  });

  it('normalizes a text message', () => {
    expect(parseIncomingWebhook({ ...text, unknownField: 1 })).toEqual({
      kind: 'message',
      dedupeKey: 'mo:77185196-664a-43ec-b14a-fe97036c697e',
      message: {
        messageId: '77185196-664a-43ec-b14a-fe97036c697e',
        event: 'MoMessage',
        from: '49123512314',
        to: '49123512315',
        timestamp: '2019-06-26T11:41:00',
        senderName: 'Peter',
        content: { type: 'text', text: 'Hi, thanks for your support message' },
      },
    });
  });

  it.each([
    ['media (receivedAt as timestamp)', 'media', { timestamp: '2019-06-26T11:42:00' }],
    ['reply context', 'reply', { replyToMessageId: '77185196-664a-43ec-b14a-fe97036c697e' }],
  ])('maps the %s', (_name, example, expected) => {
    const result = parseIncomingWebhook(INCOMING_EXAMPLES[example]);
    expect(result.kind === 'message' && result.message).toMatchObject(expected);
  });

  // Field names as in TynTec's webhook-events-v2.yaml (MoContent, MoMedia, Location, Contact,
  // PostBack + WhatsAppPostBack, Order + SelectedProduct): every field of each content type arrives.
  it.each([
    ['text', { type: 'text', text: 'Hi, thanks for your support message' }],
    [
      'media',
      {
        type: 'media',
        mediaType: 'image',
        url: 'https://api.tyntec.com/messaging/v1/chat/media/0b7b3d2c',
        mediaId: '0b7b3d2c',
        caption: 'my receipt',
      },
    ],
    [
      'location',
      { type: 'location', latitude: 50.11, longitude: 8.68, name: 'Office', address: 'Frankfurt' },
    ],
    ['contacts', { type: 'contacts', contacts: [{ name: { formattedName: 'Jane Doe' } }] }],
    ['postbackEnumSpelling', { type: 'postback', data: 'EventVisitChristmas' }],
    [
      'postbackExampleSpelling',
      {
        type: 'postback',
        data: 'list-1',
        text: 'I liked the event',
        title: 'Monday',
        description: 'morning slot',
      },
    ],
    // Every field of every item, as sent.
    ['order', { type: 'order', order: INCOMING_EXAMPLES.order.order }],
  ])('keeps every field of the %s content', (example, content) => {
    const result = parseIncomingWebhook(INCOMING_EXAMPLES[example]);
    expect(result.kind === 'message' && result.message.content).toEqual(content);
  });

  it('reads an order also when it comes inside content', () => {
    const { order, ...rest } = INCOMING_EXAMPLES.order;
    const result = parseIncomingWebhook({ ...rest, content: { contentType: 'order', order } });
    expect(result.kind === 'message' && result.message.content).toMatchObject({ type: 'order', order });
  });

  it.each([
    ['a missing event', { ...text, event: undefined }, 'event'],
    ['a missing messageId', { ...text, messageId: undefined }, 'messageId'],
    ['an oversized messageId', { ...text, messageId: 'x'.repeat(257) }, 'messageId'],
    ['a missing from', { ...text, from: undefined }, 'from'],
    [
      'a text over 4096 characters',
      { ...text, content: { contentType: 'text', text: 'x'.repeat(4097) } },
      'content.text',
    ],
    ['a MoMessage without content', { ...text, content: undefined }, 'content: required'],
    ['a postback without postback', { ...text, event: 'MoMessage::PostBack' }, 'postback: required'],
    [
      'a location out of range',
      {
        ...INCOMING_EXAMPLES.location,
        content: { contentType: 'location', location: { latitude: 91, longitude: 0 } },
      },
      'content.location.latitude',
    ],
  ])('rejects %s as invalid, naming the field', (_name, body, field) => {
    const result = parseIncomingWebhook(body);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.problems.join('\n')).toContain(field);
  });

  it.each([
    ['a status event', STATUS_EXAMPLES.delivered, 'event MessageStatus::delivered is not an inbound message'],
    ['another channel', { ...text, channel: 'viber' }, 'channel viber is not whatsapp'],
    ['an unknown content type', { ...text, content: { contentType: 'sticker' } }, 'content type sticker'],
    [
      'an unknown media type',
      { ...text, content: { contentType: 'media', media: { type: 'sticker' } } },
      'media type sticker',
    ],
  ])('reports %s as unsupported', (_name, body, reason) => {
    const result = parseIncomingWebhook(body);
    expect(result.kind === 'unsupported' && result.reason).toContain(reason);
  });
});

describe('bodies TynTec never sends (answered 400, not stored)', () => {
  const parsers = { incoming: parseIncomingWebhook, delivery: parseDeliveryWebhook };
  it.each([
    ['incoming', 'a non-object body', 'hello', '(body)'],
    ['incoming', 'an array body', [text], '(body)'],
    ['incoming', 'a numeric messageId', { ...text, messageId: 5 }, 'messageId'],
    [
      'incoming',
      'an object as text',
      { ...text, content: { contentType: 'text', text: {} } },
      'content.text',
    ],
    ['incoming', 'a number as content type', { ...text, content: { contentType: 3 } }, 'content.contentType'],
    ['delivery', 'a non-object body', null, '(body)'],
    ['delivery', 'a numeric event', { event: 7 }, 'event'],
    ['delivery', 'a list as details', { ...STATUS_EXAMPLES.failed, details: ['x'] }, 'details'],
  ] as const)('%s: %s is malformed, naming the field', (route, _name, body, field) => {
    const result = parsers[route](body);
    expect(result.kind).toBe('malformed');
    expect(result.kind === 'malformed' && result.problems.join('\n')).toContain(field);
  });

  it.each([
    ['a missing field', { ...text, from: undefined }],
    ['a null field', { ...text, from: null }],
    ['a missing event', { messageId: 'm' }],
    ['a text too long', { ...text, content: { contentType: 'text', text: 'x'.repeat(4097) } }],
  ])('%s is invalid (well-formed: dead-lettered with 2xx), not malformed', (_name, body) => {
    expect(parseIncomingWebhook(body).kind).toBe('invalid');
  });

  it('refuses a body nested deeper than 32 levels without overflowing the stack, whatever its event', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    for (const event of ['WhatsAppGroupEvent::userJoined', 'MessageStatus::seen'])
      expect(parseDeliveryWebhook({ event, x: deep })).toEqual({
        kind: 'invalid',
        problems: ['(body): nested deeper than 32 levels'],
      });
    expect(parseIncomingWebhook({ ...text, x: deep }).kind).toBe('invalid');
  });
});

describe('parseDeliveryWebhook', () => {
  it.each(Object.entries(STATUS_EXAMPLES))('reads the %s status example', (_name, body) => {
    expect(parseDeliveryWebhook(body)).toMatchObject({ kind: 'status' });
  });

  it('keeps details and userContext, drops the deprecated fields', () => {
    expect(parseDeliveryWebhook(STATUS_EXAMPLES.channelFailed)).toEqual({
      kind: 'status',
      dedupeKey: 'status:m-1:channelFailed',
      status: {
        messageId: 'm-1',
        status: 'channelFailed',
        channel: 'whatsapp',
        details: { code: 'whatsapp::error:1013', message: 'User is not valid' },
      },
    });
    const deprecated = parseDeliveryWebhook(STATUS_EXAMPLES.deprecatedFields);
    expect(deprecated.kind === 'status' && deprecated.status).toEqual({
      messageId: 'm-2',
      status: 'delivered',
    });
  });

  it.each(Object.entries(GROUP_EXAMPLES))('records the %s group event', (name, body) => {
    expect(parseDeliveryWebhook(body)).toMatchObject({ kind: 'group', event: { name, body } });
  });

  it('never fails on a group event, however odd', () => {
    const odd = { event: 'WhatsAppGroupEvent::', groupId: 42, timestamp: null, deep: [{ a: [] }] };
    expect(parseDeliveryWebhook(odd)).toMatchObject({ kind: 'group', event: { name: '', body: odd } });
  });

  it.each([
    ['a missing messageId', { ...STATUS_EXAMPLES.delivered, messageId: undefined }, 'messageId'],
    [
      'an oversized userContext',
      { ...STATUS_EXAMPLES.delivered, userContext: 'u'.repeat(256) },
      'userContext',
    ],
  ])('rejects %s as invalid', (_name, body, field) => {
    const result = parseDeliveryWebhook(body);
    expect(result.kind === 'invalid' && result.problems.join('\n')).toContain(field);
  });

  it.each([
    [
      'an unknown status',
      { event: 'MessageStatus::exploded', messageId: 'm' },
      'status exploded is not known',
    ],
    ['an inbound message', INCOMING_EXAMPLES.text, 'event MoMessage is not a status or group event'],
  ])('reports %s as unsupported', (_name, body, reason) => {
    expect(parseDeliveryWebhook(body)).toEqual({ kind: 'unsupported', reason });
  });
});

describe('dedupeKey', () => {
  it('gives a group event the same key whatever the order of its fields', () => {
    const reordered = { users: ['49123512316'], groupId: 'g-1', event: 'WhatsAppGroupEvent::userLeft' };
    expect(dedupeKey({ kind: 'group', body: reordered })).toBe(
      dedupeKey({ kind: 'group', body: GROUP_EXAMPLES.userLeft }),
    );
  });

  it('tells apart group events that differ in one field', () => {
    const other = { ...GROUP_EXAMPLES.userLeft, users: ['49123512317'] };
    expect(dedupeKey({ kind: 'group', body: other })).not.toBe(
      dedupeKey({ kind: 'group', body: GROUP_EXAMPLES.userLeft }),
    );
  });

  it('keys statuses by message and status, messages by id', () => {
    expect(dedupeKey({ kind: 'status', messageId: 'm', status: 'seen' })).toBe('status:m:seen');
    expect(dedupeKey({ kind: 'message', messageId: 'm' })).toBe('mo:m');
  });
});
