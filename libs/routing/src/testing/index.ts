export * from './routing-stress-driver';
export * from './waiting-summary';
export * from './event-order';
export * from './event-codes-doc';
export * from './webhook-receiver';
