// The example payloads of TynTec's v2 spec (and docs/whatsapp.md), with the corrections of
// REFERENCE.md: fixtures for the parser specs and the seeds of the fuzz test.

export const INCOMING_EXAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  text: {
    messageId: '77185196-664a-43ec-b14a-fe97036c697e',
    event: 'MoMessage',
    from: '49123512314',
    to: '49123512315',
    timestamp: '2019-06-26T11:41:00',
    channel: 'whatsapp',
    content: { contentType: 'text', text: 'Hi, thanks for your support message' },
    whatsapp: { senderName: 'Peter' },
  },
  media: {
    messageId: '77185196-664a-43ec-b14a-fe97036c6980',
    event: 'MoMessage',
    from: '49123512314',
    receivedAt: '2019-06-26T11:42:00',
    channel: 'whatsapp',
    content: {
      contentType: 'media',
      media: {
        type: 'image',
        url: 'https://api.tyntec.com/messaging/v1/chat/media/0b7b3d2c',
        mediaId: '0b7b3d2c',
        caption: 'my receipt',
      },
    },
  },
  location: {
    messageId: 'ABGGFlA5FpafAgo6EhgWr2mthbQT2LgldkL7',
    event: 'MoMessage',
    from: '49123512314',
    channel: 'whatsapp',
    content: {
      contentType: 'location',
      location: { latitude: 50.11, longitude: 8.68, name: 'Office', address: 'Frankfurt' },
    },
  },
  contacts: {
    messageId: 'ABGGFlA5FpafAgo6EhgWr2mthbQT2LgldkL8',
    event: 'MoMessage',
    from: '49123512314',
    channel: 'whatsapp',
    content: { contentType: 'contacts', contacts: [{ name: { formattedName: 'Jane Doe' } }] },
  },
  reply: {
    messageId: 'ABGGFlA5FpafAgo6EhgWr2mthbQT2LgldkL9',
    event: 'MoMessage',
    from: '49123512314',
    channel: 'whatsapp',
    content: { contentType: 'text', text: 'Yes, that one' },
    context: { messageId: '77185196-664a-43ec-b14a-fe97036c697e' },
  },
  postbackEnumSpelling: {
    messageId: 'ABGHSRdiRDUxLwIQHWZNgHd-WIdpPHTMERqTgQ',
    event: 'MoMessage::Postback',
    from: '49123512314',
    channel: 'whatsapp',
    postback: { data: 'EventVisitChristmas' },
  },
  // The button's caption and a list item's title/description come in `whatsapp` (WhatsAppPostBack).
  postbackExampleSpelling: {
    messageId: 'ABGHSRdiRDUxLwIQHWZNgHd-WIdpPHTMERqTgR',
    event: 'MoMessage::PostBack',
    from: '49123512314',
    to: '49123512315',
    channel: 'whatsapp',
    timestamp: '2021-03-11T12:05:55Z',
    postback: { data: 'list-1' },
    context: { messageId: 'b2c9c5a4-0000-4000-8000-000000000001' },
    whatsapp: {
      senderName: 'open api sample',
      text: 'I liked the event',
      title: 'Monday',
      description: 'morning slot',
    },
  },
  // webhook-events-v2.yaml `MoMessageOrder`: `order` beside the event (not in `content`), `items`.
  order: {
    messageId: 'ABGHSRdiRDUxLwIQHWZNgHd-WIdpPHTMERqTgS',
    event: 'MoMessage::Order',
    from: '49123512314',
    to: '49123512315',
    timestamp: '2019-06-26T11:41:00',
    channel: 'whatsapp',
    order: {
      catalogId: '2378972934234',
      text: 'Please let me know where I can pick up the order.',
      items: [
        { productId: '24-2597234-sdfk', quantity: 123, itemPrice: 123.22, currency: 'EUR' },
        { productId: '24-1111134-sdfk', quantity: '1', itemPrice: '1.22', currency: 'USD' },
      ],
    },
    whatsapp: { senderName: 'Test User' },
  },
};

export const STATUS_EXAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  delivered: {
    event: 'MessageStatus::delivered',
    messageId: '77185196-664a-43ec-b14a-fe97036c697e',
    channel: 'whatsapp',
    userContext: 'my-message-reference',
    timestamp: '2019-06-26T11:41:28Z',
  },
  accepted: { event: 'MessageStatus::accepted', messageId: 'm-1', channel: 'whatsapp' },
  seen: {
    event: 'MessageStatus::seen',
    messageId: 'm-1',
    channel: 'whatsapp',
    timestamp: '2019-06-26T11:42Z',
  },
  failed: {
    event: 'MessageStatus::failed',
    messageId: 'm-1',
    channel: 'whatsapp',
    details: { code: 'tyntec::error:noChannelAvailable', message: 'no channel left' },
  },
  channelFailed: {
    event: 'MessageStatus::channelFailed',
    messageId: 'm-1',
    channel: 'whatsapp',
    details: { code: 'whatsapp::error:1013', message: 'User is not valid' },
  },
  deleted: {
    event: 'MessageStatus::deleted',
    messageId: 'ABGGFlA5FpafAgo6EhgWr2mthbQT2LgldkL7',
    channel: 'whatsapp',
    from: '49123512314',
    to: '49123512315',
    status: 'deleted',
  },
  unknown: { event: 'MessageStatus::unknown', messageId: 'm-1', channel: 'whatsapp' },
  deprecatedFields: {
    event: 'MessageStatus::delivered',
    messageId: 'm-2',
    status: 'delivered',
    deliveryChannel: 'whatsapp',
    someFutureField: { nested: true },
  },
};

export const GROUP_EXAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  userJoined: {
    event: 'WhatsAppGroupEvent::userJoined',
    groupId: '49123512314-1585830000',
    timestamp: '2020-04-02T12:00:00Z',
    users: ['49123512316'],
  },
  userLeft: { event: 'WhatsAppGroupEvent::userLeft', groupId: 'g-1', users: ['49123512316'] },
  subjectChanged: { event: 'WhatsAppGroupEvent::subjectChanged', groupId: 'g-1', subject: 'Support' },
  descriptionChanged: { event: 'WhatsAppGroupEvent::descriptionChanged', groupId: 'g-1', description: 1 },
  iconChanged: { event: 'WhatsAppGroupEvent::iconChanged' },
};
