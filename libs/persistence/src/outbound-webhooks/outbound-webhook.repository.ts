import { outboundWebhookEventTypes, type OutboundWebhookEventType } from '@switchboard/protocol';
import { ensureValid } from '../database/persistence.error';
import { encryptedColumns, openColumn, sealColumn } from '../encryption/encrypted-columns';
import { OutboundWebhookEntity } from './outbound-webhook.entity';
import type { Database } from '../database/database';

/** An endpoint as callers see it: without its secret. */
export type OutboundWebhookRecord = Readonly<
  Omit<OutboundWebhookEntity, 'site' | 'secretCiphertext' | 'events'> & {
    events: OutboundWebhookEventType[];
  }
>;

export interface NewOutboundWebhook {
  siteId: number;
  url: string;
  /** Signs every delivery: stored encrypted, returned only by {@link OutboundWebhookRepository.revealSecret}. */
  secret: string;
  /** @default every event type */
  events?: readonly OutboundWebhookEventType[];
  /** @default true */
  enabled?: boolean;
  /** @default false */
  allowHttp?: boolean;
}

export type OutboundWebhookPatch = Partial<Omit<NewOutboundWebhook, 'siteId'>>;

const toRecord = ({
  site: _site,
  secretCiphertext: _secret,
  events,
  ...record
}: OutboundWebhookEntity): OutboundWebhookRecord => ({
  ...record,
  events: events
    .split(',')
    .filter((event): event is OutboundWebhookEventType =>
      (outboundWebhookEventTypes as readonly string[]).includes(event),
    ),
});

function columnsOf(patch: OutboundWebhookPatch): Partial<OutboundWebhookEntity> {
  const { secret, events, ...fields } = patch;
  if (secret !== undefined) ensureValid(secret.length >= 16, 'the secret is too short');
  if (events !== undefined) {
    ensureValid(events.length > 0, 'an endpoint subscribes to at least one event');
    ensureValid(
      events.every((event) => outboundWebhookEventTypes.includes(event)),
      `events are among ${outboundWebhookEventTypes.join(', ')}`,
    );
  }
  return {
    ...fields,
    ...(events === undefined ? {} : { events: [...new Set(events)].join(',') }),
    ...(secret === undefined
      ? {}
      : { secretCiphertext: sealColumn(encryptedColumns.outboundWebhookSecret, secret) }),
  };
}

/** A site's outbound webhook endpoints (docs/webhooks.md). */
export class OutboundWebhookRepository {
  constructor(private readonly database: Database) {}

  async create(input: NewOutboundWebhook, at = new Date()): Promise<OutboundWebhookRecord> {
    const columns = columnsOf({ events: outboundWebhookEventTypes, ...input });
    const saved = await this.database.transaction((manager) =>
      manager.save(
        manager.create(OutboundWebhookEntity, {
          enabled: true,
          allowHttp: false,
          ...columns,
          siteId: input.siteId,
          createdAt: at,
          updatedAt: at,
        }),
      ),
    );
    return toRecord(saved);
  }

  /** Changes the given fields; null when there is no such endpoint. */
  async update(
    id: number,
    patch: OutboundWebhookPatch,
    at = new Date(),
  ): Promise<OutboundWebhookRecord | null> {
    const columns = columnsOf(patch);
    const result = await this.database.transaction((manager) =>
      manager.update(OutboundWebhookEntity, { id }, { ...columns, updatedAt: at }),
    );
    return result.affected === 1 ? this.findById(id) : null;
  }

  /** Deletes the endpoint and its undelivered events. */
  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) =>
      manager.delete(OutboundWebhookEntity, { id }),
    );
    return result.affected === 1;
  }

  async findById(id: number): Promise<OutboundWebhookRecord | null> {
    const entity = await this.database.manager.findOneBy(OutboundWebhookEntity, { id });
    return entity && toRecord(entity);
  }

  async list(filter: { siteId?: number } = {}): Promise<OutboundWebhookRecord[]> {
    const entities = await this.database.manager.find(OutboundWebhookEntity, {
      where: { siteId: filter.siteId },
      order: { id: 'ASC' },
    });
    return entities.map(toRecord);
  }

  /** The secret in clear, for the one caller that signs with it; null when there is no such endpoint. */
  async revealSecret(id: number): Promise<string | null> {
    const entity = await this.database.manager.findOne(OutboundWebhookEntity, {
      select: { id: true, secretCiphertext: true },
      where: { id },
    });
    return entity ? openColumn(encryptedColumns.outboundWebhookSecret, entity.secretCiphertext) : null;
  }
}
