import { ParameterService } from '@switchboard/config';
import { dropMysqlDatabase, type ChatLineRecord, type ChatRecord } from '@switchboard/persistence';
import type { ClusterEventOf, LineDelivery } from '@switchboard/protocol';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorEnvironment, pointTyntecAt, startConnectorNode, type ConnectorNode } from '../testing';

const SECRET = 'exactly-once-secret-0123456789';
const API_KEY = 'exactly-once-api-key';
const BUSINESS = '4930765499';
/** The connector gives up on TynTec's answer after this long; the fake's late answers come after it. */
const CLIENT_TIMEOUT_MS = 400;

// Outbound WhatsApp, exactly once (MariaDB, local TynTec): a send TynTec accepted but answered late,
// or whose connection dropped, is never resent; TynTec's status webhook (by userContext) settles it.
describe('agents’ WhatsApp lines reach the customer exactly once (MariaDB)', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  let node: ConnectorNode;
  let fake: FakeTyntec;
  let dataDirectory: string;
  let environment: Record<string, string>;
  let customerSeed = 0;
  const nextCustomer = () => `4917711${String(1000 + (customerSeed += 1))}`;

  const sentTo = (customer: string) => fake.sent.filter((sent) => sent.request.to === customer);
  const textsTo = (customer: string) =>
    sentTo(customer).map((sent) => (sent.request.whatsapp as { text: string }).text);
  const deliveries = (on: ConnectorNode, chatUid: string): LineDelivery[] =>
    on.events
      .filter((event): event is ClusterEventOf<'chat.delivery'> => event.type === 'chat.delivery')
      .map((event) => event.delivery)
      .filter((delivery) => delivery.chatUid === chatUid);
  const lineState = async (on: ConnectorNode, lineId: number) =>
    on.repositories.whatsappLines.findByLineId(lineId);

  async function startNode(): Promise<ConnectorNode> {
    const started = await startConnectorNode(environment);
    // The fake's webhooks follow the node (its port changes with a restart).
    expect(await pointTyntecAt(fake.baseUrl, API_KEY, started, SECRET)).toBe(204);
    return started;
  }

  /** A customer's WhatsApp chat, opened by their first message. */
  async function customerChat(): Promise<{ customer: string; chat: ChatRecord }> {
    const customer = nextCustomer();
    fake.injectInbound({ from: customer, to: BUSINESS, content: { contentType: 'text', text: 'Hello' } });
    await fake.settled();
    let chat: ChatRecord | undefined;
    await node.until('the chat', async () => {
      chat = (await node.repositories.chats.list({})).find((candidate) => candidate.visitorKey === customer);
      return chat !== undefined;
    });
    return { customer, chat: chat! };
  }

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-exactly-once-'));
    fake = new FakeTyntec({
      apiKey: API_KEY,
      allowHttpCallbacks: true,
      statusDelayMs: 150,
      retryDelayMs: 50,
      lateAnswerMs: CLIENT_TIMEOUT_MS + 600,
    });
    const tyntec = await fake.start();
    environment = {
      ...connectorEnvironment({ dataDirectory, secret: SECRET, tyntecUrl: tyntec }),
      SWITCHBOARD_DATABASE_URL: databaseUrl,
      SWITCHBOARD_DRAIN_MS: '0',
      SWITCHBOARD_NODE_ID: 'whatsapp-connector-1',
      SWITCHBOARD_WHATSAPP_TYNTEC_TIMEOUT_MS: String(CLIENT_TIMEOUT_MS),
    };
    node = await startNode();
    await node.addConnector({ phoneNumber: BUSINESS, apiKey: API_KEY });
  });

  afterAll(async () => {
    await fake?.stop();
    await node?.app.close();
    await dropMysqlDatabase(databaseUrl);
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('sends each line once when TynTec accepts but answers after the timeout; the status webhook settles each as delivered', async () => {
    const { customer, chat } = await customerChat();
    fake.misbehave({ answerLateNext: 3 });
    const texts = ['one', 'two', 'three'];
    const lines: ChatLineRecord[] = [];
    for (const text of texts) lines.push(await node.agentLine(chat, text));
    await node.until(
      'every line to be seen',
      async () =>
        (await Promise.all(lines.map((line) => lineState(node, line.id)))).every(
          (state) => state?.deliveryState === 'seen',
        ),
      20_000,
    );
    // Let the late answers land and every retry window pass, then look again.
    await fake.settled();
    await node.sweep();
    await node.idle();
    expect(textsTo(customer)).toEqual(texts);
    for (const [index, line] of lines.entries()) {
      expect(await lineState(node, line.id)).toMatchObject({
        sendState: 'sent',
        deliveryState: 'seen',
        attempts: 1,
        tyntecMessageId: sentTo(customer)[index].messageId,
      });
      expect(
        deliveries(node, chat.chatUid).filter((delivery) => delivery.sequence === line.sequence),
      ).toContainEqual(expect.objectContaining({ state: 'delivered' }));
    }
  });

  it('tells the agent a line is unknown when the connection drops after TynTec accepted it, then delivered from the status', async () => {
    const { customer, chat } = await customerChat();
    fake.misbehave({ dropAfterAcceptNext: 1 });
    const line = await node.agentLine(chat, 'dropped');
    await node.until(
      'the line to be seen',
      async () => (await lineState(node, line.id))?.deliveryState === 'seen',
    );
    await fake.settled();
    await node.sweep();
    await node.idle();
    expect(textsTo(customer)).toEqual(['dropped']);
    expect(await lineState(node, line.id)).toMatchObject({
      sendState: 'sent',
      tyntecMessageId: sentTo(customer)[0].messageId,
    });
    const states = deliveries(node, chat.chatUid).map((delivery) => delivery.state);
    expect(states[0]).toBe('unknown');
    expect(states).toEqual(expect.arrayContaining(['accepted', 'delivered', 'seen']));
  });

  it('does not resend an unknown line after a restart of the connector; the late status settles it on the new one', async () => {
    const { customer, chat } = await customerChat();
    fake.misbehave({ dropAfterAcceptNext: 1, holdStatuses: true });
    const line = await node.agentLine(chat, 'before the restart');
    await node.until(
      'the line to be unknown',
      async () => (await lineState(node, line.id))?.sendState === 'unknown',
    );
    await node.app.close();
    node = await startNode();
    await node.sweep();
    await node.idle();
    expect(textsTo(customer)).toEqual(['before the restart']);
    expect(await lineState(node, line.id)).toMatchObject({ sendState: 'unknown', attempts: 1 });
    fake.releaseStatuses();
    await node.until(
      'the line to be delivered',
      async () => (await lineState(node, line.id))?.deliveryState === 'seen',
    );
    expect(await lineState(node, line.id)).toMatchObject({
      sendState: 'sent',
      tyntecMessageId: sentTo(customer)[0].messageId,
    });
    expect(textsTo(customer)).toEqual(['before the restart']);
  });

  it('never resends a line whose connector died while sending it; without a status in time the agent sees it unconfirmed', async () => {
    const { customer, chat } = await customerChat();
    const { chatLines, whatsappLines } = node.repositories;
    // What a connector killed in the middle of its POST leaves behind: the line `sending`, leased.
    const line = await chatLines.append(chat.id, {
      senderKind: 'operator',
      senderName: 'Agent',
      text: 'mid-send',
    });
    await whatsappLines.enqueueOutbound(line.id, chat.id);
    await whatsappLines.claimNextForSending(chat.id, 1);
    await whatsappLines.markSending(line.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await node.app.get(ParameterService).set('ACD.Chat.WhatsApp.DeliveryConfirmation.Seconds', '1', 'spec');
    try {
      await node.sweep();
      await node.idle();
      expect(await lineState(node, line.id)).toMatchObject({ sendState: 'unknown' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await node.sweep();
      await node.idle();
      expect(await lineState(node, line.id)).toMatchObject({ sendState: 'unconfirmed' });
      expect(sentTo(customer)).toEqual([]);
      expect(deliveries(node, chat.chatUid)).toEqual([
        expect.objectContaining({ sequence: line.sequence, state: 'unknown' }),
        {
          chatUid: chat.chatUid,
          sequence: line.sequence,
          state: 'unconfirmed',
          detail: expect.stringContaining('WhatsApp did not confirm this line within 1 s') as string,
        },
      ]);
      // Had TynTec taken it after all, its status still settles the line.
      const messageId = randomUUID();
      const status = await fetch(`${node.url}/delivery/${SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          event: 'MessageStatus::delivered',
          messageId,
          channel: 'whatsapp',
          timestamp: new Date().toISOString(),
          userContext: `${chat.chatUid}#${line.sequence}`,
        }),
      });
      expect(status.status).toBe(200);
      await node.until(
        'the line to be delivered',
        async () => (await lineState(node, line.id))?.deliveryState === 'delivered',
      );
      expect(await lineState(node, line.id)).toMatchObject({ sendState: 'sent', tyntecMessageId: messageId });
    } finally {
      await node.app
        .get(ParameterService)
        .set('ACD.Chat.WhatsApp.DeliveryConfirmation.Seconds', null, 'spec');
    }
  });
});
