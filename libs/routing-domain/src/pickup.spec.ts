import { pickFromQueue, pickupEvent } from './pickup';
import { AgentStatus } from './routing-types';
import { anAgent, aQueueEntry } from './testing.factories';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, seconds));
const queue = [aQueueEntry({ chatId: 1, queuedAt: at(0) }), aQueueEntry({ chatId: 2, queuedAt: at(10) })];

describe('pickFromQueue', () => {
  it('takes the chat with QR (position and wait) and QMAN', () => {
    expect(pickFromQueue(queue, 2, anAgent({ username: 'anna' }), at(40))).toEqual({
      picked: true,
      entry: queue[1],
      events: [
        { code: 'QR', text: 'Operator anna removed session from queue. Position 2 queued for 30 seconds.' },
        { code: 'QMAN', text: 'Chat Removed From Queue Manually By anna' },
      ],
    });
  });

  it.each([
    ['a chat no longer queued', 9, anAgent(), 'not-queued'],
    ['an agent at capacity', 1, anAgent({ openChats: 2 }), 'at-capacity'],
    ['an agent with max chats 0', 1, anAgent({ maxChats: 0 }), 'max-chats-zero'],
    ['a busy agent', 1, anAgent({ status: AgentStatus.busy }), 'status-not-online'],
    ['an agent without the skill', 1, anAgent({ skills: [] }), 'missing-skill'],
  ])('refuses %s', (_label, chatId, agent, reason) => {
    expect(pickFromQueue(queue, chatId, agent, at(40))).toEqual({ picked: false, reason });
  });
});

describe('pickupEvent', () => {
  it('names the winner OP and the loser OPF', () => {
    expect(pickupEvent('anna', true)).toEqual({ code: 'OP', text: 'Operator anna Picked up Session' });
    expect(pickupEvent('ben', false)).toEqual({
      code: 'OPF',
      text: 'Operator ben Failed to Picked up session as already taken',
    });
  });
});
