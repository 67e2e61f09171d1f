import type { ChatSummary } from '@switchboard/protocol';
import { WaitingList } from './waiting-list';

function waiting(chatUid: string, createdAt: string): ChatSummary {
  return {
    chatUid,
    siteKey: 'demo',
    channel: 'web',
    visitorName: chatUid,
    visitorEmail: null,
    skill: null,
    state: 'waiting',
    agentUsername: null,
    lastSequence: 0,
    createdAt,
  };
}

describe('WaitingList', () => {
  it('lists each waiting chat once, oldest first, as queue events add and remove them', () => {
    const list = new WaitingList();
    list.replace([waiting('b', '2025-01-01T10:02:00.000Z'), waiting('a', '2025-01-01T10:01:00.000Z')]);
    list.add(waiting('c', '2025-01-01T10:00:00.000Z'));
    list.add(waiting('a', '2025-01-01T10:01:00.000Z'));
    list.remove('b');
    list.remove('unknown');
    expect(list.ordered().map((chat) => chat.chatUid)).toEqual(['c', 'a']);
  });
});
