import { ChatEvents } from '@switchboard/chat';
import { Injectable, Logger } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { type RoutableChat, ChatStatisticsRepository, ChatRoutingRepository } from '@switchboard/persistence';
import { Metrics } from '@switchboard/platform';
import {
  admitToQueue,
  averageHandlingSeconds,
  expiredEntries,
  nextOfferAfterTimeout,
  offerTimedOut,
  planOffers,
  queueCapacity,
  routingEvent,
  withoutDecliners,
  type QueueEntry,
  type Decline,
} from '@switchboard/routing-domain';
import { RoutingCounters } from './routing-counters';
import { RoutingDirectoryReader } from './routing-directory';
import { QueuePositions } from './queue-positions';
import { RuleIntake, type IntakeOutcome } from './rule-intake';
import { PassMoves } from './pass-moves';
import {
  adjustLoad,
  handlingSecondsOf,
  queueEntry,
  queueOf,
  siteKeyOf,
  skillOf,
  type PassContext,
} from './pass-context';
import { readRoutingConfig } from './routing-settings';

/** What one pass did, for logs, tests and the benchmark. */
export interface PassSummary {
  readonly offered: number;
  readonly queued: number;
  readonly refused: number;
  readonly requeued: number;
  /** New chats were left for the next pass (more arrived than one pass takes in). */
  readonly more: boolean;
}

// note: a burst of new chats is taken in over several passes, so that one pass stays well inside the
// routing lock's lease and offers to free agents are not held up behind a long intake.
const INTAKE_PER_PASS = 200;

/**
 * One dispatch pass of the ACD, re-derived from the database every time: intake of new chats
 * (opening hours, rules, refusals), accept timeouts and declines (ACR, back to the queue), offers in
 * queue order (AC, QAC, QALL), queue expiry (QTO), positions (QM) and counters. Every write is
 * conditional on the state it was decided from; assignment stays with `ChatRepository.assignOnce`.
 */
@Injectable()
export class RoutingDispatcher {
  private readonly logger = new Logger('Routing');

  constructor(
    private readonly chatStatistics: ChatStatisticsRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly directoryReader: RoutingDirectoryReader,
    private readonly parameters: ParameterService,
    private readonly publisher: ChatEvents,
    private readonly counters: RoutingCounters,
    private readonly positions: QueuePositions,
    private readonly metrics: Metrics,
    private readonly rules: RuleIntake,
    private readonly moves: PassMoves,
  ) {}

  async pass(now = new Date()): Promise<PassSummary> {
    const config = readRoutingConfig(this.parameters);
    const chats = await this.chatRouting.routable();
    const directory = await this.directoryReader.load(chats);
    const context: PassContext = {
      now,
      config,
      directory,
      load: new Map(directory.agents.map((agent) => [agent.id, agent])),
      summary: { offered: 0, queued: 0, refused: 0, requeued: 0 },
      handling: new Map(),
    };
    await this.endLost(
      context,
      chats.filter((chat) => chat.state !== 'waiting' && chat.routing === null),
    );
    const newChats = chats.filter((chat) => chat.state === 'waiting');
    const fresh = await this.intake(context, newChats.slice(0, INTAKE_PER_PASS));
    const settled = await this.expireOffers(
      context,
      chats.filter((chat) => chat.state === 'offered'),
    );
    const waiting = chats.filter((chat) => chat.state === 'queued' && chat.routing !== null);
    const candidates = [...waiting, ...fresh.map((admitted) => admitted.chat)];
    await this.measureHandling(context, candidates);
    const offeredIds = await this.offer(context, candidates, new Set(fresh.map(({ chat }) => chat.id)));
    const left = waiting.filter((chat) => !offeredIds.has(chat.id));
    const admitted = await this.admit(
      context,
      fresh.filter(({ chat }) => !offeredIds.has(chat.id)),
      left,
    );
    const remaining = [...(await this.expire(context, left)), ...admitted];
    await this.finish(context, remaining, settled);
    return { ...context.summary, more: newChats.length > INTAKE_PER_PASS };
  }

