import { Injectable, Logger } from '@nestjs/common';
import { type RoutableChat, ChatVariableRepository } from '@switchboard/persistence';
import {
  matchRules,
  openingHoursDecision,
  type OpeningHoursDecision,
  type RoutingEvent,
} from '@switchboard/routing-domain';
import type { RoutingDirectory } from './routing-directory';

/** How a new chat enters routing. */
export type IntakeOutcome =
  | { readonly kind: 'refuse'; readonly events: readonly RoutingEvent[]; readonly message: string | null }
  | {
      readonly kind: 'admit';
      readonly events: readonly RoutingEvent[];
      /** Set when a rule redirected the chat to another skill. */
      readonly redirectToSkillId?: number;
      /** A rule's message for the visitor (the normal case: the chat still routes). */
      readonly message: string | null;
    };

/**
 * The intake of a new chat: the site's routing rules (MR, SK; CNR without a match) and its opening
 * hours (OO unless an outside-hours rule action decided). Reads what the rules look at: the page,
 * language and pre-chat values stored with the chat.
 */
@Injectable()
export class RuleIntake {
  private readonly logger = new Logger('RuleIntake');

  constructor(private readonly chatVariables: ChatVariableRepository) {}

  async decide(chat: RoutableChat, directory: RoutingDirectory, now: Date): Promise<IntakeOutcome> {
    const site = directory.sites.get(chat.siteId);
    const hours = site ? this.openingHours(site, await directory.workPeriods(site.id), now) : null;
    const open = hours?.open ?? true;
    const rules = await directory.rules(chat.siteId);
    const variables = rules.length > 0 ? await this.chatVariables.listByChat(chat.id) : {};
    const skill = chat.skillId === null ? null : (directory.skillNames.get(chat.skillId) ?? null);
    const skillsOnline = new Set(
      directory.agents.filter((agent) => agent.maxChats > 0).flatMap((agent) => agent.skills),
    );
    const decision = matchRules(
      rules,
      {
        chatId: chat.id,
        siteId: chat.siteId,
        channel: chat.channel,
        skill,
        pageUrl: variables.page ?? null,
        language: variables.language ?? null,
        variables,
      },
      { withinOpeningHours: open, skillsOnline },
    );
    if (decision.kind === 'cancel')
      return { kind: 'refuse', events: decision.events, message: decision.message };
    // Outside opening hours, unless a rule action decided (SK): OO with the site's message.
    const ruleActed = decision.events.some((event) => event.code === 'SK');
    if (hours !== null && !hours.open && !ruleActed)
      // The rule matches (MR) stay with the chat; "accepted with no routing rule" (CNR) would be untrue.
      return {
        kind: 'refuse',
        events: [...decision.events.filter((event) => event.code !== 'CNR'), ...hours.events],
        message: hours.message,
      };
    if (decision.skill === skill)
      return { kind: 'admit', events: decision.events, message: decision.message };
    const redirectToSkillId = decision.skill === null ? undefined : directory.skillIds.get(decision.skill);
    if (redirectToSkillId === undefined) {
      this.logger.warn(
        `rule ${decision.matchedRule} routes to the unknown skill "${decision.skill}": create it`,
      );
      return { kind: 'admit', events: decision.events, message: decision.message };
    }
    return { kind: 'admit', events: decision.events, redirectToSkillId, message: decision.message };
  }

  /** The site's opening hours now; a site with a time zone this runtime does not know counts as open. */
  private openingHours(
    site: Parameters<typeof openingHoursDecision>[0] & { siteKey: string },
    periods: Parameters<typeof openingHoursDecision>[1],
    now: Date,
  ): OpeningHoursDecision {
    try {
      return openingHoursDecision(site, periods, now);
    } catch (error) {
      this.logger.warn(
        `site ${site.siteKey}: opening hours not checked (${String(error)}); fix its time zone`,
      );
      return { open: true, events: [] };
    }
  }
}

/** The event code a refusal ends the chat with: the first refusing code among its events. */
export function refusalCode(events: readonly RoutingEvent[]): string {
  const refusing = new Set(['OO', 'OF', 'CQM', 'CQT', 'QTO', 'SK']);
  return events.find((event) => refusing.has(event.code))?.code ?? events[0]?.code ?? 'QERR';
}
