import {
  columnCipher,
  countStale,
  encryptedColumns,
  generateKeyMaterial,
  KeyRing,
  rotateColumns,
  startColumnEncryption,
} from '@switchboard/persistence';
import type { ChatLineView, ChatSummary } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  seedSiteAndAgent,
  startTwoMessengerNodes,
  TestSocket,
  type MessengerNode,
  type TwoMessengerNodes,
} from './testing';

const CHATS = 4;
const ROUNDS = 24;

/** The lines a client was pushed for a chat, as sequence → text. */
const transcript = (socket: TestSocket, chatUid: string) =>
  socket.received
    .filter((entry) => entry.event === 'chat:line' && (entry.payload as ChatLineView).chatUid === chatUid)
    .map((entry) => {
      const line = entry.payload as ChatLineView;
      return `${line.sequence} ${line.text}`;
    });

// A key rotation while visitors and an agent talk across two nodes: nothing lost, nothing garbled,
// over the database and over what every client was shown.
describe('key rotation under load (two nodes, real Hazelcast members, MariaDB)', () => {
  const sockets: TestSocket[] = [];
  let nodes: TwoMessengerNodes;
  let visitorNode: MessengerNode;
  let agentNode: MessengerNode;

  beforeAll(async () => {
    // One agent connection writes every chat's lines as fast as it can: over the per-connection
    // send limit (docs/security.md), which this suite does not test.
    nodes = await startTwoMessengerNodes({ ACD_CHAT_RATELIMIT_SEND_PER10SECONDS: '10000' });
    ({ visitorNode, agentNode } = nodes);
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await nodes?.stop();
  });

  it('loses and garbles no line while every value moves to the new key', async () => {
    const { repositories } = visitorNode;
    const seeded = await seedSiteAndAgent(repositories, { maxChats: CHATS });
    const agent = await TestSocket.connect(agentNode.url, 'agent');
    sockets.push(agent);
    await agent.ok('agent:login', seeded.agents[0]);
    await agent.ok('agent:status', { status: 1 });
    const chats: Array<{ visitor: TestSocket; chatUid: string }> = [];
    for (let index = 0; index < CHATS; index += 1) {
      const visitor = await TestSocket.connect(visitorNode.url, 'visitor');
      sockets.push(visitor);
      const { chat } = await visitor.ok('chat:start', {
        siteKey: seeded.siteKey,
        visitorName: `Visitor ${index}`,
        email: `visitor${index}@example.test`,
        variables: { order: `order-${index}` },
      });
      await agent.next<ChatSummary>('queue:added', (added) => added.chatUid === chat.chatUid);
      await agent.ok('chat:pickup', { chatUid: chat.chatUid });
      chats.push({ visitor, chatUid: chat.chatUid });
    }
    const acknowledged = new Map<string, string[]>(chats.map(({ chatUid }) => [chatUid, []]));
    const talk = async (from: number, to: number) => {
      for (let round = from; round < to; round += 1)
        await Promise.all(
          chats.map(async ({ visitor, chatUid }) => {
            for (const [side, socket] of [
              ['visitor', visitor],
              ['agent', agent],
            ] as const) {
              const text = `${side} ${round} in ${chatUid} ${randomUUID().slice(0, 6)}`;
              const { line } = await socket.ok('chat:send', { chatUid, text, clientMessageId: randomUUID() });
              acknowledged.get(chatUid)?.push(`${line.sequence} ${line.text}`);
            }
          }),
        );
    };

    await talk(0, ROUNDS / 3);
    // Both nodes (one process) restart with k2 active; the rotation runs while the chats go on.
    const [testKeyId, testKeyMaterial] = (process.env.SWITCHBOARD_ENCRYPTION_KEYS ?? '')
      .split(',')[0]
      .split(':');
    expect(columnCipher().keys.activeId).toBe(testKeyId);
    const dataSource = visitorNode.app.get(DataSource);
    const rotated = KeyRing.fromContent(
      { active: 'k2', keys: { [testKeyId]: testKeyMaterial, k2: generateKeyMaterial() } },
      'rotation test',
    );
    const cipher = await startColumnEncryption(dataSource, rotated, true);
    await Promise.all([
      talk(ROUNDS / 3, ROUNDS),
      rotateColumns(dataSource, cipher, { batchSize: 10, rowsPerSecond: 400 }),
    ]);
    await rotateColumns(dataSource, cipher);

    const last = ROUNDS * 2;
    for (const { visitor, chatUid } of chats) {
      await visitor.next<ChatLineView>(
        'chat:line',
        (line) => line.chatUid === chatUid && line.sequence === last,
      );
      await agent.next<ChatLineView>(
        'chat:line',
        (line) => line.chatUid === chatUid && line.sequence === last,
      );
      const chat = await repositories.chats.findByUid(chatUid);
      const stored = (await repositories.chatLines.listSince(chat!.id, 0, 1000)).map(
        (line) => `${line.sequence} ${line.text}`,
      );
      const sent = [...(acknowledged.get(chatUid) ?? [])].sort(
        (a, b) => Number(a.split(' ')[0]) - Number(b.split(' ')[0]),
      );
      expect(stored).toHaveLength(last);
      expect(stored).toEqual(sent);
      expect(transcript(visitor, chatUid)).toEqual(stored);
      expect(transcript(agent, chatUid)).toEqual(stored);
      expect(chat?.visitorEmail).toMatch(/^visitor\d@example\.test$/);
    }
    for (const spec of Object.values(encryptedColumns))
      expect({ column: spec.column, stale: await countStale(dataSource, cipher, spec) }).toEqual({
        column: spec.column,
        stale: 0,
      });
    const texts = await dataSource.query<Array<{ text: string }>>('SELECT text FROM chat_lines');
    expect(texts.filter((row) => !row.text.startsWith('sbenc1:k2:r:'))).toEqual([]);
  });
});
