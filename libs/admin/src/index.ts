export * from './admin-api.module';
