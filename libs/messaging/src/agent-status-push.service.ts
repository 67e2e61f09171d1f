import { Injectable, Logger } from '@nestjs/common';
import { OperatorRepository } from '@switchboard/persistence';
import { toAgentView } from '@switchboard/chat';
import type { AgentNamespace } from './socket-types';

/**
 * Pushes `agent:status` to an agent's connections on this node when a chat moved to or from them
 * (pickup, accept, close, leave, transfer, acquire, timeouts): their counts changed. Each node reads
 * the agent from the database only when it holds a connection of theirs, one read at a time per agent,
 * so the last push carries the latest counts.
 */
@Injectable()
export class AgentStatusPush {
  private readonly logger = new Logger('AgentStatusPush');
  private agents: AgentNamespace | undefined;
  private readonly pending = new Map<string, Promise<void>>();

  constructor(private readonly operators: OperatorRepository) {}

  attach(namespace: AgentNamespace): void {
    this.agents = namespace;
  }

  /** Re-reads each named agent with a connection here and pushes their view. */
  countsChanged(usernames: ReadonlyArray<string | null | undefined>): void {
    for (const username of new Set(usernames)) if (username) this.refresh(username);
  }

  private refresh(username: string): void {
    const room = `agent:${username}`;
    if (!this.agents?.adapter.rooms.get(room)?.size) return;
    const previous = this.pending.get(username) ?? Promise.resolve();
    const next = previous.then(async () => {
      const agent = await this.operators.findByUsername(username);
      if (agent) this.agents?.to(room).emit('agent:status', toAgentView(agent));
    });
    const settled = next
      .catch((error: unknown) => this.logger.warn(`agent:status of ${username} not pushed: ${String(error)}`))
      .finally(() => {
        if (this.pending.get(username) === settled) this.pending.delete(username);
      });
    this.pending.set(username, settled);
  }
}
