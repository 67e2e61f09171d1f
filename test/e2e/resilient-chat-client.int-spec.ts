import { AGENT_NAMESPACE, VISITOR_NAMESPACE, type ChatLineView } from '@switchboard/protocol';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { eventually } from '../support/eventually';
import { ResilientParticipant } from './resilient-chat-client';

// The e2e suites judge the product by this client's transcripts: it must itself catch up as
// docs/protocol.md asks. Here a scripted server plays the one order of events that leaves a hole
// below the client's highest sequence: the acknowledgement of the visitor's own line 2 arrives, then
// the connection drops before the push of the agent's line 1 (stored just before it) got out.

const CHAT_UID = 'chat-under-test';

function line(sequence: number, sender: 'visitor' | 'operator', text: string): ChatLineView {
  return {
    chatUid: CHAT_UID,
    sequence,
    sender,
    senderName: sender,
    text,
    at: new Date(0).toISOString(),
    clientMessageId: null,
  };
}

let http: HttpServer;
let server: Server;
let participants: ResilientParticipant[] = [];

beforeEach(async () => {
  http = createServer();
  server = new Server(http);
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
});

afterEach(async () => {
  participants.forEach((participant) => participant.close());
  participants = [];
  await server.close();
});

it('catches up after a reconnect from the highest sequence held without a gap, filling the hole below', async () => {
  const stored: ChatLineView[] = [];
  const rejoins: number[] = [];
  const after = (afterSequence: number) => stored.filter((held) => held.sequence > afterSequence);
  server.of(VISITOR_NAMESPACE).on('connection', (socket: Socket) => {
    socket.on('chat:start', (_request, answer: (result: unknown) => void) =>
      answer({ ok: true, chat: { chatUid: CHAT_UID }, token: 'visitor-token' }),
    );
    socket.on('chat:rejoin', ({ afterSequence }: { afterSequence: number }, answer: (r: unknown) => void) => {
      rejoins.push(afterSequence);
      answer({ ok: true, chat: { chatUid: CHAT_UID }, lines: after(afterSequence) });
    });
    socket.on('chat:send', ({ text }: { text: string }, answer: (result: unknown) => void) => {
      // The agent's line was stored first (sequence 1); its push to this connection is still on its way.
      stored.push(line(1, 'operator', 'agent line'), line(2, 'visitor', text));
      answer({ ok: true, line: stored[1] });
      // The node goes away before the push: the client sees its transport close and reconnects.
      setTimeout(() => socket.conn.close(), 50);
    });
  });
  server.of(AGENT_NAMESPACE).on('connection', (socket: Socket) => {
    socket.on('chat:history', (_request, answer: (result: unknown) => void) =>
      answer({ ok: true, lines: [] }),
    );
    socket.on('chat:pickup', (_request, answer: (result: unknown) => void) => answer({ ok: true }));
  });
  const baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const [visitor, agent] = await ResilientParticipant.pair(baseUrl, { token: 'agent-token' }, 'site');
  participants = [visitor, agent];

  visitor.send('visitor line');
  await eventually(
    'the visitor reconnected and caught up',
    () => visitor.disconnects === 1 && rejoins.length === 2,
  );
  await eventually('the visitor holds both lines', () => visitor.transcript.size === 2);
  expect(rejoins).toEqual([0, 0]);
  expect([...visitor.transcript.values()].map((held) => held.text).sort()).toEqual([
    'agent line',
    'visitor line',
  ]);
  expect(visitor.lastSequence).toBe(2);
});
