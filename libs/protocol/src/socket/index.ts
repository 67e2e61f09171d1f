export * from './socket-errors';
export * from './chat-views';
export * from './socket-events';
