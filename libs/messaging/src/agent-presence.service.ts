import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AgentPresenceRepository, type OperatorRecord } from '@switchboard/persistence';
import type { AgentNamespace, AgentSocket } from './socket-types';

// note: the same beat as the visitors', well under the smallest ACD.Chat.Agent.DisconnectGrace.Seconds
// (5): an agent connected to any node is stamped seen more often than the grace, at one UPDATE per beat.
export const AGENT_HEARTBEAT_MS = 2000;

/**
 * What the agent does in the console: these requests count as activity for the idle rule
 * (`ACD.Chat.Agent.IdleAway.Minutes`); reads and the console's token refresh do not.
 */
const ACTIVE_REQUESTS = new Set([
  'agent:login',
  'agent:status',
  'agent:activity',
  'chat:pickup',
  'chat:accept',
  'chat:decline',
  'chat:transfer',
  'chat:acquire',
  'chat:send',
  'chat:typing',
  'chat:close',
  'chat:block',
  'chat:unblock',
  'chat:leave',
]);

/**
 * Agents' presence, cluster-wide, as this node sees it: a connection signing in stamps the agent
 * present; a heartbeat stamps every agent connected here (and who did something since the last beat)
 * in one statement; the agent's last connection here leaving stamps them gone. Routing's presence
 * sweep decides from these stamps, so an agent connected to another node stays present.
 */
@Injectable()
export class AgentPresenceTracker implements OnModuleDestroy {
  private readonly logger = new Logger('AgentPresence');
  private namespace: AgentNamespace | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly active = new Set<number>();

  constructor(private readonly presence: AgentPresenceRepository) {}

  attach(namespace: AgentNamespace): void {
    this.namespace = namespace;
    this.heartbeat = setInterval(() => this.stampConnected(), AGENT_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
  }

  /** A connection signed in: by log-in (which counts as activity), refresh or token. */
  async signedIn(agent: OperatorRecord, byLogin: boolean): Promise<void> {
    await this.presence.connected(agent.id, new Date(), byLogin);
  }

  /** A request from a signed-in connection; the next heartbeat stamps it when it was an action. */
  request(socket: AgentSocket, event: string): void {
    const agent = socket.data.agent;
    if (agent && ACTIVE_REQUESTS.has(event)) this.active.add(agent.id);
  }

  /** A connection of `agent` left (closed, lost, or logged out): stamps gone when it was their last here. */
  left(agent: OperatorRecord): void {
    if ((this.namespace?.adapter.rooms.get(`agent:${agent.username}`)?.size ?? 0) > 0) return;
    this.presence
      .disconnected(agent.id)
      .catch((error: unknown) =>
        this.logger.warn(`presence of ${agent.username} not recorded: ${String(error)}`),
      );
  }

  private stampConnected(): void {
    const connected = new Set<number>();
    for (const socket of this.namespace?.sockets.values() ?? []) {
      const agent = socket.data.agent;
      if (agent) connected.add(agent.id);
    }
    const active = [...this.active].filter((id) => connected.has(id));
    this.active.clear();
    this.presence
      .markSeen([...connected], active)
      .catch((error: unknown) => this.logger.warn(`agent presence not stamped: ${String(error)}`));
  }
}
