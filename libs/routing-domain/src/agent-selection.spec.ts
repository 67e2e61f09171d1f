import { chooseAgent, eligibleAgents, ineligibilityReason } from './agent-selection';
import { AgentStatus } from './routing-types';
import { anAgent } from './testing.factories';

describe('ineligibilityReason', () => {
  it.each([
    ['online with a free slot and the skill', {}, 'sales', null],
    ['online, chat without skill', { skills: [] }, null, null],
    ['offline', { status: AgentStatus.offline }, 'sales', 'status-not-online'],
    ['busy', { status: AgentStatus.busy }, 'sales', 'status-not-online'],
    ['away', { status: AgentStatus.away }, 'sales', 'status-not-online'],
    ['max chats 0 (the seed default)', { maxChats: 0 }, 'sales', 'max-chats-zero'],
    ['at capacity', { maxChats: 2, openChats: 2 }, 'sales', 'at-capacity'],
    ['over capacity after a limit was lowered', { maxChats: 1, openChats: 3 }, 'sales', 'at-capacity'],
    ['one slot left', { maxChats: 2, openChats: 1 }, 'sales', null],
    ['missing the skill', { skills: ['billing'] }, 'sales', 'missing-skill'],
    [
      'away with max chats 0: status is reported first',
      { status: AgentStatus.away, maxChats: 0 },
      'sales',
      'status-not-online',
    ],
    [
      'max chats 0 and missing skill: capacity is reported first',
      { maxChats: 0, skills: [] },
      'sales',
      'max-chats-zero',
    ],
  ] as const)('%s → %s', (_label, overrides, skill, expected) => {
    expect(ineligibilityReason(anAgent(overrides), skill)).toBe(expected);
  });
});

describe('eligibleAgents', () => {
  it('keeps eligible agents in input order and gives a reason per excluded agent', () => {
    const agents = [
      anAgent({ id: 1 }),
      anAgent({ id: 2, status: AgentStatus.busy }),
      anAgent({ id: 3, skills: ['billing', 'sales'] }),
      anAgent({ id: 4, maxChats: 0 }),
    ];
    const { eligible, excluded } = eligibleAgents(agents, 'sales');
    expect(eligible.map((agent) => agent.id)).toEqual([1, 3]);
    expect(excluded.map(({ agent, reason }) => [agent.id, reason])).toEqual([
      [2, 'status-not-online'],
      [4, 'max-chats-zero'],
    ]);
  });

  it('returns nothing for nobody', () => {
    expect(eligibleAgents([], 'sales')).toEqual({ eligible: [], excluded: [] });
  });
});

describe('chooseAgent', () => {
  const early = new Date('2026-01-05T08:00:00Z');
  const late = new Date('2026-01-05T09:30:00Z');

  it('prefers the least busy agent', () => {
    const chosen = chooseAgent([
      anAgent({ id: 1, openChats: 1, idleSince: early }),
      anAgent({ id: 2, openChats: 0 }),
    ]);
    expect(chosen?.id).toBe(2);
  });

  it('breaks a tie on open chats by the longest idle', () => {
    const chosen = chooseAgent([anAgent({ id: 1, idleSince: late }), anAgent({ id: 2, idleSince: early })]);
    expect(chosen?.id).toBe(2);
  });

  it('counts an agent who never had a chat as the longest idle', () => {
    const chosen = chooseAgent([anAgent({ id: 1, idleSince: early }), anAgent({ id: 2, idleSince: null })]);
    expect(chosen?.id).toBe(2);
  });

  it('breaks a full tie by the lowest id, whatever the input order', () => {
    const tied = [anAgent({ id: 7 }), anAgent({ id: 3 }), anAgent({ id: 5 })];
    expect(chooseAgent(tied)?.id).toBe(3);
    expect(chooseAgent([...tied].reverse())?.id).toBe(3);
  });

  it('skips agents already asked', () => {
    const agents = [anAgent({ id: 1 }), anAgent({ id: 2, openChats: 1 })];
    expect(chooseAgent(agents, new Set([1]))?.id).toBe(2);
    expect(chooseAgent(agents, new Set([1, 2]))).toBeNull();
  });

  it('returns null when nobody is eligible', () => {
    expect(chooseAgent([])).toBeNull();
  });
});
