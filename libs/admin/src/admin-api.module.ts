import { OutboundWebhooksController } from './management/outbound-webhooks.controller';
import { OutboundWebhooksService } from './management/outbound-webhooks.service';
import { Module, RequestMethod, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { BootstrapSettings, Environment } from '@switchboard/config';
import { IdentityModule } from '@switchboard/identity';
import {
  BOOTSTRAP_SETTINGS,
  ENVIRONMENT,
  SecretMask,
  SERVICE_INFO,
  type ServiceInfo,
} from '@switchboard/platform';
import { AdminAccess } from './access/admin-access';
import { AdminAccessGuard } from './access/admin-access.guard';
import { loadAdminAccessSettings, type AdminAccessSettings } from './access/admin-access.settings';
import { ADMIN_ACCESS_SETTINGS } from './access/admin-access.tokens';
import { AdminLimits } from './access/admin-limits';
import { AdminListener } from './access/admin-listener';
import { AdminGateMiddleware } from './access/admin-gate.middleware';
import { BlocksController } from './management/blocks.controller';
import { BlocksService } from './management/blocks.service';
import { ChatConnectorsController } from './management/chat-connectors.controller';
import { ChatConnectorsService } from './management/chat-connectors.service';
import { OidcProvidersController } from './management/oidc-providers.controller';
import { OidcProvidersService } from './management/oidc-providers.service';
import { RoutingRulesController } from './management/routing-rules.controller';
import { RoutingRulesService } from './management/routing-rules.service';
import { ManagementController } from './management/management.controller';
import { ManagementService } from './management/management.service';
import { ChangeRecorder } from './support/change-recorder';
import { GeoIpService } from './support/geoip.service';
import { ChatExportService } from './whoson/chat-export.service';
import { ChatsController } from './whoson/chats.controller';
import { DirectoryController } from './whoson/directory.controller';
import { DirectoryService } from './whoson/directory.service';
import { ReloadController } from './whoson/reload.controller';
import { defaultReloadWaitOptions, RELOAD_WAIT_OPTIONS, ReloadService } from './whoson/reload.service';
import { StatusController } from './whoson/status.controller';
import { StatusService } from './whoson/status.service';

/**
 * The admin-api feature: the WhosOn HTTP interface (whitelist + `a={authstring}`), Switchboard's JSON
 * management API and its OpenAPI document. Composed by apps/admin-api (port 8899) and the embedded
 * all-in-one (its own port, plus a second listener on 8899).
 */
@Module({
  imports: [IdentityModule],
  controllers: [
    StatusController,
    ChatsController,
    DirectoryController,
    ReloadController,
    ManagementController,
    ChatConnectorsController,
    OidcProvidersController,
    RoutingRulesController,
    BlocksController,
    OutboundWebhooksController,
  ],
  providers: [
    {
      provide: ADMIN_ACCESS_SETTINGS,
      inject: [ENVIRONMENT, BOOTSTRAP_SETTINGS, SERVICE_INFO, SecretMask],
      useFactory: (
        environment: Environment,
        settings: BootstrapSettings,
        serviceInfo: ServiceInfo,
        secrets: SecretMask,
      ): AdminAccessSettings => {
        const access = loadAdminAccessSettings(environment, settings, serviceInfo.service);
        // No log line and no getlog.txt shows the auth string, whoever writes it.
        secrets.add(access.authString.reveal());
        return access;
      },
    },
    { provide: RELOAD_WAIT_OPTIONS, useValue: defaultReloadWaitOptions },
    AdminAccess,
    AdminAccessGuard,
    AdminLimits,
    AdminListener,
    GeoIpService,
    StatusService,
    ChatExportService,
    DirectoryService,
    ReloadService,
    ChangeRecorder,
    ManagementService,
    ChatConnectorsService,
    OidcProvidersService,
    RoutingRulesService,
    BlocksService,
    OutboundWebhooksService,
  ],
})
export class AdminApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every path of the admin port, routed or not: the whitelist and the auth string come first.
    consumer.apply(AdminGateMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
