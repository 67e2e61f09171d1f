import { FakeTyntec } from '@switchboard/tyntec-fake';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorEnvironment, startConnectorNode, type ConnectorNode } from '../testing';

const SECRET = 'webhook-input-secret-0123456789';
const BUSINESS = '4930777777';

const message = {
  messageId: 'wamid-input-1',
  event: 'MoMessage',
  from: '4917600042',
  to: BUSINESS,
  channel: 'whatsapp',
  content: { contentType: 'text', text: 'Hello' },
};

describe('what the webhook routes answer to input TynTec never sends', () => {
  let node: ConnectorNode;
  let fake: FakeTyntec;
  let dataDirectory: string;

  const post = (path: string, body: string) =>
    fetch(`${node.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  /** Posts, and checks nothing was stored: no inbox row, no dead letter, no chat. */
  async function postStoringNothing(path: string, body: string): Promise<Response> {
    const before = await node.repositories.webhookInbox.countAll();
    const chats = (await node.repositories.chats.list({})).length;
    const response = await post(path, body);
    await node.idle();
    expect(await node.repositories.webhookInbox.countAll()).toEqual(before);
    expect(await node.repositories.chats.list({})).toHaveLength(chats);
    return response;
  }

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-webhook-input-'));
    fake = new FakeTyntec({ apiKey: 'input-api-key', allowHttpCallbacks: true });
    node = await startConnectorNode(
      connectorEnvironment({ dataDirectory, secret: SECRET, tyntecUrl: await fake.start() }),
    );
    await node.addConnector({ phoneNumber: BUSINESS, apiKey: 'input-api-key' });
  });

  afterAll(async () => {
    await fake.stop();
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it.each([
    ['not JSON', '/incoming', '{"messageId": "broken-json-1",', 'not JSON'],
    ['a JSON string', '/incoming', '"MoMessage"', 'expected a JSON object'],
    ['a JSON array', '/delivery', '[{"event":"MessageStatus::seen"}]', 'expected a JSON object'],
    ['a number as event', '/delivery', '{"event":7,"messageId":"m"}', 'event: expected a string'],
    ['a number as messageId', '/incoming', JSON.stringify({ ...message, messageId: 5 }), 'messageId'],
    ['an object as from', '/incoming', JSON.stringify({ ...message, from: { number: 1 } }), 'from'],
    [
      'a number as text',
      '/incoming',
      JSON.stringify({ ...message, content: { contentType: 'text', text: 42 } }),
      'content.text',
    ],
    [
      'an array as a status message id',
      '/delivery',
      JSON.stringify({ event: 'MessageStatus::seen', messageId: ['m'] }),
      'messageId',
    ],
  ])('answers 400 to %s, naming the problem, and stores nothing', async (_label, path, body, problem) => {
    const response = await postStoringNothing(`${path}?secret=${SECRET}`, body);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as { outcome: string; detail: string };
    expect(answer.outcome).toBe('malformed');
    expect(answer.detail).toContain(problem);
  });

  it.each(['/INCOMING', '/Delivery', `/INCOMING/${SECRET}`])(
    'answers 404 to %s (Express matches it, the raw-body hook does not) and stores nothing',
    async (path) => {
      const response = await postStoringNothing(
        path.includes(SECRET) ? path : `${path}?secret=${SECRET}`,
        JSON.stringify({ ...message, messageId: 'wamid-upper-case' }),
      );
      expect(response.status).toBe(404);
    },
  );

  it('dead-letters a group event nested 5,000 levels deep with 200, on every retry', async () => {
    const deep = `{"event":"WhatsAppGroupEvent::userJoined","groupId":"deep-1","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await post(`/delivery?secret=${SECRET}`, deep);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ outcome: 'dead-letter' });
    }
    const letters = await node.repositories.webhookInbox.listDeadLetters(1000);
    expect(
      letters.filter((letter) => letter.rawBody.includes('deep-1')).map((letter) => letter.reason),
    ).toEqual([
      'invalid: (body): nested deeper than 32 levels',
      'invalid: (body): nested deeper than 32 levels',
    ]);
  });

  it('answers 413 to a 2 MiB body and stores nothing', async () => {
    const body = JSON.stringify({ ...message, padding: 'x'.repeat(2 * 1024 * 1024) });
    const response = await postStoringNothing(`/incoming?secret=${SECRET}`, body);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ outcome: 'too-large' });
  });
});
