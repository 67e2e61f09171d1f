import type { InboundContent, InboundMessage } from '@switchboard/protocol';

const contactName = (contact: Record<string, unknown>): string => {
  const name = contact.name;
  if (typeof name === 'object' && name !== null && 'formattedName' in name) return String(name.formattedName);
  return typeof name === 'string' ? name : 'a contact';
};

/** What the agent reads for a customer's message: the text, or a readable account of what was sent. */
export function lineText(content: InboundContent, mediaLink?: string): string {
  switch (content.type) {
    case 'text':
      return content.text;
    case 'media': {
      const described = [`[${content.mediaType}]`, content.caption, mediaLink].filter(Boolean);
      return described.join(' ');
    }
    case 'location': {
      const place = [content.name, content.address].filter(Boolean).join(', ');
      return `[location] ${content.latitude}, ${content.longitude}${place ? ` (${place})` : ''}`;
    }
    case 'contacts':
      return `[contacts] ${content.contacts.map(contactName).join(', ')}`;
    case 'postback':
      return `[button] ${content.title ?? content.data}`;
    case 'order': {
      const items = content.order.productItems?.length ?? 0;
      return `[order] ${items} item${items === 1 ? '' : 's'}${content.order.text ? `: ${content.order.text}` : ''}`;
    }
  }
}

/** The sender's name as WhatsApp gives it, or their number. */
export function senderName(message: InboundMessage): string {
  return message.senderName?.trim() || `+${message.from}`;
}

/**
 * The chat line's unique external id of a WhatsApp message: the TynTec id, hashed when it is longer
 * than the column (ids are opaque strings of up to 256 characters).
 */
export function whatsappLineKey(messageId: string, hash: (text: string) => string): string {
  return messageId.length <= 120 ? `wa:${messageId}` : `wa#${hash(messageId)}`;
}
