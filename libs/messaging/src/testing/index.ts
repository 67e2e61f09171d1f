export * from './socket-test-client';
