export * from './browser';
export * from './oidc-test-provider';
