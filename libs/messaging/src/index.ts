export * from './client-messenger.module';
