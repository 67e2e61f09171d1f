export * from './admin-test-app';
