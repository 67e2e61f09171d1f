import { webhookDeliveryStates } from '@switchboard/persistence';
import { outboundWebhookEventTypes } from '@switchboard/protocol';
import { z } from 'zod';

export const newOutboundWebhookBody = z
  .object({
    url: z.string().trim().min(1).max(2048),
    /** Signs every delivery (HMAC-SHA256); write-only. */
    secret: z.string().min(16, 'must be at least 16 characters').max(256),
    events: z
      .array(z.enum(outboundWebhookEventTypes))
      .min(1)
      .max(outboundWebhookEventTypes.length)
      .optional(),
    enabled: z.boolean().optional(),
    /** Allows a plain http:// URL that is not a loopback address (a test system behind a VPN…). */
    allowHttp: z.boolean().optional(),
  })
  .strict();

export const outboundWebhookChangesBody = newOutboundWebhookBody.partial().strict();

export const deliveriesQuery = z.object({
  state: z.enum(webhookDeliveryStates).optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'must be a whole number up to 999')
    .transform(Number)
    .optional(),
});
