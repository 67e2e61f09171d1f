import { MESSAGE_STATUSES, type MessageStatus } from './delivery-event.schema';
import { mergeDeliveryState, statusRank } from './delivery-state';

describe('mergeDeliveryState', () => {
  it.each<[MessageStatus | undefined, MessageStatus, MessageStatus]>([
    [undefined, 'accepted', 'accepted'],
    ['accepted', 'delivered', 'delivered'],
    ['delivered', 'seen', 'seen'],
    ['seen', 'delivered', 'seen'],
    ['seen', 'accepted', 'seen'],
    ['seen', 'failed', 'seen'],
    ['delivered', 'failed', 'delivered'],
    ['accepted', 'failed', 'failed'],
    ['channelFailed', 'failed', 'failed'],
    ['failed', 'delivered', 'delivered'],
    ['failed', 'channelFailed', 'failed'],
    ['accepted', 'unknown', 'accepted'],
    ['seen', 'deleted', 'deleted'],
  ])('%s then %s gives %s', (current, incoming, expected) => {
    expect(mergeDeliveryState(current, incoming)).toBe(expected);
  });

  it('reaches the same state whatever order the statuses arrive in', () => {
    const arrivals: MessageStatus[][] = [
      ['accepted', 'delivered', 'seen'],
      ['seen', 'accepted', 'delivered'],
      ['delivered', 'seen', 'accepted', 'seen'],
    ];
    const finals = arrivals.map((statuses) =>
      statuses.reduce<MessageStatus | undefined>(mergeDeliveryState, undefined),
    );
    expect(finals).toEqual(['seen', 'seen', 'seen']);
  });

  it('ranks every status differently', () => {
    expect(new Set(MESSAGE_STATUSES.map(statusRank)).size).toBe(MESSAGE_STATUSES.length);
  });
});
