export * from './socket-test-client';
export * from './messaging-test-app';
export * from './chat-fixtures';
export * from './messaging.contract';
export * from './two-messenger-nodes';
export * from './session.contract';
