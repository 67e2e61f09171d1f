import type { LineDelivery } from '@switchboard/protocol';

type DeliveryState = LineDelivery['state'];

/** How a line's delivery state shows: a short mark (ticks, as WhatsApp shows them) and what it says aloud. */
export interface DeliveryTick {
  readonly mark: string;
  readonly label: string;
  /** For the stylesheet: sent, delivered, seen or failed. */
  readonly tone: 'sent' | 'delivered' | 'seen' | 'failed' | 'pending';
}

const TICKS: Record<DeliveryState, DeliveryTick> = {
  pending: { mark: '…', label: 'Sending to WhatsApp', tone: 'pending' },
  unknown: { mark: '?', label: 'Sent, waiting for WhatsApp to confirm', tone: 'pending' },
  unconfirmed: { mark: '?', label: 'Not confirmed by WhatsApp', tone: 'failed' },
  accepted: { mark: '✓', label: 'Sent', tone: 'sent' },
  channelFailed: { mark: '✓', label: 'Sent, retrying another channel', tone: 'sent' },
  delivered: { mark: '✓✓', label: 'Delivered', tone: 'delivered' },
  seen: { mark: '✓✓', label: 'Seen', tone: 'seen' },
  failed: { mark: '!', label: 'Not delivered', tone: 'failed' },
  refused: { mark: '!', label: 'Not sent', tone: 'failed' },
  deleted: { mark: '⌫', label: 'Deleted by the customer', tone: 'failed' },
};

/** The tick of a delivery; a failure or refusal names its reason (e.g. "outside the 24 h window"). */
export function deliveryTick(delivery: Pick<LineDelivery, 'state' | 'detail'>): DeliveryTick {
  const tick = TICKS[delivery.state];
  return delivery.detail && tick.tone === 'failed'
    ? { ...tick, label: `${tick.label}: ${delivery.detail}` }
    : tick;
}
