import { ChatEntity, ChatLineEntity, WebhookInboxEntity, WhatsappLineEntity } from '@switchboard/persistence';
import { describeStoredFieldWidths } from '@switchboard/persistence/testing';
import {
  messageStatusEventSchema,
  moTextContentSchema,
  moWhatsappSchema,
  tyntecMessageIdSchema,
  tyntecNumberSchema,
} from '@switchboard/protocol';
import { z } from 'zod';
import { MAX_LINE_TEXT_LENGTH } from './inbound/line-text';

// What TynTec may send (the zod schemas of @switchboard/protocol) and where the connector keeps it.
describe('WhatsApp fields fit their columns (MariaDB refuses longer values after the webhook was answered)', () => {
  describeStoredFieldWidths({
    'whatsapp.senderName → chats.visitor_name': {
      schema: moWhatsappSchema.shape.senderName,
      entity: ChatEntity,
      property: 'visitorName',
    },
    'whatsapp.senderName → chat_lines.sender_name': {
      schema: moWhatsappSchema.shape.senderName,
      entity: ChatLineEntity,
      property: 'senderName',
    },
    'from → chats.visitor_key': { schema: tyntecNumberSchema, entity: ChatEntity, property: 'visitorKey' },
    'messageId → whatsapp_lines.tyntec_message_id': {
      schema: tyntecMessageIdSchema,
      entity: WhatsappLineEntity,
      property: 'tyntecMessageId',
    },
    'to / ?connector= → webhook_inbox.connector_number': {
      schema: tyntecNumberSchema,
      entity: WebhookInboxEntity,
      property: 'connectorNumber',
    },
    'content.text → chat_lines.text': {
      schema: moTextContentSchema.shape.text,
      entity: ChatLineEntity,
      property: 'text',
    },
    'any line text the connector writes (orders, contacts …) → chat_lines.text': {
      schema: z.string().max(MAX_LINE_TEXT_LENGTH),
      entity: ChatLineEntity,
      property: 'text',
    },
    'status details.message → whatsapp_lines.last_error': {
      schema: messageStatusEventSchema.shape.details.unwrap().shape.message,
      entity: WhatsappLineEntity,
      property: 'lastError',
    },
  });
});
