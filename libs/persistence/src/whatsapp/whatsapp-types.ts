// Value sets of the WhatsApp tables, stored in VARCHAR columns and validated by the repositories.

/** Which callback a webhook arrived on. */
export const webhookKinds = ['incoming', 'delivery'] as const;
export type WebhookKind = (typeof webhookKinds)[number];

export type LineDirection = 'inbound' | 'outbound';

/**
 * An outbound line's journey: `pending` (stored, not sent) → `sending` (the POST to TynTec is under
 * way) → `sent` (TynTec accepted it), or `failed` (TynTec refused it or retries ran out), or
 * `refused` (outside the customer care window). An ambiguous send (TynTec may have accepted it, the
 * answer was lost) is `unknown`, never sent again: TynTec's status webhook (by our `userContext`)
 * makes it `sent`; without one in time it becomes `unconfirmed` (still settled by a later status).
 * A `sending` line whose sender died is `unknown` too. Inbound: `received`.
 */
export const sendStates = [
  'received',
  'pending',
  'sending',
  'sent',
  'failed',
  'refused',
  'unknown',
  'unconfirmed',
] as const;
export type SendState = (typeof sendStates)[number];
