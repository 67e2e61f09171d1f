import { Injectable } from '@nestjs/common';
import { withoutSecret, type OidcSettings, type StoredOidcSettings } from '@switchboard/identity';
import { OidcProviderRepository, type OidcProviderRecord } from '@switchboard/persistence';
import { AdminErrorCode, AdminException } from '../admin.exception';
import type { AdminActor } from '../support/admin-actor';
import { ChangeRecorder } from '../support/change-recorder';

/** A provider as the admin API shows it (and audits it): its settings, never the client secret. */
export type OidcProviderView = { readonly id: number } & StoredOidcSettings;

/** OpenID Connect providers: the seed's `OpenIdConnectSettings` JSON, one per provider. */
@Injectable()
export class OidcProvidersService {
  constructor(
    private readonly providers: OidcProviderRepository,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(): Promise<OidcProviderView[]> {
    return (await this.providers.list()).map(view);
  }

  async create(settings: OidcSettings, by: AdminActor) {
    const secret = settings.Properties.CLIENTSECRET;
    if (secret === undefined)
      throw new AdminException(
        AdminErrorCode.BadRequest,
        'Properties.CLIENTSECRET: is required (the client secret\'s "Value" from the app registration)',
      );
    const record = await this.providers.create({
      name: settings.Name,
      settings: withoutSecret(settings),
      clientSecret: secret,
    });
    const value = view(record);
    await this.changes.applied(by, {
      action: 'oidcprovider.create',
      targetKind: 'oidcprovider',
      targetKey: String(record.id),
      newValue: value,
    });
    return { value, reload: null };
  }

  /** Replaces the settings; without CLIENTSECRET the stored secret stays. */
  async replace(id: number, settings: OidcSettings, by: AdminActor) {
    const before = await this.require(id);
    const secret = settings.Properties.CLIENTSECRET;
    const after = await this.providers.update(id, {
      name: settings.Name,
      settings: withoutSecret(settings),
      ...(secret === undefined ? {} : { clientSecret: secret }),
    });
    if (after === null) throw AdminException.notFound(`OIDC provider ${id}`);
    const value = view(after);
    await this.changes.applied(by, {
      action: 'oidcprovider.update',
      targetKind: 'oidcprovider',
      targetKey: String(id),
      oldValue: view(before),
      newValue: { ...value, ...(secret === undefined ? {} : { clientSecret: 'changed' }) },
    });
    return { value, reload: null };
  }

  async delete(id: number, by: AdminActor) {
    const before = await this.require(id);
    if (!(await this.providers.delete(id))) throw AdminException.notFound(`OIDC provider ${id}`);
    const value = view(before);
    await this.changes.applied(by, {
      action: 'oidcprovider.delete',
      targetKind: 'oidcprovider',
      targetKey: String(id),
      oldValue: value,
    });
    return { value, reload: null };
  }

  private async require(id: number): Promise<OidcProviderRecord> {
    const record = await this.providers.findById(id);
    if (record === null) throw AdminException.notFound(`OIDC provider ${id}`);
    return record;
  }
}

function view(record: OidcProviderRecord): OidcProviderView {
  return { id: record.id, ...(JSON.parse(record.settings) as StoredOidcSettings) };
}
