import type { INestApplication } from '@nestjs/common';
import {
  appRepositories,
  type ChatRecord,
  type OperatorRecord,
  type Repositories,
} from '@switchboard/persistence';
import { ClusterEventBus } from '@switchboard/platform';
import {
  formatEventText,
  withEnvelope,
  type ClusterEventBody,
  type ClusterEventOf,
} from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { waitingSummary } from './waiting-summary';

/** How the simulated people behave; every figure is a probability or a range in milliseconds. */
export interface StressBehaviour {
  readonly acceptProbability: number;
  readonly declineProbability: number;
  /** How often another agent picks the offered chat up by hand at the same moment (a race for it). */
  readonly raceProbability: number;
  /** How often an agent picks a new chat up from the waiting list by hand, racing routing's intake. */
  readonly pickProbability?: number;
  readonly answerDelayMs: readonly [number, number];
  readonly holdMs: readonly [number, number];
}

/** Runs `attempt` again, up to ten times with a growing pause, while MariaDB picks it as a deadlock victim. */
async function auditDeadlockRetry<T>(attempt: () => Promise<T>, tries = 0): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (tries === 10 || !String(error).includes('Deadlock found')) throw error;
    await new Promise((wake) => setTimeout(wake, (1 + Math.random()) * 20 * (tries + 1)));
    return auditDeadlockRetry(attempt, tries + 1);
  }
}

const between = ([low, high]: readonly [number, number]): number => low + Math.random() * (high - low);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/**
 * The ClientMessenger side of a routing stress test, in one process: visitors asking for chats and
 * agents answering offers, flipping status and capacity, transferring and closing chats. It writes
 * through the real repositories and publishes on the real cluster stream, exactly what the
 * messenger's use cases do, without sockets in between.
 */
export class StressDriver {
  readonly repositories: Repositories;
  private readonly bus: ClusterEventBus;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly errors: string[] = [];
  private agents = new Map<number, OperatorRecord>();
  private stopped = false;

  constructor(
    app: INestApplication,
    private readonly behaviour: StressBehaviour,
  ) {
    this.repositories = appRepositories(app);
    this.bus = app.get(ClusterEventBus);
    this.bus.on('chat.offer', (offer) => this.onOffer(offer));
    this.bus.on('queue.added', ({ chat }) => this.onWaiting(chat.chatUid));
  }

  /** Unexpected failures of the simulation itself (a test asserts there are none). */
  get failures(): readonly string[] {
    return this.errors;
  }

  async load(): Promise<void> {
    this.agents = new Map((await this.repositories.operators.list()).map((agent) => [agent.id, agent]));
  }

  /** A visitor asks for a chat, as `chat:start` does: open in the database, then `queue.added`. */
  async requestChat(siteId: number, skillId: number | null, priority: number): Promise<ChatRecord> {
    const { chat } = await this.repositories.chats.open({
      siteId,
      channel: 'web',
      visitorKey: randomUUID(),
      visitorName: 'Stress visitor',
      skillId,
      priority,
    });
    await this.publish({ type: 'queue.added', chat: waitingSummary(chat) });
    return chat;
  }

  /** An agent switches between Chat (1) and Busy (2). */
  async flipStatus(agentId: number, online?: boolean): Promise<void> {
    const agent = this.agents.get(agentId)!;
    const status = (online ?? agent.status !== 1) ? 1 : 2;
    await this.repositories.operators.setStatus(agentId, status);
    await this.announce(agentId);
  }

  async setCapacity(agentId: number, maxChats: number): Promise<void> {
    await this.repositories.operators.setMaxChats(agentId, maxChats);
    await this.announce(agentId);
  }

  /** Moves a random active chat to a random other online agent (TFER), as a transfer to an agent does. */
  async transferOne(): Promise<void> {
    const active = await this.repositories.chats.list({ states: ['active'] });
    if (active.length === 0) return;
    const chat = pick(active);
    const targets = [...this.agents.values()].filter(
      (agent) => agent.status === 1 && agent.id !== chat.operatorId,
    );
    if (targets.length === 0 || chat.operatorId === null) return;
    const target = pick(targets);
    const text = formatEventText('TFER', { targets: target.username });
    const moved = await auditDeadlockRetry(() =>
      this.repositories.chats.transfer(chat.id, chat.operatorId!, target.id, new Date(), [
        { code: 'TFER', text, operatorId: target.id },
      ]),
    );
    if (!moved.transferred) return;
    await this.publishState(moved.chat, 'active', target.username, 'TFER', text);
  }

  /** Runs `action` every `intervalMs` until `stop`; failures are collected. */
  every(intervalMs: number, action: () => Promise<void>): void {
    const timer = setInterval(() => this.track(action()), intervalMs);
    this.timers.add(timer);
  }