  /** New chats through the rules and opening hours (MR, SK, CNR, OO), then into the queue. */
  private async intake(
    context: PassContext,
    waiting: RoutableChat[],
  ): Promise<Array<{ chat: RoutableChat & { routing: NonNullable<RoutableChat['routing']> } }>> {
    const admitted = [];
    for (const waitingChat of waiting) {
      let chat = waitingChat;
      // A chat an agent left (it has routing bookkeeping) goes back to the queue as it is.
      let outcome: IntakeOutcome | null;
      try {
        outcome =
          chat.routing === null ? await this.rules.decide(chat, context.directory, context.now) : null;
      } catch (error) {
        // One chat's failing intake (a site's broken rules…) ends that chat with QERR, not the pass.
        this.logger.error(`chat ${chat.chatUid}: intake failed, removed with QERR: ${String(error)}`);
        await this.moves.refuse(context, chat, [routingEvent('QERR')], null);
        continue;
      }
      if (outcome?.kind === 'refuse') {
        await this.moves.refuse(context, chat, outcome.events, outcome.message);
        continue;
      }
      const round = await this.chatRouting.admit(
        chat.id,
        context.now,
        outcome?.redirectToSkillId,
        outcome?.events,
      );
      if (round === null) continue;
      if (outcome) {
        if (outcome.redirectToSkillId !== undefined) chat = { ...chat, skillId: outcome.redirectToSkillId };
        if (outcome.message !== null) await this.moves.tellVisitor(context, chat, outcome.message);
      }
      const routing = {
        // A chat an agent left keeps its first queue time (admit keeps it in the database too).
        queuedAt: chat.routing?.queuedAt ?? context.now,
        offeredAt: null,
        offeredTo: [],
        askedIds: [],
        declines: chat.routing?.declines ?? [],
        offerRound: round,
      };
      admitted.push({ chat: { ...chat, state: 'queued' as const, routing } });
    }
    return admitted;
  }

  /**
   * Chats in the queue (queued or offered) whose routing bookkeeping is gone: nothing would ever offer
   * or expire them, so they end with QL and the visitor is told, instead of waiting unseen.
   */
  private async endLost(context: PassContext, lost: readonly RoutableChat[]): Promise<void> {
    for (const chat of lost) {
      if (await this.moves.refuse(context, chat, [routingEvent('QL')], null))
        this.logger.warn(`chat ${chat.chatUid}: in the queue without routing bookkeeping, ended with QL`);
    }
  }

  /**
   * Offers out past the accept timeout, or declined by all: retry the next agent (ACR) or requeue;
   * offers whose agents went out of Chat status first go on to the next agent at once (WAC).
   */
  private async expireOffers(context: PassContext, offered: RoutableChat[]): Promise<Set<number>> {
    const settled = new Set<number>();
    const { config, now, load } = context;
    for (const chat of offered) {
      const routing = chat.routing;
      if (routing === null) continue;
      // note: who declined is the database's `declined_ids`, written before `offer.declined` is published.
      // Only a decline of this offer counts: an agent asked again after the cool-down declined an earlier one.
      const offeredAt = routing.offeredAt ?? new Date(0);
      const undeclined = routing.offeredTo.filter(
        (id) => !routing.declines.some(({ operatorId, at }) => operatorId === id && at >= offeredAt),
      );
      const stillOut = undeclined.filter((id) =>
        context.directory.agents.some((candidate) => candidate.id === id),
      );
      const timedOut = routing.offeredAt === null || offerTimedOut(routing.offeredAt, config, now);
      if (!timedOut && stillOut.length > 0) continue;
      // Every agent who had not declined left Chat status before answering: their client dropped out.
      const droppedOut = !timedOut && undeclined.length > 0;
      settled.add(chat.id);
      for (const id of routing.offeredTo) adjustLoad(load, id, -1);
      const decision =
        config.distributionMode === 'auto'
          ? nextOfferAfterTimeout(
              {
                chatId: chat.id,
                skill: skillOf(context, chat),
                askedAgentIds: routing.askedIds,
                ended: droppedOut ? 'dropout' : 'timeout',
              },
              withoutDecliners(
                [...load.values()],
                skillOf(context, chat),
                declinesOf(routing),
                now,
                config.declineCooldownSeconds,
              ),
              config,
            )
          : ({ kind: 'queue', events: [] } as const);
      if (decision.kind === 'offer') {
        const next = decision.offer.agentIds[decision.offer.agentIds.length - 1];
        const sent = await this.moves.sendOffer(context, chat, routing.offerRound, {
          ...decision.offer,
          agentIds: [next],
          askedIds: decision.offer.agentIds,
        });
        if (sent) adjustLoad(load, next, 1);
        continue;
      }
      if (await this.chatRouting.requeue(chat.id, routing.offerRound, now, decision.events)) {
        context.summary.requeued += 1;
        this.moves.log(context, `chat ${chat.chatUid}: offer not accepted, back in the queue`);
      }
    }
    return settled;
  }

