import { Module } from '@nestjs/common';
import { ChatModule } from '@switchboard/chat';
import { AgentPresenceSweep } from './agent-presence-sweep.service';
import { PassMoves } from './pass-moves';
import { QueuePositions } from './queue-positions';
import { RoutingCounters } from './routing-counters';
import { RoutingDispatcher } from './routing-dispatcher.service';
import { RoutingDirectoryReader } from './routing-directory';
import { RuleIntake } from './rule-intake';
import { RoutingScheduler } from './routing-scheduler.service';
import { RoutingTimeouts } from './routing-timeouts.service';
import { TranscriptRetention } from './transcript-retention.service';
import { OutboundWebhooks } from './webhooks/outbound-webhooks.service';

/**
 * The routing feature (the ACD): everything this service does, without the process around it, so
 * that the embedded all-in-one composes it with the others in one process.
 */
@Module({
  imports: [ChatModule],
  providers: [
    RoutingCounters,
    QueuePositions,
    RoutingDirectoryReader,
    RuleIntake,
    PassMoves,
    RoutingDispatcher,
    RoutingTimeouts,
    AgentPresenceSweep,
    RoutingScheduler,
    TranscriptRetention,
    OutboundWebhooks,
  ],
  exports: [
    RoutingScheduler,
    RoutingDispatcher,
    RoutingTimeouts,
    AgentPresenceSweep,
    TranscriptRetention,
    OutboundWebhooks,
  ],
})
export class RoutingModule {}
