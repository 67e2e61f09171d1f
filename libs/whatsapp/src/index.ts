export * from './whatsapp-connector.module';
export { ApiKeyCipher } from './api-key-cipher';
