import type { ChatEvents } from '@switchboard/chat';
import type { ParameterService } from '@switchboard/config';
import { TypingCoalescer } from './typing-coalescer';

describe('TypingCoalescer', () => {
  const published: Array<{ chatUid: string; by: string; typing: boolean }> = [];
  const publisher = {
    typing: (chatUid: string, by: string, typing: boolean) => {
      published.push({ chatUid, by, typing });
      return Promise.resolve();
    },
  } as unknown as ChatEvents;
  const coalescer = (windowMs: number) =>
    new TypingCoalescer(publisher, { get: () => windowMs } as unknown as ParameterService);

  beforeEach(() => {
    published.length = 0;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('publishes a burst of 1,000 typing notices over 5 s at most once per window per chat side', async () => {
    const typing = coalescer(1000);
    for (let index = 0; index < 1000; index += 1) {
      await typing.typing('chat-1', 'visitor', index % 2 === 0);
      jest.advanceTimersByTime(5);
    }
    jest.advanceTimersByTime(2000);
    // 5 s of notices, one window per second: the first at once, then at most one per window end.
    expect(published.length).toBeLessThanOrEqual(6);
    expect(published.length).toBeGreaterThanOrEqual(1);
    // The last state asked for (typing: false) is the one the other side ends with.
    expect(published.at(-1)).toEqual({ chatUid: 'chat-1', by: 'visitor', typing: false });
  });

  it('keeps chats and sides apart, and publishes every notice when the window is 0', async () => {
    const typing = coalescer(1000);
    await typing.typing('chat-1', 'visitor', true);
    await typing.typing('chat-1', 'operator', true);
    await typing.typing('chat-2', 'visitor', true);
    expect(published).toHaveLength(3);
    const unwindowed = coalescer(0);
    for (let index = 0; index < 10; index += 1) await unwindowed.typing('chat-3', 'visitor', true);
    expect(published).toHaveLength(13);
  });

  it('publishes nothing more at the window end when the state asked for is the one published', async () => {
    const typing = coalescer(1000);
    await typing.typing('chat-1', 'visitor', true);
    await typing.typing('chat-1', 'visitor', false);
    await typing.typing('chat-1', 'visitor', true);
    jest.advanceTimersByTime(5000);
    expect(published).toEqual([{ chatUid: 'chat-1', by: 'visitor', typing: true }]);
  });
});
