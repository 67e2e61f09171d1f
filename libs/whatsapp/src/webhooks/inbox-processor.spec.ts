import type { BootstrapSettings } from '@switchboard/config';
import type { WebhookInboxRecord, WebhookInboxRepository } from '@switchboard/persistence';
import type { Metrics } from '@switchboard/platform';
import type { InboundMessageHandler } from '../inbound/inbound-message.handler';
import type { StatusHandler } from '../inbound/status.handler';
import type { WhatsappSettings } from '../whatsapp-settings';
import { InboxProcessor, type ParsedWebhook } from './inbox-processor.service';

/** A processor whose message handler counts how many rows it works on at once. */
function processorWithGauge() {
  const gauge = { running: 0, most: 0, done: 0 };
  const inbound = {
    handle: async () => {
      gauge.running += 1;
      gauge.most = Math.max(gauge.most, gauge.running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      gauge.running -= 1;
      gauge.done += 1;
      return { outcome: 'done' as const };
    },
  } as unknown as InboundMessageHandler;
  const webhookInbox = { markProcessed: () => Promise.resolve() } as unknown as WebhookInboxRepository;
  const metrics = { webhookOutcomes: { inc: () => undefined } } as unknown as Metrics;
  const processor = new InboxProcessor(
    webhookInbox,
    inbound,
    {} as StatusHandler,
    metrics,
    {} as WhatsappSettings,
    {} as BootstrapSettings,
  );
  return { processor, gauge };
}

const row = (id: number) =>
  ({ id, kind: 'incoming', attempts: 1, dedupeKey: `mo:${id}` }) as WebhookInboxRecord;
const parsed = { kind: 'message', message: {} } as unknown as ParsedWebhook;

describe('InboxProcessor', () => {
  it('works one row at a time while webhooks arrive, and four at once when they stop', async () => {
    const { processor, gauge } = processorWithGauge();
    for (let id = 1; id <= 20; id += 1) {
      processor.enqueue(row(id), parsed);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(gauge.most).toBe(1);
    await processor.idle();
    expect(gauge.done).toBe(20);
    const { processor: quiet, gauge: quietGauge } = processorWithGauge();
    await new Promise((resolve) => setTimeout(resolve, 60));
    for (let id = 1; id <= 20; id += 1) quiet.enqueue(row(id), parsed);
    await new Promise((resolve) => setTimeout(resolve, 60));
    for (let id = 21; id <= 28; id += 1) quiet.enqueue(row(id), parsed);
    await quiet.idle();
    expect(quietGauge.done).toBe(28);
    expect(quietGauge.most).toBe(4);
  });
});
