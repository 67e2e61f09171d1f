import { Injectable, Logger } from '@nestjs/common';
import { ClusterEventBus } from '@switchboard/platform';
import type { ClusterEventOf } from '@switchboard/protocol';
import type { AgentNamespace } from './socket-types';

const farewell: Readonly<Record<string, string>> = {
  logout: 'You logged out of this session.',
  disabled: 'Your account was disabled by an administrator.',
  deleted: 'Your account was deleted by an administrator.',
  'role-changed': 'Your role changed: log in again.',
  'password-changed': 'Your password changed: log in again.',
};

/**
 * Closes this node's agent connections whose session ended anywhere in the cluster (`session.revoked`):
 * each is told why (`agent:signed-out`) and disconnected. The database already refuses their tokens.
 */
@Injectable()
export class SessionRevocations {
  private readonly logger = new Logger('Sessions');

  constructor(private readonly bus: ClusterEventBus) {}

  attach(namespace: AgentNamespace): void {
    this.bus.on('session.revoked', (event) => this.signOut(namespace, event));
  }

  private signOut(namespace: AgentNamespace, event: ClusterEventOf<'session.revoked'>): void {
    const message = farewell[event.reason] ?? 'Your session ended: log in again.';
    for (const socket of namespace.sockets.values()) {
      const { agent, sessionKey } = socket.data;
      if (agent?.id !== event.operatorId) continue;
      if (event.sessionKey !== null && sessionKey !== event.sessionKey) continue;
      this.logger.log(`closing a connection of ${event.username}: session ${event.reason}`);
      socket.emit('agent:signed-out', { reason: event.reason, message });
      socket.disconnect(true);
    }
  }
}
