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

  it('expires a chat past the expected maximum time with SK alone, and past the hard maximum with QTO', () => {
    const entries = [
      aQueueEntry({ chatId: 1, queuedAt: at(0) }),
      aQueueEntry({ chatId: 2, queuedAt: at(20) }),
      aQueueEntry({ chatId: 3, queuedAt: at(40) }),
    ];
    const expired = expiredEntries(entries, { ...settings, queueExpectedMaxTimeSeconds: 30 }, at(61));
    expect(expired.map(({ entry, events }) => [entry.chatId, events.map((event) => event.text)])).toEqual([
      [
        1,
        [
          'Server Side Time-Out of Queued Chat',
          'Chat expired in queue because it exceeded the maximum actual time',
        ],
      ],
      [2, ['Chat expired in queue because it exceeded the maximum expected time']],
    ]);
  });

  it('keeps a chat that waited exactly the maximum', () => {
    expect(expiredEntries([aQueueEntry({ queuedAt: at(0) })], settings, at(60))).toEqual([]);
  });
});
