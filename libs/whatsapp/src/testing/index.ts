export * from './connector-node';
