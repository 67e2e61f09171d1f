import { distributeChat, nextOfferAfterTimeout, offerTimedOut } from './distribution';
import { AgentStatus, defaultRoutingSettings, type RoutingSettings } from './routing-types';
import { anAgent } from './testing.factories';

const auto = defaultRoutingSettings;
const all: RoutingSettings = { ...auto, distributionMode: 'all' };
const manual: RoutingSettings = { ...auto, distributionMode: 'manual' };
const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, seconds));
const agents = [
  anAgent({ id: 1, openChats: 1 }),
  anAgent({ id: 2 }),
  anAgent({ id: 3, status: AgentStatus.away }),
];

describe('distributeChat', () => {
  it('sends an auto pickup request (AC) to the best agent in auto mode', () => {
    expect(distributeChat(10, 'sales', agents, auto)).toEqual({
      kind: 'offer',
      offer: {
        chatId: 10,
        agentIds: [2],
        events: [{ code: 'AC', text: 'Operator agent2 Sent auto pickup request' }],
      },
    });
  });

  it('offers to every eligible agent, best first, in offer-to-all mode (QALL; QON when only one)', () => {
    expect(distributeChat(10, 'sales', agents, all)).toEqual({
      kind: 'offer',
      offer: {
        chatId: 10,
        agentIds: [2, 1],
        events: [{ code: 'QALL', text: 'Chat Sent To Online Users From Queue' }],
      },
    });
    expect(distributeChat(11, 'sales', agents.slice(1), all)).toEqual({
      kind: 'offer',
      offer: {
        chatId: 11,
        agentIds: [2],
        events: [{ code: 'QON', text: 'Chat Sent To Online User From Queue' }],
      },
    });
  });

  it.each([
    ['manual mode', agents, manual],
    ['nobody eligible', [anAgent({ maxChats: 0 })], auto],
    ['nobody at all', [], all],
  ] as const)('queues when %s', (_label, candidates, settings) => {
    expect(distributeChat(10, 'sales', candidates, settings)).toEqual({ kind: 'queue', events: [] });
  });
});

describe('offerTimedOut', () => {
  it.each([
    [19, false],
    [20, true],
    [21, true],
  ])('after %i s with a 20 s accept timeout → %s', (seconds, expected) => {
    expect(offerTimedOut(at(0), auto, at(seconds))).toBe(expected);
  });
});

describe('nextOfferAfterTimeout', () => {
  const team = [
    anAgent({ id: 1 }),
    anAgent({ id: 2, openChats: 1 }),
    anAgent({ id: 3, openChats: 1, idleSince: null }),
  ];

  it('retries with the next best agent not yet asked (ACR)', () => {
    expect(nextOfferAfterTimeout({ chatId: 10, skill: 'sales', askedAgentIds: [1] }, team, auto)).toEqual({
      kind: 'offer',
      offer: {
        chatId: 10,
        agentIds: [1, 3],
        events: [{ code: 'ACR', text: 'Operator agent3 Sent Auto Pickup Request Retry' }],
      },
    });
  });

  it('sends the chat on as an auto pickup request from a waiting chat (WAC) when the agent dropped out', () => {
    const decision = nextOfferAfterTimeout(
      { chatId: 10, skill: 'sales', askedAgentIds: [1], ended: 'dropout' },
      team,
      auto,
    );
    expect(decision).toMatchObject({
      kind: 'offer',
      offer: {
        agentIds: [1, 3],
        events: [{ code: 'WAC', text: 'Operator agent3 sent auto pickup request from waiting chat' }],
      },
    });
  });

  it.each([
    ['the last retry is allowed', 2, [1], 'offer'],
    ['retries are used up', 1, [1, 3], 'queue'],
    ['no retries configured', 0, [1], 'queue'],
    ['everybody was asked', 5, [1, 2, 3], 'queue'],
  ] as const)('%s → %s', (_label, maxRetries, askedAgentIds, expected) => {
    const decision = nextOfferAfterTimeout({ chatId: 10, skill: 'sales', askedAgentIds }, team, {
      ...auto,
      maxRetries,
    });
    expect(decision.kind).toBe(expected);
  });

  it('tells the visitor the chat is back in the queue (QM)', () => {
    const decision = nextOfferAfterTimeout(
      { chatId: 10, skill: 'sales', askedAgentIds: [1, 2, 3] },
      team,
      auto,
    );
    expect(decision).toEqual({
      kind: 'queue',
      events: [{ code: 'QM', text: 'No agent accepted the chat in time; it is back in the queue.' }],
    });
  });
});
