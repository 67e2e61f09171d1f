import {
  type OutboundWebhookData,
  type OutboundWebhookEvent,
  type OutboundWebhookEventType,
} from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ChatEntity } from '../chats/chat.entity';
import { OperatorEntity } from '../operators/operator.entity';
import { WebhookOutboxEntity } from './webhook-outbox.entity';

/** The chat an event is about, as its webhook body names it. */
export type OutboxChat = Pick<ChatEntity, 'id' | 'siteId' | 'chatUid' | 'channel'>;

/** A chat event to post to its site's endpoints; `data` is built only when an endpoint subscribes to it. */
export type PendingWebhookEvent = {
  [Type in OutboundWebhookEventType]: {
    readonly chat: OutboxChat;
    readonly type: Type;
    readonly data: () => OutboundWebhookData[Type] | Promise<OutboundWebhookData[Type]>;
  };
}[OutboundWebhookEventType];

/** The longest line text a chat.line body carries (the sealed body must fit its TEXT column). */
export const WEBHOOK_LINE_TEXT_MAX = 8000;

interface EndpointRow {
  id: number;
  site_id: number;
  events: string;
  site_key: string;
}

/**
 * Writes `events` to the outbox, one row per subscribed enabled endpoint of the chat's site, inside
 * the caller's transaction: the event is stored exactly when the change it reports commits (and
 * in the order of that chat's changes, its row being locked by them). One query when no site of
 * theirs has an endpoint.
 */
export async function enqueueWebhookEvents(
  manager: EntityManager,
  events: readonly PendingWebhookEvent[],
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  const siteIds = [...new Set(events.map((event) => event.chat.siteId))];
  const endpoints = (
    await manager.query<EndpointRow[]>(
      `SELECT w.id AS id, w.site_id AS site_id, w.events AS events, s.site_key AS site_key
         FROM outbound_webhooks w JOIN sites s ON s.id = w.site_id
        WHERE w.enabled = 1 AND w.site_id IN (${siteIds.map(() => '?').join(', ')})
        ORDER BY w.id`,
      siteIds,
    )
  ).map((row) => ({ ...row, id: Number(row.id), site_id: Number(row.site_id) }));
  if (endpoints.length === 0) return;
  const rows: Array<Omit<WebhookOutboxEntity, 'id' | 'webhook' | 'chat'>> = [];
  for (const event of events) {
    const targets = endpoints.filter(
      (endpoint) => endpoint.site_id === event.chat.siteId && endpoint.events.split(',').includes(event.type),
    );
    if (targets.length === 0) continue;
    const body: OutboundWebhookEvent = {
      id: randomUUID(),
      type: event.type,
      occurredAt: at.toISOString(),
      siteKey: targets[0].site_key,
      chat: { uid: event.chat.chatUid, channel: event.chat.channel },
      data: await event.data(),
    };
    const payload = JSON.stringify(body);
    for (const target of targets)
      rows.push({
        webhookId: target.id,
        chatId: event.chat.id,
        eventId: body.id,
        eventType: event.type,
        payload,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at,
        leaseHolder: null,
        leaseExpiresAt: null,
        lastError: null,
        createdAt: at,
        deliveredAt: null,
      });
  }
  if (rows.length > 0) await manager.insert(WebhookOutboxEntity, rows);
}

/** The chat fields an event names, read inside the caller's transaction. */
export function outboxChat(manager: EntityManager, chatId: number): Promise<OutboxChat> {
  return manager.findOneOrFail(ChatEntity, {
    select: { id: true, siteId: true, chatUid: true, channel: true },
    where: { id: chatId },
  });
}

/** chat.assigned for `chat`, now with `operatorId`. */
export function assignedEvent(
  manager: EntityManager,
  chat: OutboxChat,
  operatorId: number,
): PendingWebhookEvent {
  return {
    chat,
    type: 'chat.assigned',
    data: async () => {
      const agent = await manager.findOneOrFail(OperatorEntity, {
        select: { id: true, username: true, displayName: true },
        where: { id: operatorId },
      });
      return { agent: { username: agent.username, name: agent.displayName } };
    },
  };
}

/** chat.line for a stored line. */
export function lineEvent(
  chat: OutboxChat,
  line: { sequence: number; senderKind: string; senderName: string; text: string },
): PendingWebhookEvent {
  return {
    chat,
    type: 'chat.line',
    data: () => ({
      sequence: line.sequence,
      sender: line.senderKind,
      senderName: line.senderName,
      text: line.text.slice(0, WEBHOOK_LINE_TEXT_MAX),
    }),
  };
}
