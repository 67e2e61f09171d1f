import { PositionNotices } from './position-notices';

describe('PositionNotices', () => {
  const period = 10_000;

  it('tells the first position, then a changed one once the period has passed', () => {
    const notices = new PositionNotices();
    expect(notices.due('a', 5, 100_000, period)).toBe('10');
    expect(notices.due('a', 4, 105_000, period)).toBeNull();
    expect(notices.due('a', 4, 110_000, period)).toBe('11');
    expect(notices.due('a', 4, 150_000, period)).toBeNull();
    expect(notices.due('a', 3, 150_000, period)).toBe('15');
  });

  it('keeps chats apart, and starts again for a chat that left the queue', () => {
    const notices = new PositionNotices();
    expect(notices.due('a', 2, 100_000, period)).toBe('10');
    expect(notices.due('b', 2, 101_000, period)).toBe('10');
    notices.forget('a');
    expect(notices.due('a', 1, 101_000, period)).toBe('10');
  });
});
