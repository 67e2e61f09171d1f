import { z } from 'zod';
import { contactsSchema, locationSchema, MAX_TEXT_LENGTH } from './mo-message.schema';
import { isE164, isHttpsUrl, tyntecMessageIdSchema, userContextSchema } from './tyntec-common';

export const OUTBOUND_MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

const e164Schema = z.string().refine(isE164, 'expected an E.164 number');

const outboundContentSchema = z.discriminatedUnion('contentType', [
  z.object({ contentType: z.literal('text'), text: z.string().min(1).max(MAX_TEXT_LENGTH) }),
  z.object({
    contentType: z.literal('media'),
    media: z.object({
      type: z.enum(OUTBOUND_MEDIA_TYPES),
      /** Must be reachable by WhatsApp users: served under `ACD.Whatsapp.Whatsapp.Url`. */
      url: z.string().max(2048).refine(isHttpsUrl, 'expected an https URL'),
      caption: z.string().max(1024).optional(),
      filename: z.string().max(256).optional(),
    }),
  }),
  z.object({
    contentType: z.literal('template'),
    template: z.object({
      templateId: z.string().min(1).max(512),
      language: z.object({ policy: z.literal('deterministic'), code: z.string().min(2).max(16) }),
      components: z.array(z.record(z.string(), z.unknown())).max(64).optional(),
    }),
  }),
  z.object({ contentType: z.literal('location'), location: locationSchema }),
  z.object({ contentType: z.literal('contacts'), contacts: contactsSchema }),
]);

/** `POST /chat-api/v2/messages` body for the WhatsApp channel. */
export const sendMessageRequestSchema = z.object({
  /** The customer; TynTec writes it without `+`. */
  to: e164Schema,
  channels: z.tuple([z.literal('whatsapp')]),
  whatsapp: z.intersection(z.object({ from: e164Schema }), outboundContentSchema),
  /** Echoed back in every status event of the message. */
  context: z.object({ userContext: userContextSchema.optional() }).optional(),
});
export type SendMessageRequest = z.infer<typeof sendMessageRequestSchema>;
export type OutboundContent = z.infer<typeof outboundContentSchema>;

/** The 202 answer to a send. */
export const sendMessageAcceptedSchema = z.object({
  messageId: tyntecMessageIdSchema,
  acceptedAt: z.string().datetime({ offset: true }),
});
export type SendMessageAccepted = z.infer<typeof sendMessageAcceptedSchema>;

/** `PUT /chat-api/v2/channels/whatsapp/messages/{messageId}`: mark an inbound message read. */
export const markReadRequestSchema = z.object({ status: z.literal('read') });

/** An RFC 7807 problem, as every TynTec error answer is (`application/problem+json`). */
export const problemSchema = z.object({
  status: z.number().int(),
  title: z.string(),
  type: z.string().optional(),
  detail: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;
