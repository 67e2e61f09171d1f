import {
  matchRules,
  ruleMatches,
  type RoutingRule,
  type RuleAction,
  type RuleCase,
  type RuleContext,
} from './routing-rules';
import { aChatRequest } from './testing.factories';

const rule = (overrides: Partial<RoutingRule> = {}): RoutingRule => ({
  name: 'German sales',
  siteId: 1,
  skill: 'sales',
  ...overrides,
});
const openAndOnline: RuleContext = { withinOpeningHours: true, skillsOnline: new Set(['sales', 'support']) };
const codes = (decision: { events: readonly { code: string }[] }): string[] =>
  decision.events.map((event) => event.code);

describe('ruleMatches', () => {
  it.each([
    ['no conditions, same site', {}, {}, true],
    ['another site', { siteId: 2 }, {}, false],
    ['page contains, any case', { pageUrlContains: 'CHECKOUT' }, {}, true],
    ['page does not contain', { pageUrlContains: '/pricing' }, {}, false],
    ['page condition, request without page', { pageUrlContains: 'checkout' }, { pageUrl: null }, false],
    ['language exact', { language: 'de-DE' }, {}, true],
    ['language base matches region', { language: 'de' }, {}, true],
    ['language prefix is not a base language', { language: 'd' }, {}, false],
    ['other language', { language: 'en' }, {}, false],
    ['language condition, request without language', { language: 'de' }, { language: null }, false],
    [
      'pre-chat variables equal',
      { variables: { topic: 'billing' } },
      { variables: { topic: 'billing', vip: 'yes' } },
      true,
    ],
    [
      'pre-chat variable differs',
      { variables: { topic: 'billing' } },
      { variables: { topic: 'sales' } },
      false,
    ],
    ['pre-chat variable missing', { variables: { topic: 'billing' } }, {}, false],
  ] as const)('%s → %s', (_label, ruleOverrides, requestOverrides, expected) => {
    expect(ruleMatches(rule(ruleOverrides), aChatRequest(requestOverrides))).toBe(expected);
  });
});

describe('matchRules', () => {
  it('routes to the requested skill with CNR when no rule matches', () => {
    expect(matchRules([rule({ siteId: 9 })], aChatRequest({ skill: 'support' }), openAndOnline)).toEqual({
      kind: 'route',
      skill: 'support',
      message: null,
      matchedRule: null,
      events: [{ code: 'CNR', text: 'Chat accepted with no routing rule' }],
    });
  });

  it('logs MR for every match and lets the first match decide', () => {
    const rules = [
      rule({ name: 'Checkout', pageUrlContains: 'checkout' }),
      rule({ name: 'All', skill: 'support' }),
    ];
    expect(matchRules(rules, aChatRequest(), openAndOnline)).toEqual({
      kind: 'route',
      skill: 'sales',
      message: null,
      matchedRule: 'Checkout',
      events: [
        { code: 'MR', text: 'web Matched skill rule: Checkout' },
        { code: 'MR', text: 'web Matched skill rule: All' },
      ],
    });
  });

  const message: RuleAction = { kind: 'message', message: 'Please call us.' };
  const redirect: RuleAction = { kind: 'redirect', skill: 'support' };
  const cancel: RuleAction = { kind: 'cancel' };
  const closed: RuleContext = { withinOpeningHours: false, skillsOnline: new Set() };
  const openOffline: RuleContext = { withinOpeningHours: true, skillsOnline: new Set() };

  it.each<[RuleCase, RuleAction, RuleContext, string, string, string | null, string]>([
    [
      'normal',
      message,
      openAndOnline,
      'route:sales',
      'Chat shown message by skill rule (status: online)',
      'Please call us.',
      'message shown, chat still routed',
    ],
    [
      'normal',
      redirect,
      openAndOnline,
      'route:support',
      'Chat redirected to support by skill rule (Status: online)',
      null,
      'redirect',
    ],
    [
      'normal',
      cancel,
      openOffline,
      'cancel',
      'Chat cancelled by skill rule (Status: offline)',
      null,
      'cancel',
    ],
    [
      'outside-hours',
      message,
      closed,
      'cancel',
      'Chat shown message by outside hours skill rule',
      'Please call us.',
      'message ends the chat',
    ],
    [
      'outside-hours',
      redirect,
      closed,
      'route:support',
      'Chat redirected to support by outside hours skill rule',
      null,
      'redirect',
    ],
    ['outside-hours', cancel, closed, 'cancel', 'Chat cancelled by outside hours skill rule', null, 'cancel'],
    [
      'always',
      message,
      openAndOnline,
      'cancel',
      'Chat shown message by always skill rule',
      'Please call us.',
      'message ends the chat',
    ],
    [
      'always',
      redirect,
      closed,
      'route:support',
      'Chat redirected to support by always skill rule',
      null,
      'always wins over outside hours',
    ],
    ['always', cancel, openAndOnline, 'cancel', 'Chat cancelled by always skill rule', null, 'cancel'],
    [
      'offline',
      message,
      openOffline,
      'cancel',
      'Chat in queue shown message by offline skill rule',
      'Please call us.',
      'message ends the chat',
    ],
    [
      'offline',
      redirect,
      openOffline,
      'route:support',
      'Chat in queue redirected to support by offline skill rule',
      null,
      'redirect',
    ],
    [
      'offline',
      cancel,
      openOffline,
      'cancel',
      'Chat in queue cancelled by offline skill rule',
      null,
      'cancel',
    ],
  ])('%s %o → %s (%s)', (caseName, action, context, outcome, skText, visitorMessage) => {
    const decision = matchRules([rule({ actions: { [caseName]: action } })], aChatRequest(), context);
    expect(decision.kind === 'route' ? `route:${decision.skill}` : 'cancel').toBe(outcome);
    expect(decision.message).toBe(visitorMessage);
    expect(decision.events).toEqual([
      { code: 'MR', text: 'web Matched skill rule: German sales' },
      { code: 'SK', text: skText },
    ]);
  });

  it('ignores an outside-hours action inside hours and an offline action with agents online', () => {
    const actions = { 'outside-hours': cancel, offline: cancel };
    const decision = matchRules([rule({ actions })], aChatRequest(), openAndOnline);
    expect(decision.kind === 'route' && decision.skill).toBe('sales');
    expect(codes(decision)).toEqual(['MR']);
  });

  it('prefers the outside-hours action over the offline one when both apply', () => {
    const actions = { 'outside-hours': cancel, offline: redirect };
    expect(matchRules([rule({ actions })], aChatRequest(), closed).kind).toBe('cancel');
  });

  it('falls back to the normal action when the case at hand has none', () => {
    const decision = matchRules([rule({ actions: { normal: redirect } })], aChatRequest(), closed);
    expect(decision.kind === 'route' && decision.skill).toBe('support');
    expect(decision.events[1]?.text).toBe('Chat redirected to support by skill rule (Status: closed)');
  });

  it('labels the channel of WhatsApp chats in MR', () => {
    const decision = matchRules([rule()], aChatRequest({ channel: 'whatsapp' }), openAndOnline);
    expect(decision.events).toEqual([{ code: 'MR', text: 'whatsapp Matched skill rule: German sales' }]);
  });
});
