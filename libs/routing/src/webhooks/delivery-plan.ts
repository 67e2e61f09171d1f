import { backoffDelay } from '@switchboard/resilience';

/** The `ACD.Chat.Webhooks.*` values a delivery attempt follows. */
export interface WebhookDeliverySettings {
  readonly timeoutMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly maxAgeMs: number;
}

/** What becomes of an event after a failed attempt: due again later, or given up (dead). */
export type AfterFailure = { state: 'pending'; nextAttemptAt: Date } | { state: 'dead' };

/**
 * After the `failures`-th failed attempt of an event that happened at `createdAt`: dead once it is
 * older than the maximum age, else due again after the shared capped exponential backoff with equal
 * jitter (so endpoints coming back are not hit by every node in lockstep).
 */
export function afterFailure(
  failures: number,
  createdAt: Date,
  now: Date,
  settings: WebhookDeliverySettings,
  random: () => number = Math.random,
): AfterFailure {
  if (now.getTime() - createdAt.getTime() >= settings.maxAgeMs) return { state: 'dead' };
  const delay = backoffDelay(
    failures,
    {
      initialMs: settings.retryInitialMs,
      maxMs: Math.max(settings.retryInitialMs, settings.retryMaxMs),
      jitter: 'equal',
    },
    random,
  );
  return { state: 'pending', nextAttemptAt: new Date(now.getTime() + delay) };
}
