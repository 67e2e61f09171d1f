export { FakeTyntec, type FakeTyntecOptions, type Misbehaviour, type SentMessage } from './fake-tyntec';
export type { WebhookAttempt } from './webhook-sender';
