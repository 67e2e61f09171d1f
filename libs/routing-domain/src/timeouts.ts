import { type RoutingEvent, routingEvent, secondsBetween } from './routing-event';
import type { RoutingSettings } from './routing-types';

/** An open chat's activity, as the timeouts see it. */
export interface ChatActivity {
  readonly chatId: number;
  readonly state: 'waiting' | 'queued' | 'offered' | 'active';
  /** The last line or typing from the visitor or the agent. */
  readonly lastActivityAt: Date;
  /** When the visitor's client dropped, null while connected. */
  readonly visitorDisconnectedAt: Date | null;
}

export interface ChatTimeout {
  readonly chatId: number;
  readonly code: 'VT' | 'ST';
  readonly events: readonly RoutingEvent[];
}

/**
 * Chats the server closes now: VT when the visitor's client has been gone for
 * `ACD.Chat.Visitor.ClientTimeout.Seconds` (any open state), else ST when an active chat had no
 * activity from either side for `ACD.Chat.Inactivity.Timeout.Minutes`. Queued chats expire by
 * `expiredEntries` instead.
 */
export function inactivityTimeouts(
  chats: readonly ChatActivity[],
  settings: RoutingSettings,
  now: Date,
): ChatTimeout[] {
  const timeouts: ChatTimeout[] = [];
  for (const chat of chats) {
    const visitorGone =
      chat.visitorDisconnectedAt !== null &&
      secondsBetween(chat.visitorDisconnectedAt, now) >= settings.visitorClientTimeoutSeconds;
    const idle =
      chat.state === 'active' &&
      secondsBetween(chat.lastActivityAt, now) >= settings.inactivityTimeoutMinutes * 60;
    if (visitorGone) timeouts.push({ chatId: chat.chatId, code: 'VT', events: [routingEvent('VT')] });
    else if (idle) timeouts.push({ chatId: chat.chatId, code: 'ST', events: [routingEvent('ST')] });
  }
  return timeouts;
}

/** The automatic line the agent reads when the visitor's browser disconnected (stored with RMS). */
export const visitorDisconnectedText =
  "The visitor's browser disconnected from the chat. The chat closes if they do not come back.";

/**
 * When the agent of an active chat is told the visitor's browser disconnected: once the visitor has
 * been gone `ACD.Chat.Visitor.DisconnectNotice.Seconds` (null when that is 0, or not before the
 * client timeout closes the chat with VT anyway).
 */
export function disconnectNoticeSince(settings: RoutingSettings, now: Date): Date | null {
  const seconds = settings.visitorDisconnectNoticeSeconds;
  if (seconds === 0 || seconds >= settings.visitorClientTimeoutSeconds) return null;
  return new Date(now.getTime() - seconds * 1000);
}

/** How a person ended or left a chat. */
export type ChatEnding =
  | { readonly by: 'visitor' }
  | { readonly by: 'operator-close'; readonly username: string }
  | { readonly by: 'operator-leave'; readonly username: string }
  | { readonly by: 'soft-close'; readonly username: string }
  | { readonly by: 'block-visitor' };

/** The event of a chat ending: VC, OC, OL, SX or BX. */
export function chatEndingEvent(ending: ChatEnding): RoutingEvent {
  switch (ending.by) {
    case 'visitor':
      return routingEvent('VC');
    case 'operator-close':
      return routingEvent('OC', { username: ending.username });
    case 'operator-leave':
      return routingEvent('OL', { username: ending.username });
    case 'soft-close':
      return routingEvent('SX', { username: ending.username });
    case 'block-visitor':
      return routingEvent('BX');
  }
}
