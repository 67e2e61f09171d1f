export * from './whatsapp-connector.module';
export { TyntecClient, TyntecError } from './outbound/tyntec-client';
export { WEBHOOK_SECRET_NAME } from './webhooks/webhook-secret';
export { autoResponseText } from './outbound/auto-responses';
