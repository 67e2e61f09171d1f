import { z } from 'zod';
import { tyntecMessageIdSchema, tyntecNumberSchema, userContextSchema } from './tyntec-common';

/** The statuses of `MessageStatus::<status>` events. */
export const MESSAGE_STATUSES = [
  'accepted',
  'delivered',
  'seen',
  'failed',
  'channelFailed',
  'deleted',
  'unknown',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const MESSAGE_STATUS_PREFIX = 'MessageStatus::';
export const GROUP_EVENT_PREFIX = 'WhatsAppGroupEvent::';

/** Group events the seed subscribes to; others existed (userPromoted, iconChanged, …) and are accepted too. */
export const SEED_GROUP_EVENTS = ['userJoined', 'userLeft', 'subjectChanged', 'descriptionChanged'] as const;

/** A `MessageStatus::*` body as TynTec posts it to the `/delivery` callback. Unknown fields are dropped. */
export const messageStatusEventSchema = z.object({
  event: z.templateLiteral([MESSAGE_STATUS_PREFIX, z.enum(MESSAGE_STATUSES)]),
  messageId: tyntecMessageIdSchema,
  channel: z.string().min(1).max(32).optional(),
  userContext: userContextSchema.optional(),
  timestamp: z.string().max(64).optional(),
  /** `channelFailed` (and sometimes `failed`) say why. */
  details: z
    .object({ code: z.string().max(256).optional(), message: z.string().max(4096).optional() })
    .optional(),
  /** `deleted`: the customer who deleted an inbound message, and our number. */
  from: tyntecNumberSchema.optional(),
  to: tyntecNumberSchema.optional(),
  /** Deprecated (2.12): the status again, and the channel the message went out on. */
  status: z.string().max(64).optional(),
  deliveryChannel: z.string().max(32).optional(),
});
export type MessageStatusEventBody = z.infer<typeof messageStatusEventSchema>;

/**
 * A `WhatsAppGroupEvent::*` body. Dropped from TynTec's spec in 2020 but still subscribed by the
 * seed: recorded as sent (every field kept), never rejected. It has no `messageId`.
 */
export interface WhatsAppGroupEvent {
  /** The part after `WhatsAppGroupEvent::`, e.g. `userJoined`; any name is accepted. */
  readonly name: string;
  readonly groupId?: string;
  readonly timestamp?: string;
  /** The whole body as received. */
  readonly body: Readonly<Record<string, unknown>>;
}

/** Reads the few known fields of a group event without ever failing. */
export function toGroupEvent(event: string, body: Record<string, unknown>): WhatsAppGroupEvent {
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const groupId = text(body.groupId);
  const timestamp = text(body.timestamp);
  return {
    name: event.slice(GROUP_EVENT_PREFIX.length),
    ...(groupId === undefined ? {} : { groupId }),
    ...(timestamp === undefined ? {} : { timestamp }),
    body,
  };
}
