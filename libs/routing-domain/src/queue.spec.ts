import {
  admitToQueue,
  expectedWait,
  queueCapacity,
  queuePositions,
  queueUpdates,
  type QueueCapacity,
} from './queue';
import { AgentStatus, defaultRoutingSettings, type RoutingSettings } from './routing-types';
import { anAgent, aQueueEntry } from './testing.factories';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, seconds));
const capacity: QueueCapacity = { agentsOnline: 2, chatSlots: 4, averageHandlingSeconds: 240 };

describe('queuePositions', () => {
  it('serves higher priority first and first in first out within a priority', () => {
    const entries = [
      aQueueEntry({ chatId: 1, queuedAt: at(0) }),
      aQueueEntry({ chatId: 2, queuedAt: at(5), priority: 1 }),
      aQueueEntry({ chatId: 3, queuedAt: at(1) }),
      aQueueEntry({ chatId: 4, queuedAt: at(9), priority: 1 }),
    ];
    expect(queuePositions(entries).map(({ entry, position }) => [position, entry.chatId])).toEqual([
      [1, 2],
      [2, 4],
      [3, 1],
      [4, 3],
    ]);
  });

  it('orders chats queued in the same millisecond by chat id', () => {
    const entries = [aQueueEntry({ chatId: 9 }), aQueueEntry({ chatId: 4 })];
    expect(queuePositions(entries).map(({ entry }) => entry.chatId)).toEqual([4, 9]);
  });

  it('does not reorder its input', () => {
    const entries = [aQueueEntry({ chatId: 2 }), aQueueEntry({ chatId: 1 })];
    queuePositions(entries);
    expect(entries.map((entry) => entry.chatId)).toEqual([2, 1]);
  });
});

describe('expectedWait', () => {
  it.each([
    [1, capacity, 60],
    [4, capacity, 240],
    [5, capacity, 300],
    [1, { ...capacity, chatSlots: 3, averageHandlingSeconds: 100 }, 34],
    [1, { ...capacity, chatSlots: 0 }, Number.POSITIVE_INFINITY],
  ])('position %i with %o → %d seconds', (position, queueCapacity, expected) => {
    expect(expectedWait(position, queueCapacity)).toBe(expected);
  });
});

describe('admitToQueue', () => {
  const settings: RoutingSettings = {
    ...defaultRoutingSettings,
    queueMaxLength: 3,
    queueMaxExpectedWaitSeconds: 180,
  };
  const chat = { chatId: 50, skill: 'sales', priority: 0 };

  it('queues with CQ and QM, giving position and expected wait', () => {
    const decision = admitToQueue([aQueueEntry({ chatId: 1 })], capacity, chat, settings, at(30));
    expect(decision).toEqual({
      admitted: true,
      entry: { ...chat, queuedAt: at(30) },
      position: 2,
      expectedWaitSeconds: 120,
      events: [
        {
          code: 'CQ',
          text: 'Chat Queued as Operators are currently talking to other users. Queue Length 2. expected time 2m',
        },
        { code: 'QM', text: 'You are number 2 in the queue. Expected wait: 2m.' },
      ],
    });
  });

  it('places a higher-priority chat ahead of the lower ones', () => {
    const queue = [aQueueEntry({ chatId: 1 }), aQueueEntry({ chatId: 2, priority: 2 })];
    const decision = admitToQueue(queue, capacity, { ...chat, priority: 1 }, settings, at(30));
    expect(decision.admitted && decision.position).toBe(2);
  });

  it.each([
    ['no agent online', { ...capacity, agentsOnline: 0, chatSlots: 0 }, 0, 'OF'],
    ['agents online but all with max chats 0', { ...capacity, chatSlots: 0 }, 0, 'OF'],
    ['one below the max length', capacity, 2, 'admitted'],
    ['at the max length', capacity, 3, 'CQM'],
    ['expected wait exactly the maximum', { ...capacity, averageHandlingSeconds: 360 }, 1, 'admitted'],
    ['expected wait one second over', { ...capacity, averageHandlingSeconds: 362 }, 1, 'CQT'],
  ])('%s → %s', (_label, queueCapacity, queued, expected) => {
    const queue = Array.from({ length: queued }, (_, index) => aQueueEntry({ chatId: index + 1 }));
    const decision = admitToQueue(queue, queueCapacity, chat, settings, at(30));
    expect(decision.admitted ? 'admitted' : decision.reason).toBe(expected);
    if (!decision.admitted) expect(decision.events.map((event) => event.code)).toEqual([expected]);
  });

  it('refuses with CQM when queueing is off (max length 0)', () => {
    const decision = admitToQueue([], capacity, chat, { ...settings, queueMaxLength: 0 }, at(0));
    expect(decision).toEqual({
      admitted: false,
      reason: 'CQM',
      events: [{ code: 'CQM', text: 'Chat not queued because the queue is full' }],
    });
  });

  it('skips the expected-wait check when its maximum is 0', () => {
    const slow = { ...capacity, averageHandlingSeconds: 100000 };
    const decision = admitToQueue([], slow, chat, { ...settings, queueMaxExpectedWaitSeconds: 0 }, at(0));
    expect(decision.admitted).toBe(true);
  });
});

describe('queueUpdates', () => {
  it('sends every queued visitor a QM with the new position after the head left', () => {
    const remaining = [
      aQueueEntry({ chatId: 3, queuedAt: at(2) }),
      aQueueEntry({ chatId: 2, queuedAt: at(1) }),
    ];
    expect(queueUpdates(remaining, capacity)).toEqual([
      {
        chatId: 2,
        position: 1,
        expectedWaitSeconds: 60,
        event: { code: 'QM', text: 'You are number 1 in the queue. Expected wait: 1m.' },
      },
      {
        chatId: 3,
        position: 2,
        expectedWaitSeconds: 120,
        event: { code: 'QM', text: 'You are number 2 in the queue. Expected wait: 2m.' },
      },
    ]);
  });

  it('gives no estimate while no agent of the skill is online', () => {
    const [update] = queueUpdates([aQueueEntry()], {
      agentsOnline: 0,
      chatSlots: 0,
      averageHandlingSeconds: 60,
    });
    expect(update.event).toEqual({ code: 'QM', text: 'You are number 1 in the queue.' });
  });
});

describe('queueCapacity', () => {
  it('counts online agents with the skill and max chats above 0, busy with chats or not', () => {
    const agents = [
      anAgent({ id: 1, maxChats: 3, openChats: 3 }),
      anAgent({ id: 2, maxChats: 2 }),
      anAgent({ id: 3, maxChats: 0 }),
      anAgent({ id: 4, status: AgentStatus.away }),
      anAgent({ id: 5, skills: ['billing'] }),
    ];
    expect(queueCapacity(agents, 'sales', 200)).toEqual({
      agentsOnline: 2,
      chatSlots: 5,
      averageHandlingSeconds: 200,
    });
    expect(queueCapacity(agents, null, 200)).toEqual({
      agentsOnline: 3,
      chatSlots: 7,
      averageHandlingSeconds: 200,
    });
  });
});
