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

/** A number TynTec writes as a string in its schema and as a number in its examples. */
const numberOrText = z.union([z.number(), z.string().max(64)]);

/**
 * `SelectedProduct` of an order (webhook events 2.13+, `MoMessage::Order`): `productId` and
 * `quantity` are required by TynTec, but a partial item is still shown to the agent rather than
 * losing the order.
 */
export const selectedProductSchema = z.object({
  productId: z.string().max(256).optional(),
  quantity: numberOrText.optional(),
  itemPrice: numberOrText.optional(),
  currency: z.string().max(16).optional(),
});

/** TynTec's `Order` of `MoMessage::Order`: `catalogId`, `text`, `items` (not WhatsApp's `product_items`). */
export const orderSchema = z.object({
  catalogId: z.string().max(256).optional(),
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
  items: z.array(selectedProductSchema).max(1000).optional(),
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

/** `postback` of `MoMessage::PostBack`: the payload given when the button was sent. */
export const postbackSchema = z.object({
  data: z.string().max(MAX_TEXT_LENGTH),
});

/**
 * `whatsapp` of an inbound event: `Whatsapp` (`senderName`) and, on a postback, `WhatsAppPostBack`
 * (`text`: the button's caption; `title`/`description`: the list item's, since 2.14).
 */
export const moWhatsappSchema = z.object({
  senderName: z.string().max(256).optional(),
  text: z.string().max(MAX_TEXT_LENGTH).optional(),
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
  whatsapp: moWhatsappSchema.optional(),
});
export type MoMessageBody = z.infer<typeof moMessageSchema>;
