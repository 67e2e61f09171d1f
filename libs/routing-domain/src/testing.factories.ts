import { type AgentSnapshot, AgentStatus, type ChatRequest, type QueueEntry } from './routing-types';

/** An online agent with one free slot and the `sales` skill, unless overridden. */
export function anAgent(overrides: Partial<AgentSnapshot> = {}): AgentSnapshot {
  return {
    id: 1,
    username: `agent${overrides.id ?? 1}`,
    status: AgentStatus.online,
    maxChats: 2,
    openChats: 0,
    skills: ['sales'],
    idleSince: new Date('2026-01-05T09:00:00Z'),
    ...overrides,
  };
}

/** A web chat on site 1 asking for no particular skill, unless overridden. */
export function aChatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    chatId: 100,
    siteId: 1,
    channel: 'web',
    skill: null,
    pageUrl: 'https://shop.example/checkout',
    language: 'de-DE',
    variables: {},
    ...overrides,
  };
}

/** A `sales` queue entry with priority 0, unless overridden. */
export function aQueueEntry(overrides: Partial<QueueEntry> = {}): QueueEntry {
  return { chatId: 1, skill: 'sales', priority: 0, queuedAt: new Date('2026-01-05T10:00:00Z'), ...overrides };
}
