import { applicationPatchSchema, webhookConfiguration } from './application.schema';

describe('webhookConfiguration', () => {
  it("builds the seed's body: MoMessage to /incoming, statuses and group events to /delivery", () => {
    const body = webhookConfiguration('https://jtel-portal/', 'se cret&1');
    expect(body).toEqual({
      webhooks: [
        { events: ['MoMessage'], callbackUrl: 'https://jtel-portal/incoming?secret=se+cret%261' },
        {
          events: [
            'MessageStatus::accepted',
            'MessageStatus::delivered',
            'MessageStatus::seen',
            'MessageStatus::failed',
            'MessageStatus::channelFailed',
            'MessageStatus::deleted',
            'WhatsAppGroupEvent::userJoined',
            'WhatsAppGroupEvent::userLeft',
            'WhatsAppGroupEvent::subjectChanged',
            'WhatsAppGroupEvent::descriptionChanged',
          ],
          callbackUrl: 'https://jtel-portal/delivery?secret=se+cret%261',
        },
      ],
    });
    expect(applicationPatchSchema.safeParse(body).success).toBe(true);
  });

  it('keeps a base path', () => {
    const [incoming] = webhookConfiguration('https://example.com:8443/chat', 's').webhooks;
    expect(incoming.callbackUrl).toBe('https://example.com:8443/chat/incoming?secret=s');
  });

  it.each([
    ['http', 'http://jtel-portal', 's', 'must be https'],
    ['not a URL', 'jtel-portal', 's', 'must be https'],
    ['an empty secret', 'https://jtel-portal', '', 'secret'],
  ])('refuses %s', (_name, baseUrl, secret, message) => {
    expect(() => webhookConfiguration(baseUrl, secret)).toThrow(message);
  });

  it('takes an http base URL only when told to (the local fake TynTec)', () => {
    const [incoming] = webhookConfiguration('http://127.0.0.1:3000', 's', { allowHttp: true }).webhooks;
    expect(incoming.callbackUrl).toBe('http://127.0.0.1:3000/incoming?secret=s');
    expect(() => webhookConfiguration('ftp://x', 's', { allowHttp: true })).toThrow('must be https');
  });
});
