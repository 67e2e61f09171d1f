import type { ClusterEvent } from '@switchboard/protocol';

/**
 * The chat an event is about, if it is about one. Its queued handlers run in that chat's queue (one
 * chat's events in order, different chats side by side) and its log lines name it.
 */
export function chatUidOf(event: ClusterEvent): string | undefined {
  switch (event.type) {
    case 'chat.line':
      return event.line.chatUid;
    case 'chat.delivery':
      return event.delivery.chatUid;
    case 'queue.added':
    case 'chat.offer':
      return event.chat.chatUid;
    case 'chat.typing':
    case 'chat.state':
    case 'queue.removed':
    case 'offer.declined':
      return event.chatUid;
    case 'parameter.changed':
    case 'reload':
    case 'queue.positions':
    case 'agent.status':
    case 'session.revoked':
      return undefined;
  }
}
