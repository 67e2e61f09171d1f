import { z } from 'zod';
import { MESSAGE_STATUS_PREFIX, GROUP_EVENT_PREFIX, SEED_GROUP_EVENTS } from './delivery-event.schema';
import { isHttpsUrl } from './tyntec-common';

export const webhookSchema = z.object({
  events: z.array(z.string().min(1).max(128)).min(1).max(64),
  callbackUrl: z.url().max(2048),
});
export type Webhook = z.infer<typeof webhookSchema>;

/** `PATCH /chat-api/v2/applications/default` body: TynTec merges the webhooks by event type. */
export const applicationPatchSchema = z.object({ webhooks: z.array(webhookSchema).min(1).max(64) });
export type ApplicationPatch = z.infer<typeof applicationPatchSchema>;

/** `GET /chat-api/v2/applications/default` answer. */
export const applicationSchema = z.object({
  id: z.string(),
  name: z.string(),
  webhooks: z.array(webhookSchema),
});
export type Application = z.infer<typeof applicationSchema>;

/** The events the seed routes to `/incoming`. */
export const INCOMING_WEBHOOK_EVENTS = ['MoMessage'] as const;

/** The events the seed routes to `/delivery`, in the seed's order. */
export const DELIVERY_WEBHOOK_EVENTS = [
  ...['accepted', 'delivered', 'seen', 'failed', 'channelFailed', 'deleted'].map(
    (status) => `${MESSAGE_STATUS_PREFIX}${status}`,
  ),
  ...SEED_GROUP_EVENTS.map((name) => `${GROUP_EVENT_PREFIX}${name}`),
];

/** The query parameter that carries the webhook secret on both callback URLs. */
export const WEBHOOK_SECRET_PARAMETER = 'secret';

/**
 * The seed's `PATCH applications/default` body: inbound messages to `<baseUrl>/incoming`, statuses
 * and group events to `<baseUrl>/delivery`, both carrying `secret` as a query parameter so the
 * connector can answer 401 to callers that are not TynTec. Throws unless `baseUrl` is https
 * (`allowHttp` is for the local fake TynTec only: the real one refuses http callbacks). `connector`
 * adds `&connector=<number>` to the `/incoming` URL: a message without `to` goes to that connector.
 */
export function webhookConfiguration(
  baseUrl: string,
  secret: string,
  { allowHttp = false, connector }: { allowHttp?: boolean; connector?: string } = {},
): ApplicationPatch {
  const usable =
    isHttpsUrl(baseUrl) || (allowHttp && URL.canParse(baseUrl) && new URL(baseUrl).protocol === 'http:');
  if (!usable) throw new Error(`webhook base URL must be https: ${baseUrl}`);
  if (secret.length === 0) throw new Error('webhook secret must not be empty');
  const callbackUrl = (path: string): string => {
    const url = new URL(baseUrl);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
    url.searchParams.set(WEBHOOK_SECRET_PARAMETER, secret);
    return url.toString();
  };
  // A message without `to` goes to the connector its callback URL names.
  const incoming = new URL(callbackUrl('/incoming'));
  if (connector !== undefined) incoming.searchParams.set('connector', connector.replace(/^\+/, ''));
  return {
    webhooks: [
      { events: [...INCOMING_WEBHOOK_EVENTS], callbackUrl: incoming.toString() },
      { events: [...DELIVERY_WEBHOOK_EVENTS], callbackUrl: callbackUrl('/delivery') },
    ],
  };
}
