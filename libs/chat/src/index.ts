export * from './agents/agent-statuses.service';
export * from './chat.module';
export * from './events/chat-events.service';
export * from './intake/chat-intake.service';
export * from './tokens/token.service';
export * from './views/chat-line-view';
export * from './views/chat-summary';
export * from './views/chat-views.service';
