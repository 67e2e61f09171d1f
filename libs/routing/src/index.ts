export * from './routing.module';
