// The baselines: a bare socket.io 4.8 relay (no database, no cluster). A socket joins one or more rooms
// (an agent console holds several chats on one connection); a `chat:send` is acknowledged and pushed as
// `chat:line` to everyone in the chat's room, as Switchboard does. With REDIS_URL set it uses
// @socket.io/redis-adapter on that Redis, so two such processes behind HAProxy relay to each other's
// sockets (the "Redis-adapter relay pair"); nothing is persisted either way.
import { createAdapter } from '@socket.io/redis-adapter';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'redis';
import { Server } from 'socket.io';

const httpServer = createServer();
const server = new Server(httpServer, { transports: ['websocket'], serveClient: false });
const sequences = new Map<string, number>();

server.on('connection', (socket) => {
  const rooms = new Set<string>();
  let role = 'visitor';
  socket.on('join', (payload: { chatUid: string; role: string }, ack: (answer: unknown) => void) => {
    rooms.add(payload.chatUid);
    role = payload.role;
    void socket.join(payload.chatUid);
    ack({ ok: true });
  });
  socket.on(
    'chat:send',
    (payload: { chatUid: string; text: string; clientMessageId: string }, ack: (answer: unknown) => void) => {
      const room = payload.chatUid;
      if (!rooms.has(room)) return ack({ ok: false, error: { code: 'NOT_JOINED', message: 'join first' } });
      // A chat's two sides may sit on the two processes of a pair: the sequence is per process here (the
      // baseline promises no order across processes; Switchboard's comes from the database).
      const sequence = (sequences.get(room) ?? 0) + 1;
      sequences.set(room, sequence);
      const line = {
        chatUid: room,
        sequence,
        sender: role === 'visitor' ? 'visitor' : 'operator',
        text: payload.text,
        at: new Date().toISOString(),
        clientMessageId: payload.clientMessageId,
      };
      server.to(room).emit('chat:line', line);
      ack({ ok: true, line });
    },
  );
});

async function start(): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl) {
    const publisher = createClient({ url: redisUrl });
    const subscriber = publisher.duplicate();
    await Promise.all([publisher.connect(), subscriber.connect()]);
    server.adapter(
      createAdapter(publisher, subscriber, { key: process.env.REDIS_KEY ?? 'switchboard-bench' }),
    );
  }
  httpServer.listen(Number(process.env.BARE_PORT ?? 0), '127.0.0.1', () => {
    process.send?.({ type: 'listening', port: (httpServer.address() as AddressInfo).port });
  });
}

start().catch((error: Error) => {
  console.error(`relay: ${error.message}`);
  process.exit(1);
});
process.on('SIGTERM', () => {
  void server.close();
  process.exit(0);
});
