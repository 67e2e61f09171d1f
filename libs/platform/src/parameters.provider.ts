import { Logger, type Provider } from '@nestjs/common';
import {
  isSecretParameter,
  ParameterService,
  ParameterStore,
  type BootstrapSettings,
  type Environment,
} from '@switchboard/config';
import { ParameterRepository } from '@switchboard/persistence';
import { ClusterEventBus } from './cluster-event-bus';
import { BOOTSTRAP_SETTINGS, ENVIRONMENT } from './platform.tokens';

/** The `parameters` table seen through the config library's store port. */
class DatabaseParameterStore extends ParameterStore {
  constructor(private readonly repository: ParameterRepository) {
    super();
  }

  list() {
    return this.repository.list();
  }

  async save(name: string, value: string | null, changedBy: string) {
    const { oldValue } =
      value === null
        ? await this.repository.reset(name, changedBy)
        : isSecretParameter(name)
          ? await this.repository.setSecret(name, value, changedBy)
          : await this.repository.set(name, value, changedBy);
    return { previous: oldValue };
  }
}

/** Live parameters: loaded at start, changed through the admin API, applied from the cluster stream. */
export const parametersProvider: Provider = {
  provide: ParameterService,
  inject: [ParameterRepository, ClusterEventBus, BOOTSTRAP_SETTINGS, ENVIRONMENT],
  useFactory: async (
    parameters: ParameterRepository,
    bus: ClusterEventBus,
    settings: BootstrapSettings,
    environment: Environment,
  ) => {
    const logger = new Logger('Parameters');
    const service = new ParameterService(
      new DatabaseParameterStore(parameters),
      (event) => bus.publish(event),
      settings.nodeId,
      environment,
      { log: (message: string) => logger.log(message), warn: (message: string) => logger.warn(message) },
    );
    await service.reloadAll();
    bus.on('parameter.changed', (event) => service.applyEvent(event));
    bus.onResync(() => service.reloadAll());
    return service;
  },
};
