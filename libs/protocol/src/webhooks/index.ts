export * from './outbound-webhook';
