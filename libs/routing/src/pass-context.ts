import { toChatSummary } from '@switchboard/chat';
import type { RoutableChat } from '@switchboard/persistence';
import type { ChatSummary } from '@switchboard/protocol';
import type { AgentSnapshot, QueueEntry } from '@switchboard/routing-domain';
import type { RoutingDirectory } from './routing-directory';
import type { RoutingConfig } from './routing-settings';

/** What one dispatch pass read and has done so far. */
export interface PassContext {
  readonly now: Date;
  readonly config: RoutingConfig;
  readonly directory: RoutingDirectory;
  /** Agents with the offers of this pass counted in. */
  readonly load: Map<number, AgentSnapshot>;
  readonly summary: { offered: number; queued: number; refused: number; requeued: number };
  /** Mean handling seconds of each queued skill, measured once per pass (see {@link handlingSecondsOf}). */
  readonly handling: Map<string | null, number>;
}

export function skillOf(context: PassContext, chat: RoutableChat): string | null {
  return chat.skillId === null ? null : (context.directory.skillNames.get(chat.skillId) ?? null);
}

export function siteKeyOf(context: PassContext, chat: RoutableChat): string {
  return context.directory.sites.get(chat.siteId)?.siteKey ?? String(chat.siteId);
}

/** The handling time the expected wait of `skill`'s queue uses this pass. */
export function handlingSecondsOf(context: PassContext, skill: string | null): number {
  return context.handling.get(skill) ?? context.config.handlingTimeDefaultSeconds;
}

/** The chat as a queue entry: its skill, priority and queue time (now for a chat not yet queued). */
export function queueEntry(context: PassContext, chat: RoutableChat): QueueEntry {
  return {
    chatId: chat.id,
    skill: skillOf(context, chat),
    priority: chat.priority,
    queuedAt: chat.routing?.queuedAt ?? context.now,
  };
}

/** The queue of `entry`'s skill in `queues`, created empty when missing. */
export function queueOf(queues: Map<string | null, QueueEntry[]>, entry: QueueEntry): QueueEntry[] {
  const queue = queues.get(entry.skill) ?? [];
  queues.set(entry.skill, queue);
  return queue;
}

/** Counts an offer made (+1) or withdrawn (-1) against the agent's slots for the rest of the pass. */
export function adjustLoad(load: Map<number, AgentSnapshot>, id: number, delta: number): void {
  const agent = load.get(id);
  if (agent) load.set(id, { ...agent, openChats: Math.max(0, agent.openChats + delta) });
}

/** The chat as agents see it in an offer. */
export function offerSummary(context: PassContext, chat: RoutableChat): ChatSummary {
  return toChatSummary(
    { ...chat, state: 'offered' },
    {
      siteKey: siteKeyOf(context, chat),
      skill: skillOf(context, chat),
      agentUsername: null,
      agentName: null,
    },
  );
}
