// Value sets of the WhatsApp tables, stored in VARCHAR columns and validated by the repositories.

/** Which callback a webhook arrived on. */
export const webhookKinds = ['incoming', 'delivery'] as const;
export type WebhookKind = (typeof webhookKinds)[number];

export type LineDirection = 'inbound' | 'outbound';

/**
 * An outbound line's journey: `pending` (stored, not sent) → `sent` (TynTec accepted it), or `failed`
 * (TynTec refused it or retries ran out), or `refused` (outside the customer care window). Inbound: `received`.
 */
export const sendStates = ['received', 'pending', 'sent', 'failed', 'refused'] as const;
export type SendState = (typeof sendStates)[number];
