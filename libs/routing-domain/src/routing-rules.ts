import { type RoutingEvent, routingEvent, skillRuleEvent } from './routing-event';
import type { ChatRequest } from './routing-types';

/** What a rule does in one case: show a message, send the chat to another skill, or cancel it. */
export type RuleAction =
  | { readonly kind: 'message'; readonly message: string }
  | { readonly kind: 'redirect'; readonly skill: string }
  | { readonly kind: 'cancel' };

/** The case a rule action is configured for, as WhosOn's skill-rule tabs. */
export type RuleCase = 'normal' | 'outside-hours' | 'always' | 'offline';

/** A site's routing rule: conditions (all that are set must hold) and the skill it routes to. */
export interface RoutingRule {
  readonly name: string;
  readonly siteId: number;
  /** Matches when the page URL contains this text (case-insensitive). */
  readonly pageUrlContains?: string;
  /** Matches a language or its regional variants: `de` matches `de-AT`. */
  readonly language?: string;
  /** Pre-chat values that must be equal. */
  readonly variables?: Readonly<Record<string, string>>;
  readonly skill: string;
  readonly actions?: Partial<Readonly<Record<RuleCase, RuleAction>>>;
}

/** What routing knows when the rules run. */
export interface RuleContext {
  readonly withinOpeningHours: boolean;
  /** Skills with at least one suitable agent online. */
  readonly skillsOnline: ReadonlySet<string>;
}

export type RuleDecision =
  | {
      readonly kind: 'route';
      readonly skill: string | null;
      readonly message: string | null;
      readonly matchedRule: string | null;
      readonly events: readonly RoutingEvent[];
    }
  | { readonly kind: 'cancel'; readonly message: string | null; readonly events: readonly RoutingEvent[] };

/** Whether every condition set on the rule holds for the request. */
export function ruleMatches(rule: RoutingRule, request: ChatRequest): boolean {
  if (rule.siteId !== request.siteId) return false;
  if (rule.pageUrlContains !== undefined) {
    const page = request.pageUrl?.toLowerCase() ?? '';
    if (!page.includes(rule.pageUrlContains.toLowerCase())) return false;
  }
  if (rule.language !== undefined) {
    const language = request.language?.toLowerCase() ?? '';
    const wanted = rule.language.toLowerCase();
    if (language !== wanted && !language.startsWith(`${wanted}-`)) return false;
  }
  const variables = Object.entries(rule.variables ?? {});
  return variables.every(([name, value]) => request.variables[name] === value);
}

function ruleCase(rule: RoutingRule, context: RuleContext): RuleCase {
  const actions = rule.actions ?? {};
  if (actions.always) return 'always';
  if (!context.withinOpeningHours && actions['outside-hours']) return 'outside-hours';
  if (!context.skillsOnline.has(rule.skill) && actions.offline) return 'offline';
  return 'normal';
}

function skillStatus(rule: RoutingRule, context: RuleContext): string {
  if (!context.withinOpeningHours) return 'closed';
  return context.skillsOnline.has(rule.skill) ? 'online' : 'offline';
}

/** The glossary's SK text for an action in a case. */
export function skillRuleText(action: RuleAction, ruleCaseName: RuleCase, status: string): string {
  const verb =
    action.kind === 'message'
      ? 'shown message'
      : action.kind === 'redirect'
        ? `redirected to ${action.skill}`
        : 'cancelled';
  switch (ruleCaseName) {
    case 'normal':
      // The glossary writes `status` lower-case after a message only.
      return `Chat ${verb} by skill rule (${action.kind === 'message' ? 'status' : 'Status'}: ${status})`;
    case 'outside-hours':
      return `Chat ${verb} by outside hours skill rule`;
    case 'always':
      return `Chat ${verb} by always skill rule`;
    case 'offline':
      return `Chat in queue ${verb} by offline skill rule`;
  }
}

/**
 * Runs a site's rules in order: MR for every match; the first match decides. Its action for the
 * case at hand (always, then outside hours, then offline, then normal) may show a message, redirect
 * or cancel (SK). A message in the normal case is shown and the chat still routes; in the other
 * cases the message ends the chat. Without a match the chat routes to the skill it asked for (CNR).
 */
export function matchRules(
  rules: readonly RoutingRule[],
  request: ChatRequest,
  context: RuleContext,
): RuleDecision {
  const matches = rules.filter((rule) => ruleMatches(rule, request));
  const matchEvents = matches.map((rule) =>
    routingEvent('MR', { channel: request.channel, rule: rule.name }),
  );
  const [first] = matches;
  if (first === undefined) {
    return {
      kind: 'route',
      skill: request.skill,
      message: null,
      matchedRule: null,
      events: [routingEvent('CNR')],
    };
  }
  const caseName = ruleCase(first, context);
  const action = first.actions?.[caseName];
  const route = (skill: string, message: string | null, events: RoutingEvent[]): RuleDecision => ({
    kind: 'route',
    skill,
    message,
    matchedRule: first.name,
    events,
  });
  if (action === undefined) return route(first.skill, null, matchEvents);
  const events = [
    ...matchEvents,
    skillRuleEvent(skillRuleText(action, caseName, skillStatus(first, context))),
  ];
  switch (action.kind) {
    case 'redirect':
      return route(action.skill, null, events);
    case 'cancel':
      return { kind: 'cancel', message: null, events };
    case 'message':
      if (caseName === 'normal') return route(first.skill, action.message, events);
      return { kind: 'cancel', message: action.message, events };
  }
}
