export * from './routing.module';
export * from './routing-dispatcher.service';
export * from './routing-scheduler.service';
export * from './routing-counters';
export * from './routing-timeouts.service';
export * from './agent-presence-sweep.service';
export * from './transcript-retention.service';
export * from './webhooks/outbound-webhooks.service';
