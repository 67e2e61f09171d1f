import type { Provider } from '@nestjs/common';
import type { BootstrapSettings, Environment } from '@switchboard/config';
import {
  BOOTSTRAP_SETTINGS,
  ENVIRONMENT,
  LOG_OUTPUT,
  SERVICE_INFO,
  type ServiceInfo,
} from '../platform.tokens';
import { AppLogger, type LogOutput } from './app-logger';
import { LogRing } from './log-ring.destination';
import { loadLogSettings } from './log-settings';
import { SecretMask } from './secret-mask';

/** The process's logger, getlog.txt's ring and the secrets neither shows. */
export const loggingProviders: Provider[] = [
  { provide: SecretMask, useFactory: () => new SecretMask() },
  { provide: LogRing, inject: [SecretMask], useFactory: (mask: SecretMask) => new LogRing(mask) },
  {
    provide: AppLogger,
    inject: [ENVIRONMENT, BOOTSTRAP_SETTINGS, SERVICE_INFO, SecretMask, LogRing, LOG_OUTPUT],
    useFactory: (
      environment: Environment,
      bootstrap: BootstrapSettings,
      serviceInfo: ServiceInfo,
      mask: SecretMask,
      ring: LogRing,
      output: LogOutput | null,
    ) =>
      new AppLogger({
        settings: loadLogSettings(environment, bootstrap),
        nodeId: bootstrap.nodeId,
        service: serviceInfo.service,
        mask,
        ring,
        output: output ?? undefined,
      }),
  },
];
