import type { ChatLineView } from '@switchboard/protocol';
import type { ChatLineRecord } from '@switchboard/persistence';

/** Web lines keep the sender's clientMessageId in the line's unique external id, scoped by chat. */
export function webLineKey(chatId: number, clientMessageId: string): string {
  return `web:${chatId}:${clientMessageId}`;
}

/** A stored line as clients see it; only web lines carry a clientMessageId (WhatsApp lines: null). */
export function toLineView(chatUid: string, line: ChatLineRecord): ChatLineView {
  const webKey = line.externalMessageId?.match(/^web:\d+:(.+)$/);
  return {
    chatUid,
    sequence: line.sequence,
    sender: line.senderKind,
    senderName: line.senderName,
    text: line.text,
    at: line.createdAt.toISOString(),
    clientMessageId: webKey ? webKey[1] : null,
  };
}
