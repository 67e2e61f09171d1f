import type { ParameterService } from '@switchboard/config';
import type { RoutingSettings } from '@switchboard/routing-domain';

/** The routing parameters as the dispatcher reads them at the start of each pass. */
export interface RoutingConfig extends RoutingSettings {
  /** `ACD.Chat.Queue.PositionUpdate.Seconds`: every queued visitor is told their place this often. */
  readonly positionUpdateSeconds: number;
  /** `ACD.Chat.Queue.HandlingTime.Sample`: closed chats per skill the mean handling time is taken over. */
  readonly handlingTimeSample: number;
  /** `ACD.Chat.Queue.HandlingTime.Default.Seconds`: the handling time of a skill without history. */
  readonly handlingTimeDefaultSeconds: number;
  /** `ACD.Chat.Log.Routing`: log every decision. */
  readonly logRouting: boolean;
}

/** Reads the live `ACD.Chat.*` routing parameters (changes through the admin API apply on the next pass). */
export function readRoutingConfig(parameters: ParameterService): RoutingConfig {
  return {
    distributionMode: parameters.get('ACD.Chat.Distribution.Mode') as RoutingSettings['distributionMode'],
    acceptTimeoutSeconds: parameters.get('ACD.Chat.AutoPickup.AcceptTimeout.Seconds'),
    maxRetries: parameters.get('ACD.Chat.AutoPickup.MaxRetries'),
    declineCooldownSeconds: parameters.get('ACD.Chat.AutoPickup.Decline.Cooldown.Seconds'),
    queueMaxLength: parameters.get('ACD.Chat.Queue.MaxLength'),
    queueMaxExpectedWaitSeconds: parameters.get('ACD.Chat.Queue.MaxExpectedWait.Seconds'),
    queueMaxTimeSeconds: parameters.get('ACD.Chat.Queue.MaxTime.Seconds'),
    queueExpectedMaxTimeSeconds: parameters.get('ACD.Chat.Queue.ExpectedMaxTime.Seconds'),
    inactivityTimeoutMinutes: parameters.get('ACD.Chat.Inactivity.Timeout.Minutes'),
    visitorClientTimeoutSeconds: parameters.get('ACD.Chat.Visitor.ClientTimeout.Seconds'),
    visitorDisconnectNoticeSeconds: parameters.get('ACD.Chat.Visitor.DisconnectNotice.Seconds'),
    positionUpdateSeconds: parameters.get('ACD.Chat.Queue.PositionUpdate.Seconds'),
    handlingTimeSample: parameters.get('ACD.Chat.Queue.HandlingTime.Sample'),
    handlingTimeDefaultSeconds: parameters.get('ACD.Chat.Queue.HandlingTime.Default.Seconds'),
    logRouting: parameters.get('ACD.Chat.Log.Routing'),
  };
}