  randomAgentId(): number {
    return pick([...this.agents.keys()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private onOffer(offer: ClusterEventOf<'chat.offer'>): void {
    for (const username of offer.agentUsernames) {
      const agent = [...this.agents.values()].find((candidate) => candidate.username === username);
      if (agent === undefined) continue;
      const delay = between(this.behaviour.answerDelayMs);
      this.later(delay, () => this.answer(agent.id, offer.chat.chatUid));
      if (Math.random() < this.behaviour.raceProbability) {
        const rival = this.randomAgentId();
        // As the messenger: only an agent in Chat status (1) may pick up.
        this.later(delay, async () => {
          if (this.agents.get(rival)?.status === 1) await this.accept(rival, offer.chat.chatUid);
        });
      }
    }
  }

  private onWaiting(chatUid: string): void {
    if (Math.random() >= (this.behaviour.pickProbability ?? 0)) return;
    const agentId = this.randomAgentId();
    this.later(between([0, 60]), async () => {
      if (this.agents.get(agentId)?.status === 1) await this.accept(agentId, chatUid);
    });
  }

  private async answer(agentId: number, chatUid: string): Promise<void> {
    const roll = Math.random();
    if (this.agents.get(agentId)?.status !== 1) return;
    if (roll < this.behaviour.acceptProbability) await this.accept(agentId, chatUid);
    else if (roll < this.behaviour.acceptProbability + this.behaviour.declineProbability)
      await this.publish({
        type: 'offer.declined',
        chatUid,
        agentUsername: this.agents.get(agentId)!.username,
      });
  }

  /** As `chat:accept` / `chat:pickup`: the database decides (OP), a loser gets OPF. */
  private async accept(agentId: number, chatUid: string): Promise<void> {
    const chat = await this.repositories.chats.findByUid(chatUid);
    if (chat === null || chat.operatorId !== null || chat.state === 'closed' || chat.state === 'missed')
      return;
    const agent = this.agents.get(agentId)!;
    const text = formatEventText('OP', { username: agent.username });
    // note: the test's audit trigger counts active chats with locking reads, so two assignments at
    // the same instant can deadlock more often than the repository's two retries absorb; the
    // simulated console tries again, as an agent would.
    const result = await auditDeadlockRetry(() =>
      this.repositories.chats.assignOnce(chat.id, agentId, new Date(), [
        { code: 'OP', text, operatorId: agentId },
      ]),
    );
    if (!result.assigned) {
      if (result.reason === 'chat-not-assignable') {
        const failed = formatEventText('OPF', { username: agent.username });
        await this.repositories.chatEvents.append(chat.id, {
          code: 'OPF',
          text: failed,
          operatorId: agentId,
        });
      }
      return;
    }
    await this.publish({ type: 'queue.removed', chatUid, reason: `picked up by ${agent.username}` });
    await this.publishState(result.chat, 'active', agent.username, 'OP', text);
    this.later(between(this.behaviour.holdMs), () => this.close(chat.id));
  }

  /** Whoever holds the chat then (it may have been transferred) ends it: OC. */
  private async close(chatId: number): Promise<void> {
    const chat = await this.repositories.chats.findById(chatId);
    if (chat === null) return;
    const holder = chat.operatorId === null ? undefined : this.agents.get(chat.operatorId);
    const text = formatEventText('OC', { username: holder?.username ?? '' });
    const event = { code: 'OC', text, operatorId: chat.operatorId };
    // note: closing locks the chat, then its agent's row; the audit trigger of an assignment to the
    // same agent holds that row and reads the agent's chats, so the two can deadlock (see accept).
    const closed = await auditDeadlockRetry(() =>
      this.repositories.chats.close(chatId, 'OC', new Date(), 'closed', [event]),
    );
    if (!closed) return;
    await this.publishState(chat, 'closed', null, 'OC', text);
  }

  private async announce(agentId: number): Promise<void> {
    const agent = await this.repositories.operators.findById(agentId);
    if (agent === null) return;
    this.agents.set(agentId, agent);
    const { username, displayName, status, maxChats, openChats, skills } = agent;
    await this.publish({
      type: 'agent.status',
      agent: { username, displayName, status, maxChats, openChats, skills },
    });
  }

  private publishState(
    chat: ChatRecord,
    state: 'active' | 'closed',
    agentUsername: string | null,
    code: string,
    text: string,
  ): Promise<void> {
    return this.publish({
      type: 'chat.state',
      chatUid: chat.chatUid,
      state,
      agentUsername,
      agentName: agentUsername,
      previousAgentUsername: null,
      code,
      text,
    });
  }

  private later(delayMs: number, action: () => Promise<void>): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(action());
    }, delayMs);
    this.timers.add(timer);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => {
        this.errors.push(String((error as Error).stack ?? error));
      })
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private async publish(event: ClusterEventBody): Promise<void> {
    await this.bus.publish(withEnvelope(event, 'stress-driver'));
  }
}
