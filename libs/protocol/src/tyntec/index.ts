export * from './tyntec-common';
export * from './mo-message.schema';
export * from './inbound-message';
export * from './delivery-event.schema';
export * from './outbound-message.schema';
export * from './application.schema';
export * from './parse-webhook';
export * from './delivery-state';
