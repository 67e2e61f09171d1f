import { LINE_DELIVERY_STATES } from '@switchboard/protocol';
import { deliveryTick } from './delivery-ticks';

describe('deliveryTick', () => {
  it('shows one tick when TynTec accepted the line, two when delivered, two highlighted when seen', () => {
    expect(deliveryTick({ state: 'accepted', detail: null })).toEqual({
      mark: '✓',
      label: 'Sent',
      tone: 'sent',
    });
    expect(deliveryTick({ state: 'delivered', detail: null })).toEqual({
      mark: '✓✓',
      label: 'Delivered',
      tone: 'delivered',
    });
    expect(deliveryTick({ state: 'seen', detail: null })).toEqual({
      mark: '✓✓',
      label: 'Seen',
      tone: 'seen',
    });
  });

  it('names the reason of a failure or a refusal, so the agent knows to send a template', () => {
    expect(deliveryTick({ state: 'refused', detail: 'outside the 24 h customer care window' })).toEqual({
      mark: '!',
      label: 'Not sent: outside the 24 h customer care window',
      tone: 'failed',
    });
    expect(deliveryTick({ state: 'failed', detail: null }).label).toBe('Not delivered');
  });

  it('shows a line TynTec may or may not have as waiting, then as unconfirmed with the reason', () => {
    expect(deliveryTick({ state: 'unknown', detail: 'ignored while it waits' })).toEqual({
      mark: '?',
      label: 'Sent, waiting for WhatsApp to confirm',
      tone: 'pending',
    });
    expect(deliveryTick({ state: 'unconfirmed', detail: 'no confirmation within 600 s' })).toEqual({
      mark: '?',
      label: 'Not confirmed by WhatsApp: no confirmation within 600 s',
      tone: 'failed',
    });
  });

  it('has a mark and a spoken label for every delivery state', () => {
    for (const state of LINE_DELIVERY_STATES) {
      const tick = deliveryTick({ state, detail: 'ignored unless it failed' });
      expect(tick.mark).not.toBe('');
      expect(tick.label).toMatch(/^[A-Z]/);
    }
  });
});
