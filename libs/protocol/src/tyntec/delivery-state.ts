import type { MessageStatus } from './delivery-event.schema';

// note: `failed` ranks below `delivered`: TynTec reports it as final, but a message that was
// delivered or seen reached the customer, so a late `failed` for it is stale. `channelFailed` is
// intermediate (TynTec may still deliver through another channel). `unknown` carries no news.
// `deleted` concerns inbound messages (the customer deleted it) and ends every line.
const RANK: Readonly<Record<MessageStatus, number>> = {
  unknown: 0,
  accepted: 1,
  channelFailed: 2,
  failed: 3,
  delivered: 4,
  seen: 5,
  deleted: 6,
};

/** How far a message got; a status only replaces one of lower rank. */
export function statusRank(status: MessageStatus): number {
  return RANK[status];
}

/**
 * The state of a line after a status event: webhooks arrive late, duplicated and out of order,
 * so a status never moves a line backwards (`seen` stays `seen`; `failed` after `delivered` is
 * ignored; `delivered` after `failed` wins). `current` is undefined before the first status.
 */
export function mergeDeliveryState(
  current: MessageStatus | undefined,
  incoming: MessageStatus,
): MessageStatus {
  if (current === undefined) return incoming;
  return statusRank(incoming) > statusRank(current) ? incoming : current;
}
