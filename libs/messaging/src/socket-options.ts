import type { GatewayMetadata } from '@nestjs/websockets';
import type { Metrics } from '@switchboard/platform';
import type { Socket } from 'socket.io';

/**
 * socket.io server options shared by both namespaces (the first gateway on a port sets them).
 * note: frames above maxHttpBufferSize close the connection inside socket.io; below it, our own
 * MAX_EVENT_BYTES check answers PAYLOAD_TOO_LARGE and keeps the connection.
 */
export const SOCKET_SERVER_OPTIONS: GatewayMetadata = {
  cors: { origin: true, credentials: true },
  maxHttpBufferSize: 1_000_000,
  pingInterval: 25_000,
  pingTimeout: 20_000,
  transports: ['websocket', 'polling'],
};

/** Counts the socket in `switchboard_connections{namespace}` until it disconnects. */
export function countConnection(metrics: Metrics, namespace: 'visitor' | 'agent', socket: Socket): void {
  metrics.connections.inc({ namespace });
  socket.once('disconnect', () => metrics.connections.dec({ namespace }));
}
