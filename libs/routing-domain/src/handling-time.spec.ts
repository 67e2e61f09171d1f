import { averageHandlingSeconds, type HandledChat } from './handling-time';
import { queueCapacity, expectedWait } from './queue';
import { anAgent } from './testing.factories';

const start = Date.UTC(2026, 0, 5, 10, 0, 0);
const handled = (seconds: number, startOffsetSeconds = 0): HandledChat => ({
  assignedAt: new Date(start + startOffsetSeconds * 1000),
  closedAt: new Date(start + (startOffsetSeconds + seconds) * 1000),
});

describe('averageHandlingSeconds', () => {
  it('is the mean of assigned → closed over the history', () => {
    expect(averageHandlingSeconds([handled(60), handled(120, 30), handled(300, 900)], 180)).toBe(160);
  });

  it('keeps fractions: the expected wait rounds once, at the end', () => {
    expect(averageHandlingSeconds([handled(1), handled(2)], 180)).toBe(1.5);
  });

  it('falls back to the default without history', () => {
    expect(averageHandlingSeconds([], 180)).toBe(180);
  });

  it('leaves out chats closed the instant (or before) they were taken', () => {
    expect(averageHandlingSeconds([handled(0), handled(-5), handled(90)], 180)).toBe(90);
    expect(averageHandlingSeconds([handled(0)], 45)).toBe(45);
  });

  it("gives the expected wait spread over the chat slots of the skill's agents", () => {
    const agents = [
      anAgent({ id: 1, maxChats: 2, skills: ['billing'] }),
      anAgent({ id: 2, maxChats: 1, skills: ['billing'] }),
      anAgent({ id: 3, maxChats: 4, skills: ['sales'] }),
    ];
    const average = averageHandlingSeconds([handled(200), handled(400)], 180);
    const capacity = queueCapacity(agents, 'billing', average);
    expect(capacity).toEqual({ agentsOnline: 2, chatSlots: 3, averageHandlingSeconds: 300 });
    expect(expectedWait(1, capacity)).toBe(100);
    expect(expectedWait(4, capacity)).toBe(400);
  });
});
