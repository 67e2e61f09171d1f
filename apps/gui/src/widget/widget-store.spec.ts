import { WidgetStore, usableStorage } from './widget-store';

function memoryStorage() {
  return usableStorage(() => {
    throw new Error('storage is blocked');
  });
}

describe('WidgetStore', () => {
  it('keeps one visitor id per browser, valid for chat:start', () => {
    const local = memoryStorage();
    const first = new WidgetStore('demo', local, memoryStorage()).visitorId();
    expect(first).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(new WidgetStore('other-site', local, memoryStorage()).visitorId()).toBe(first);
  });

  it('keeps the open chat per site and forgets it with its transcript', () => {
    const local = memoryStorage();
    const session = memoryStorage();
    const store = new WidgetStore('demo', local, session);
    store.saveChat({ chatUid: 'chat-1', token: 'token-of-sixteen-chars', lastSequence: 3 });
    store.saveTranscript('chat-1', { lines: [], pending: [{ clientMessageId: 'm1', text: 'hi' }] });
    expect(new WidgetStore('other-site', local, session).chat()).toBeUndefined();
    const reloaded = new WidgetStore('demo', local, session);
    expect(reloaded.chat()).toEqual({ chatUid: 'chat-1', token: 'token-of-sixteen-chars', lastSequence: 3 });
    expect(reloaded.transcript('chat-1')?.pending).toHaveLength(1);
    reloaded.forgetChat();
    expect(reloaded.chat()).toBeUndefined();
    expect(reloaded.transcript('chat-1')).toBeUndefined();
  });

  it('ignores stored values it cannot use', () => {
    const local = memoryStorage();
    local.setItem('switchboard.chat.demo', '{"chatUid": 42}');
    local.setItem('switchboard.visitorId', 'bad id!');
    const store = new WidgetStore('demo', local, memoryStorage());
    expect(store.chat()).toBeUndefined();
    expect(store.visitorId()).not.toBe('bad id!');
    local.setItem('switchboard.chat.demo', 'not json');
    expect(store.chat()).toBeUndefined();
  });
});
