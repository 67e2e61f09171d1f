import { queuePositions } from './queue';
import { type RoutingEvent, routingEvent, secondsBetween, skillRuleEvent } from './routing-event';
import type { QueueEntry, RoutingSettings } from './routing-types';

export interface ExpiredEntry {
  readonly entry: QueueEntry;
  readonly waitedSeconds: number;
  readonly events: readonly RoutingEvent[];
}

export const queueExpiryText = 'Chat expired in queue because it exceeded the maximum actual time';

/** Queued chats that waited longer than `ACD.Chat.Queue.MaxTime.Seconds`: QTO and the SK expiry text. */
export function expiredEntries(
  entries: readonly QueueEntry[],
  settings: RoutingSettings,
  now: Date,
): ExpiredEntry[] {
  return queuePositions(entries)
    .map(({ entry }) => ({ entry, waitedSeconds: secondsBetween(entry.queuedAt, now) }))
    .filter(({ waitedSeconds }) => waitedSeconds > settings.queueMaxTimeSeconds)
    .map((expired) => ({ ...expired, events: [routingEvent('QTO'), skillRuleEvent(queueExpiryText)] }));
}
