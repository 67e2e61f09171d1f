import { queuePositions } from './queue';
import { type RoutingEvent, routingEvent, secondsBetween, skillRuleEvent } from './routing-event';
import type { QueueEntry, RoutingSettings } from './routing-types';

export interface ExpiredEntry {
  readonly entry: QueueEntry;
  readonly waitedSeconds: number;
  readonly events: readonly RoutingEvent[];
}

export const queueExpiryText = 'Chat expired in queue because it exceeded the maximum actual time';
export const expectedTimeExpiryText = 'Chat expired in queue because it exceeded the maximum expected time';

/**
 * Queued chats past their time: longer than `ACD.Chat.Queue.MaxTime.Seconds` (the hard limit: QTO and
 * SK's "maximum actual time"), or longer than `ACD.Chat.Queue.ExpectedMaxTime.Seconds` (the site's
 * expected maximum, when set: SK's "maximum expected time" alone, no server time-out).
 */
export function expiredEntries(
  entries: readonly QueueEntry[],
  settings: RoutingSettings,
  now: Date,
): ExpiredEntry[] {
  const expectedMax = settings.queueExpectedMaxTimeSeconds;
  return queuePositions(entries)
    .map(({ entry }) => ({ entry, waitedSeconds: secondsBetween(entry.queuedAt, now) }))
    .flatMap((waiting): ExpiredEntry[] => {
      if (waiting.waitedSeconds > settings.queueMaxTimeSeconds)
        return [{ ...waiting, events: [routingEvent('QTO'), skillRuleEvent(queueExpiryText)] }];
      if (expectedMax > 0 && waiting.waitedSeconds > expectedMax)
        return [{ ...waiting, events: [skillRuleEvent(expectedTimeExpiryText)] }];
      return [];
    });
}
