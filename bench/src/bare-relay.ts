// The baseline: a bare socket.io 4.8 relay in one process (no database, no cluster). A socket joins a
// room; a `chat:send` is acknowledged and pushed as `chat:line` to everyone in the room, as Switchboard does.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const httpServer = createServer();
const server = new Server(httpServer, { transports: ['websocket'], serveClient: false });
const sequences = new Map<string, number>();

server.on('connection', (socket) => {
  let room: string | undefined;
  let role = 'visitor';
  socket.on('join', (payload: { chatUid: string; role: string }, ack: (answer: unknown) => void) => {
    room = payload.chatUid;
    role = payload.role;
    void socket.join(room);
    ack({ ok: true });
  });
  socket.on(
    'chat:send',
    (payload: { chatUid: string; text: string; clientMessageId: string }, ack: (answer: unknown) => void) => {
      if (!room) return ack({ ok: false, error: { code: 'NOT_JOINED', message: 'join first' } });
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

httpServer.listen(Number(process.env.BARE_PORT ?? 0), '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (httpServer.address() as AddressInfo).port });
});
process.on('SIGTERM', () => {
  void server.close();
  process.exit(0);
});
