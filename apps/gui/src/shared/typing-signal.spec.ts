import { TypingSignal } from './typing-signal';

describe('TypingSignal', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('says "typing" once per repeat period and "stopped" after the idle time', () => {
    const sent: boolean[] = [];
    const signal = new TypingSignal((typing) => sent.push(typing), { repeatMs: 3000, idleMs: 2500 });
    signal.keystroke();
    jest.advanceTimersByTime(1000);
    signal.keystroke();
    jest.advanceTimersByTime(1000);
    signal.keystroke();
    expect(sent).toEqual([true]);
    jest.advanceTimersByTime(1000);
    signal.keystroke();
    expect(sent).toEqual([true, true]);
    jest.advanceTimersByTime(2500);
    expect(sent).toEqual([true, true, false]);
  });

  it('says "stopped" at once when the line is sent, and nothing when it was not typing', () => {
    const sent: boolean[] = [];
    const signal = new TypingSignal((typing) => sent.push(typing));
    signal.stop();
    signal.keystroke();
    signal.stop();
    jest.advanceTimersByTime(10_000);
    expect(sent).toEqual([true, false]);
  });
});
