export * from './client-messenger.module';
export * from './visitor-chat.service';
export * from './agent-chat.service';
export { AGENT_HEARTBEAT_MS } from './agent-presence.service';
