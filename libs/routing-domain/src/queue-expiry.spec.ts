import { expiredEntries } from './queue-expiry';
import { defaultRoutingSettings, type RoutingSettings } from './routing-types';
import { aQueueEntry } from './testing.factories';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, seconds));

describe('expiredEntries', () => {
  const settings: RoutingSettings = { ...defaultRoutingSettings, queueMaxTimeSeconds: 60 };

  it('expires only chats that waited longer than the maximum, with QTO and the SK text', () => {
    const entries = [
      aQueueEntry({ chatId: 1, queuedAt: at(0) }),
      aQueueEntry({ chatId: 2, queuedAt: at(1) }),
    ];
    expect(expiredEntries(entries, settings, at(61))).toEqual([
      {
        entry: entries[0],
        waitedSeconds: 61,
        events: [
          { code: 'QTO', text: 'Server Side Time-Out of Queued Chat' },
          { code: 'SK', text: 'Chat expired in queue because it exceeded the maximum actual time' },
        ],
      },
    ]);
  });

  it('keeps a chat that waited exactly the maximum', () => {
    expect(expiredEntries([aQueueEntry({ queuedAt: at(0) })], settings, at(60))).toEqual([]);
  });
});
