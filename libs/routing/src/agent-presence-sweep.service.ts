import { Injectable, Logger } from '@nestjs/common';
import { AgentStatuses } from '@switchboard/chat';
import { ParameterService } from '@switchboard/config';
import { AgentPresenceRepository, OperatorStatus } from '@switchboard/persistence';

/**
 * Agents' presence follows their connections: an agent not offline whose console connections have
 * all been gone (on every node) for `ACD.Chat.Agent.DisconnectGrace.Seconds` goes Offline (reason
 * `disconnected`); an agent in Chat holding no chat who did nothing for `ACD.Chat.Agent.IdleAway.Minutes`
 * (0 = off) goes Away (reason `idle`). Each change is conditional on the lapse still holding, stored
 * with its event and published like a manual change, so the offers out to the agent move on at once.
 */
@Injectable()
export class AgentPresenceSweep {
  private readonly logger = new Logger('AgentPresence');

  constructor(
    private readonly presence: AgentPresenceRepository,
    private readonly statuses: AgentStatuses,
    private readonly parameters: ParameterService,
  ) {}

  /** Applies the lapses as of `now`; resolves to the number of agents whose status changed. */
  async sweep(now = new Date()): Promise<number> {
    const graceSeconds = this.parameters.get('ACD.Chat.Agent.DisconnectGrace.Seconds');
    const idleMinutes = this.parameters.get('ACD.Chat.Agent.IdleAway.Minutes');
    const goneSince = new Date(now.getTime() - graceSeconds * 1000);
    const idleSince = idleMinutes === 0 ? null : new Date(now.getTime() - idleMinutes * 60_000);
    let changed = 0;
    for (const { operatorId, reason } of await this.presence.lapses(goneSince, idleSince)) {
      const agent =
        reason === 'disconnected'
          ? await this.statuses.change(operatorId, OperatorStatus.offline, reason, now, { reason, goneSince })
          : await this.statuses.change(operatorId, OperatorStatus.away, reason, now, {
              reason,
              idleSince: idleSince ?? now,
            });
      if (agent === null) continue;
      changed += 1;
      this.logger.log(`${agent.username}: status ${agent.status} (${reason})`);
    }
    return changed;
  }
}
