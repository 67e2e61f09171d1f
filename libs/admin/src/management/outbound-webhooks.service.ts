import { Injectable } from '@nestjs/common';
import {
  OutboundWebhookRepository,
  WebhookOutboxRepository,
  type OutboundWebhookRecord,
  type WebhookDeliveryState,
} from '@switchboard/persistence';
import { callbackUrlProblem } from '@switchboard/protocol';
import type { z } from 'zod';
import { AdminErrorCode, AdminException } from '../admin.exception';
import type { AdminActor } from '../support/admin-actor';
import { ChangeRecorder } from '../support/change-recorder';
import { DirectoryService } from '../whoson/directory.service';
import type { newOutboundWebhookBody, outboundWebhookChangesBody } from './outbound-webhook.dto';

type NewWebhook = z.infer<typeof newOutboundWebhookBody>;
type WebhookChanges = z.infer<typeof outboundWebhookChangesBody>;

/** An endpoint as the admin API shows it (and audits it): never its secret. */
export interface OutboundWebhookView {
  readonly id: number;
  readonly siteKey: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly enabled: boolean;
  readonly allowHttp: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A site's outbound webhooks (docs/webhooks.md): endpoints, and their deliveries (the dead ones above all). */
@Injectable()
export class OutboundWebhooksService {
  constructor(
    private readonly endpoints: OutboundWebhookRepository,
    private readonly outbox: WebhookOutboxRepository,
    private readonly directory: DirectoryService,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(siteKey: string): Promise<OutboundWebhookView[]> {
    const site = await this.directory.requireSite(siteKey);
    return (await this.endpoints.list({ siteId: site.id })).map((endpoint) => view(siteKey, endpoint));
  }

  async create(siteKey: string, input: NewWebhook, by: AdminActor) {
    const site = await this.directory.requireSite(siteKey);
    checkUrl(input.url, input.allowHttp ?? false);
    const value = view(siteKey, await this.endpoints.create({ ...input, siteId: site.id }));
    await this.changes.applied(by, {
      action: 'webhook.create',
      targetKind: 'webhook',
      targetKey: String(value.id),
      newValue: value,
    });
    return { value, reload: null };
  }

  async update(siteKey: string, id: number, input: WebhookChanges, by: AdminActor) {
    const before = await this.require(siteKey, id);
    checkUrl(input.url ?? before.url, input.allowHttp ?? before.allowHttp);
    const after = (await this.endpoints.update(id, input)) ?? before;
    const value = view(siteKey, after);
    await this.changes.applied(by, {
      action: 'webhook.update',
      targetKind: 'webhook',
      targetKey: String(id),
      oldValue: view(siteKey, before),
      newValue: { ...value, ...(input.secret === undefined ? {} : { secret: 'changed' }) },
    });
    return { value, reload: null };
  }

  /** Deletes an endpoint with its undelivered events. */
  async delete(siteKey: string, id: number, by: AdminActor) {
    const value = view(siteKey, await this.require(siteKey, id));
    if (!(await this.endpoints.delete(id))) throw AdminException.notFound(`webhook ${id}`);
    await this.changes.applied(by, {
      action: 'webhook.delete',
      targetKind: 'webhook',
      targetKey: String(id),
      oldValue: value,
    });
    return { value, reload: null };
  }

  /** The site's deliveries, newest first (`state=dead`: the events given up). */
  async deliveries(siteKey: string, state: WebhookDeliveryState | undefined, limit = 100) {
    const site = await this.directory.requireSite(siteKey);
    const webhookIds = (await this.endpoints.list({ siteId: site.id })).map((endpoint) => endpoint.id);
    return this.outbox.list({ webhookIds, state }, limit);
  }

  private async require(siteKey: string, id: number): Promise<OutboundWebhookRecord> {
    const site = await this.directory.requireSite(siteKey);
    const endpoint = await this.endpoints.findById(id);
    if (endpoint === null || endpoint.siteId !== site.id)
      throw AdminException.notFound(`webhook ${id} of site ${siteKey}`);
    return endpoint;
  }
}

function checkUrl(url: string, allowHttp: boolean): void {
  const problem = callbackUrlProblem(url, allowHttp);
  if (problem !== null) throw new AdminException(AdminErrorCode.BadRequest, `url: ${problem}`);
}

const view = (siteKey: string, endpoint: OutboundWebhookRecord): OutboundWebhookView => ({
  id: endpoint.id,
  siteKey,
  url: endpoint.url,
  events: endpoint.events,
  enabled: endpoint.enabled,
  allowHttp: endpoint.allowHttp,
  createdAt: endpoint.createdAt,
  updatedAt: endpoint.updatedAt,
});
