export * from './whatsapp-connector.module';
