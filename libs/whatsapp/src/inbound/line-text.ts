import type { InboundContent, InboundMessage } from '@switchboard/protocol';

const contactName = (contact: Record<string, unknown>): string => {
  const name = contact.name;
  if (typeof name === 'object' && name !== null && 'formattedName' in name) return String(name.formattedName);
  return typeof name === 'string' ? name : 'a contact';
};

/**
 * The longest line the connector writes: a text is at most 4096 characters, but an account of 50
 * contacts or an order is not bounded by TynTec; longer ones end in `…`.
 */
export const MAX_LINE_TEXT_LENGTH = 8192;

/** What the agent reads for a customer's message: the text, or a readable account of what was sent. */
export function lineText(content: InboundContent, mediaLink?: string): string {
  const text = describeContent(content, mediaLink);
  return text.length > MAX_LINE_TEXT_LENGTH ? `${text.slice(0, MAX_LINE_TEXT_LENGTH - 1)}…` : text;
}

function describeContent(content: InboundContent, mediaLink?: string): string {
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
    case 'postback': {
      const caption = content.title ?? content.text ?? content.data;
      return `[button] ${caption}${content.description ? ` (${content.description})` : ''}`;
    }
    case 'order':
      return orderText(content.order);
  }
}

type Order = Extract<InboundContent, { type: 'order' }>['order'];

// An order may list up to 1000 items: the line names the first few, then counts the rest.
const ORDER_ITEMS_SHOWN = 20;

const orderItemText = (item: NonNullable<Order['items']>[number]): string => {
  const price =
    item.itemPrice === undefined ? '' : ` à ${item.itemPrice}${item.currency ? ` ${item.currency}` : ''}`;
  return `${item.quantity ?? '?'} × ${item.productId ?? '?'}${price}`;
};

/** `[order] 2 × sku-1 à 9.5 EUR; 1 × sku-2 — please deliver today` (catalogue in brackets when sent). */
function orderText(order: Order): string {
  const items = order.items ?? [];
  const shown = items.slice(0, ORDER_ITEMS_SHOWN).map(orderItemText);
  if (items.length > ORDER_ITEMS_SHOWN) shown.push(`… ${items.length - ORDER_ITEMS_SHOWN} more`);
  const listed = shown.length > 0 ? shown.join('; ') : 'no items';
  const catalog = order.catalogId ? ` [catalogue ${order.catalogId}]` : '';
  return `[order] ${listed}${catalog}${order.text ? ` — ${order.text}` : ''}`;
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
