export * from './event-codes';
export * from './cluster-events';
export * from './socket';
