import { z } from 'zod';
import { tyntecMessageIdSchema, tyntecNumberSchema } from './tyntec-common';

/** Inbound event names: the postback is spelled `Postback` in TynTec's enum and `PostBack` in its examples. */
export const MO_MESSAGE_EVENTS = [
  'MoMessage',
  'MoMessage::Postback',
  'MoMessage::PostBack',
  'MoMessage::Order',
] as const;
export type MoMessageEvent = (typeof MO_MESSAGE_EVENTS)[number];

/** Inbound text; WhatsApp's own limit. */
export const MAX_TEXT_LENGTH = 4096;

export const INBOUND_MEDIA_TYPES = ['image', 'document', 'audio', 'voice', 'video'] as const;

export const moTextContentSchema = z.object({
  contentType: z.literal('text'),
  text: z.string().max(MAX_TEXT_LENGTH),
});

export const moMediaContentSchema = z.object({
  contentType: z.literal('media'),
  media: z.object({
    type: z.enum(INBOUND_MEDIA_TYPES),
    /** May use the older `…/messaging/v1/chat/media/{id}` path: prefer `mediaId`. */
    url: z.string().max(2048).optional(),
    mediaId: z.string().min(1).max(256).optional(),
    caption: z.string().max(MAX_TEXT_LENGTH).optional(),
  }),
});

export const locationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(1000).optional(),
  address: z.string().max(1000).optional(),
});

export const moLocationContentSchema = z.object({
  contentType: z.literal('location'),
  location: locationSchema,
});

/** vCard-like contact cards; kept as sent, at most 50 per message. */
export const contactsSchema = z.array(z.record(z.string(), z.unknown())).min(1).max(50);

export const moContactsContentSchema = z.object({
  contentType: z.literal('contacts'),
  contacts: contactsSchema,
});

/** A WhatsApp catalogue order (API 2.17); the item fields are kept as sent. */
export const orderSchema = z.object({
  catalogId: z.string().max(256).optional(),
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  productItems: z.array(z.record(z.string(), z.unknown())).max(1000).optional(),
});

export const moOrderContentSchema = z.object({
  contentType: z.literal('order'),
  order: orderSchema,
});

export const MO_CONTENT_TYPES = ['text', 'media', 'location', 'contacts', 'order'] as const;

export const moContentSchema = z.discriminatedUnion('contentType', [
  moTextContentSchema,
  moMediaContentSchema,
  moLocationContentSchema,
  moContactsContentSchema,
  moOrderContentSchema,
]);

/** `postback` of `MoMessage::PostBack`: the button's payload; `title`/`description` since 2.14. */
export const postbackSchema = z.object({
  data: z.string().max(MAX_TEXT_LENGTH),
  title: z.string().max(MAX_TEXT_LENGTH).optional(),
  description: z.string().max(MAX_TEXT_LENGTH).optional(),
});

/** The inbound `MoMessage` body as TynTec posts it to the `/incoming` callback. Unknown fields are dropped. */
export const moMessageSchema = z.object({
  messageId: tyntecMessageIdSchema,
  event: z.enum(MO_MESSAGE_EVENTS),
  from: tyntecNumberSchema,
  to: tyntecNumberSchema.optional(),
  /** Without a time zone in TynTec's examples: kept as text. */
  timestamp: z.string().max(64).optional(),
  /** Deprecated alias of `timestamp`. */
  receivedAt: z.string().max(64).optional(),
  channel: z.string().min(1).max(32),
  content: moContentSchema.optional(),
  postback: postbackSchema.optional(),
  order: orderSchema.optional(),
  context: z
    .object({
      /** The message this one replies to. */
      messageId: tyntecMessageIdSchema.optional(),
      /** The catalogue product the customer asked about (2.13). */
      product: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  whatsapp: z.object({ senderName: z.string().max(256).optional() }).optional(),
});
export type MoMessageBody = z.infer<typeof moMessageSchema>;
