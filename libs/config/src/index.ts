export * from './parameter-types';
export * from './parameter-registry';
export * from './parameter-service';
export * from './environment';
export * from './bootstrap-settings';
export * from './encryption-settings';
export * from './parameter-docs';
