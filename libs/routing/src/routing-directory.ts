import { Injectable } from '@nestjs/common';
import {
  ChatRoutingRepository,
  OperatorRepository,
  RoutingRuleRepository,
  SiteRepository,
  SkillRepository,
  WorkPeriodRepository,
  type RoutableChat,
  type RoutingRuleRecord,
  type SiteRecord,
} from '@switchboard/persistence';
import { AgentStatus, type AgentSnapshot, type WorkPeriod } from '@switchboard/routing-domain';

/** What one dispatch pass knows of sites, skills and the agents in Chat status, read at its start. */
export interface RoutingDirectory {
  readonly sites: ReadonlyMap<number, SiteRecord>;
  readonly skillNames: ReadonlyMap<number, string>;
  readonly skillIds: ReadonlyMap<string, number>;
  /** Online agents (status 1); `openChats` counts their active chats and the offers out to them. */
  readonly agents: readonly AgentSnapshot[];
  /** Active chats of each online agent, offers not counted (for CHATCOUNTERS). */
  readonly activeChats: ReadonlyMap<string, number>;
  workPeriods(siteId: number): Promise<WorkPeriod[]>;
  /** The site's routing rules in the order they run. */
  rules(siteId: number): Promise<RoutingRuleRecord[]>;
}

const latest = (...dates: Array<Date | null>): Date | null =>
  dates.reduce<Date | null>(
    (best, date) => (date !== null && (best === null || date > best) ? date : best),
    null,
  );

/** Reads what a dispatch pass knows of sites, skills, agents, opening hours and rules. */
@Injectable()
export class RoutingDirectoryReader {
  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly operators: OperatorRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly workPeriods: WorkPeriodRepository,
    private readonly routingRules: RoutingRuleRepository,
  ) {}

  /** The directory of one pass; `routable` are the chats of the same pass (their offers load agents). */
  async load(routable: readonly RoutableChat[]): Promise<RoutingDirectory> {
    const [sites, skills, operators] = await Promise.all([
      this.sites.list(),
      this.skills.list(),
      this.operators.list({ status: AgentStatus.online }),
    ]);
    const offersOut = new Map<number, number>();
    for (const chat of routable)
      if (chat.state === 'offered')
        for (const id of chat.routing?.offeredTo ?? []) offersOut.set(id, (offersOut.get(id) ?? 0) + 1);
    // Idle time only ranks agents who can take a chat now: read it for those only.
    const free = operators.filter(
      (operator) => operator.openChats + (offersOut.get(operator.id) ?? 0) < operator.maxChats,
    );
    const activity = await this.chatRouting.operatorActivity(free.map((operator) => operator.id));
    const agents = operators.map((operator): AgentSnapshot => {
      const last = activity.get(operator.id);
      return {
        id: operator.id,
        username: operator.username,
        status: AgentStatus.online,
        maxChats: operator.maxChats,
        openChats: operator.openChats + (offersOut.get(operator.id) ?? 0),
        skills: operator.skills,
        idleSince: latest(operator.statusChangedAt, last?.lastAssignedAt ?? null, last?.lastClosedAt ?? null),
      };
    });
    const periods = new Map<number, Promise<WorkPeriod[]>>();
    const rules = new Map<number, Promise<RoutingRuleRecord[]>>();
    return {
      sites: new Map(sites.map((site) => [site.id, site])),
      skillNames: new Map(skills.map((skill) => [skill.id, skill.name])),
      skillIds: new Map(skills.map((skill) => [skill.name, skill.id])),
      agents,
      activeChats: new Map(operators.map((operator) => [operator.username, operator.openChats])),
      workPeriods: (siteId) => {
        const cached = periods.get(siteId) ?? this.workPeriods.listForSite(siteId);
        periods.set(siteId, cached);
        return cached;
      },
      rules: (siteId) => {
        const cached = rules.get(siteId) ?? this.routingRules.listForSite(siteId);
        rules.set(siteId, cached);
        return cached;
      },
    };
  }
}
