export * from './platform.module';
export * from './platform.tokens';
export * from './bootstrap';
export * from './cluster-event-bus';
export * from './cluster.providers';
export * from './health/health-indicators';
export * from './health/drain-state';
