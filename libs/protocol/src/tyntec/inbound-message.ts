import type { z } from 'zod';
import type {
  INBOUND_MEDIA_TYPES,
  locationSchema,
  MoMessageBody,
  MoMessageEvent,
  orderSchema,
} from './mo-message.schema';

/** What the customer sent, one shape per kind, whatever the event name and field layout on the wire. */
export type InboundContent =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'media';
      readonly mediaType: (typeof INBOUND_MEDIA_TYPES)[number];
      /** Download with `GET /chat-api/v2/media/{mediaId}`; `url` is the fallback. */
      readonly mediaId?: string;
      readonly url?: string;
      readonly caption?: string;
    }
  | ({ readonly type: 'location' } & z.infer<typeof locationSchema>)
  | { readonly type: 'contacts'; readonly contacts: readonly Record<string, unknown>[] }
  | {
      readonly type: 'postback';
      readonly data: string;
      /** The button's caption (`whatsapp.text`). */
      readonly text?: string;
      /** The list item's title and description (`whatsapp.title`, `whatsapp.description`). */
      readonly title?: string;
      readonly description?: string;
    }
  | { readonly type: 'order'; readonly order: z.infer<typeof orderSchema> };

/** An inbound WhatsApp message, normalized from a `MoMessage*` body. */
export interface InboundMessage {
  readonly messageId: string;
  readonly event: MoMessageEvent;
  /** The customer's number (E.164 digits without `+`). */
  readonly from: string;
  readonly to?: string;
  /** `timestamp`, or the deprecated `receivedAt`; no time zone in TynTec's examples. */
  readonly timestamp?: string;
  readonly senderName?: string;
  /** `context.messageId`: the message this one answers. */
  readonly replyToMessageId?: string;
  readonly content: InboundContent;
}

/** The normalized message, or the problem that makes the body unusable. */
export function toInboundMessage(body: MoMessageBody): InboundMessage | string {
  const content = contentOf(body);
  if (typeof content === 'string') return content;
  const timestamp = body.timestamp ?? body.receivedAt;
  return {
    messageId: body.messageId,
    event: body.event,
    from: body.from,
    ...(body.to === undefined ? {} : { to: body.to }),
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(body.whatsapp?.senderName === undefined ? {} : { senderName: body.whatsapp.senderName }),
    ...(body.context?.messageId === undefined ? {} : { replyToMessageId: body.context.messageId }),
    content,
  };
}

function contentOf(body: MoMessageBody): InboundContent | string {
  switch (body.event) {
    case 'MoMessage::Postback':
    case 'MoMessage::PostBack':
      return body.postback === undefined
        ? `postback: required for ${body.event}`
        : { type: 'postback', data: body.postback.data, ...postbackCaptions(body.whatsapp) };
    case 'MoMessage::Order': {
      const order = body.content?.contentType === 'order' ? body.content.order : body.order;
      return order === undefined ? 'order: required for MoMessage::Order' : { type: 'order', order };
    }
    case 'MoMessage':
      return body.content === undefined ? 'content: required for MoMessage' : fromContent(body.content);
  }
}

function postbackCaptions(
  whatsapp: MoMessageBody['whatsapp'],
): Pick<Extract<InboundContent, { type: 'postback' }>, 'text' | 'title' | 'description'> {
  const { text, title, description } = whatsapp ?? {};
  return {
    ...(text === undefined ? {} : { text }),
    ...(title === undefined ? {} : { title }),
    ...(description === undefined ? {} : { description }),
  };
}

function fromContent(content: NonNullable<MoMessageBody['content']>): InboundContent {
  switch (content.contentType) {
    case 'text':
      return { type: 'text', text: content.text };
    case 'media': {
      const { type: mediaType, ...media } = content.media;
      return { type: 'media', mediaType, ...media };
    }
    case 'location':
      return { type: 'location', ...content.location };
    case 'contacts':
      return { type: 'contacts', contacts: content.contacts };
    case 'order':
      return { type: 'order', order: content.order };
  }
}