  /** Offers queued chats in queue order to agents with a free slot; the ids of the chats offered. */
  private async offer(
    context: PassContext,
    candidates: RoutableChat[],
    freshIds: ReadonlySet<number>,
  ): Promise<Set<number>> {
    const byId = new Map(candidates.map((chat) => [chat.id, chat]));
    const plan = planOffers(
      candidates.map((chat) => ({
        ...queueEntry(context, chat),
        isNew: freshIds.has(chat.id),
        declines: chat.routing ? declinesOf(chat.routing) : [],
      })),
      [...context.load.values()],
      context.config,
      context.now,
    );
    const offered = new Set<number>();
    for (const planned of plan) {
      const chat = byId.get(planned.chatId);
      if (!chat?.routing) continue;
      const sent = await this.moves.sendOffer(context, chat, chat.routing.offerRound, {
        ...planned,
        askedIds: planned.agentIds,
      });
      if (!sent) continue;
      offered.add(chat.id);
      for (const id of planned.agentIds) adjustLoad(context.load, id, 1);
      const waited = (context.now.getTime() - chat.routing.queuedAt.getTime()) / 1000;
      if (!freshIds.has(chat.id))
        this.metrics.queueWaitSeconds.observe({ site: siteKeyOf(context, chat), outcome: 'offered' }, waited);
    }
    return offered;
  }

  /** New chats nobody could be offered: refused (OF, CQM, CQT) or told their place (CQ, QM). */
  private async admit(
    context: PassContext,
    fresh: Array<{ chat: RoutableChat }>,
    queued: RoutableChat[],
  ): Promise<RoutableChat[]> {
    const queues = new Map<string | null, QueueEntry[]>();
    for (const chat of queued) queueOf(queues, queueEntry(context, chat)).push(queueEntry(context, chat));
    const admitted: RoutableChat[] = [];
    for (const { chat } of fresh) {
      const entry = queueEntry(context, chat);
      const queue = queueOf(queues, entry);
      const capacity = queueCapacity(
        context.directory.agents,
        entry.skill,
        handlingSecondsOf(context, entry.skill),
      );
      const decision = admitToQueue(queue, capacity, entry, context.config, context.now);
      if (!decision.admitted) {
        await this.moves.refuse(context, chat, decision.events, null);
        continue;
      }
      if (!(await this.moves.queued(context, chat, decision.events))) continue;
      queue.push(decision.entry);
      admitted.push(chat);
      this.moves.log(context, `chat ${chat.chatUid}: queued at ${decision.position}`);
    }
    return admitted;
  }

  /**
   * The mean handling time (assigned → closed) of the last `Queue.HandlingTime.Sample` closed chats of
   * each skill that has chats in line, read once per pass for the expected waits (CQ, QM, CQT).
   */
  private async measureHandling(context: PassContext, chats: readonly RoutableChat[]): Promise<void> {
    const skills = new Map(chats.map((chat) => [skillOf(context, chat), chat.skillId]));
    for (const [skill, skillId] of skills) {
      const history = await this.chatStatistics.recentlyHandled(
        skill === null ? null : (skillId ?? null),
        context.config.handlingTimeSample,
      );
      context.handling.set(skill, averageHandlingSeconds(history, context.config.handlingTimeDefaultSeconds));
    }
  }

  /** Queued chats past `Queue.MaxTime.Seconds` end with QTO; the others stay. */
  private async expire(context: PassContext, queued: RoutableChat[]): Promise<RoutableChat[]> {
    const entries = queued.map((chat) => queueEntry(context, chat));
    const expired = new Map(
      expiredEntries(entries, context.config, context.now).map((item) => [item.entry.chatId, item]),
    );
    const kept: RoutableChat[] = [];
    for (const chat of queued) {
      const item = expired.get(chat.id);
      if (item === undefined) kept.push(chat);
      else if (await this.moves.refuse(context, chat, item.events, null))
        this.metrics.queueWaitSeconds.observe(
          { site: siteKeyOf(context, chat), outcome: 'expired' },
          item.waitedSeconds,
        );
    }
    return kept;
  }

  /** Tells queued visitors their place, and writes the counters. */
  private async finish(
    context: PassContext,
    queued: RoutableChat[],
    settled: ReadonlySet<number>,
  ): Promise<void> {
    const entries = queued.filter((chat) => !settled.has(chat.id)).map((chat) => queueEntry(context, chat));
    const uids = new Map(queued.map((chat) => [chat.id, chat.chatUid]));
    const updates = this.positions.changed(
      entries,
      context.directory.agents,
      uids,
      context.config,
      context.now,
      (skill) => handlingSecondsOf(context, skill),
    );
    if (updates.length > 0) await this.publisher.positions(updates);
    const queues = new Map<string | null, number>();
    for (const entry of entries) queues.set(entry.skill, (queues.get(entry.skill) ?? 0) + 1);
    const sites = new Map<string, number>();
    for (const chat of queued.filter((candidate) => !settled.has(candidate.id))) {
      const siteKey = siteKeyOf(context, chat);
      sites.set(siteKey, (sites.get(siteKey) ?? 0) + 1);
    }
    await this.counters.write({ queues, sites, agents: context.directory.activeChats });
  }
}

/** The chat's declines as the routing domain counts them. */
const declinesOf = (routing: NonNullable<RoutableChat['routing']>): Decline[] =>
  routing.declines.map(({ operatorId, at }) => ({ agentId: operatorId, at }));
