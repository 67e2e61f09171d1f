import { afterFailure, type WebhookDeliverySettings } from './delivery-plan';

const settings: WebhookDeliverySettings = {
  timeoutMs: 10_000,
  retryInitialMs: 1000,
  retryMaxMs: 60_000,
  maxAgeMs: 3_600_000,
};
const createdAt = new Date('2026-01-01T10:00:00Z');
const at = (ms: number) => new Date(createdAt.getTime() + ms);
const delayAfter = (failures: number, random: number) => {
  const next = afterFailure(failures, createdAt, at(0), settings, () => random);
  if (next.state !== 'pending') throw new Error('expected a retry');
  return next.nextAttemptAt.getTime() - createdAt.getTime();
};

describe('outbound webhook retries', () => {
  it('back off exponentially from the initial pause, capped at the maximum', () => {
    expect([1, 2, 3, 4].map((failures) => delayAfter(failures, 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(delayAfter(20, 1)).toBe(60_000);
  });

  it('spread each pause between half of it and all of it (jitter), so nodes do not retry in lockstep', () => {
    expect(delayAfter(3, 0)).toBe(2000);
    expect(delayAfter(3, 0.5)).toBe(3000);
  });

  it('give the event up (dead) at the first failure past the maximum age', () => {
    expect(afterFailure(5, createdAt, at(3_599_999), settings).state).toBe('pending');
    expect(afterFailure(5, createdAt, at(3_600_000), settings)).toEqual({ state: 'dead' });
  });
});
