import { planOffers, type DispatchCandidate } from './dispatch-plan';
import { defaultRoutingSettings, type Decline, type RoutingSettings } from './routing-types';
import { anAgent, aQueueEntry } from './testing.factories';

const auto = defaultRoutingSettings;
const all: RoutingSettings = { ...auto, distributionMode: 'all' };
const manual: RoutingSettings = { ...auto, distributionMode: 'manual' };
const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, seconds));
/** Declines made long before the pass, past the cool-down (or at `seconds`). */
const declinedBy = (ids: readonly number[], seconds = -600): Decline[] =>
  ids.map((agentId) => ({ agentId, at: at(seconds) }));
const queued = (overrides: Partial<DispatchCandidate> = {}): DispatchCandidate => ({
  ...aQueueEntry(overrides),
  isNew: false,
  ...overrides,
});

describe('planOffers', () => {
  it('offers queued chats in queue order, one slot each, until the slots run out', () => {
    const candidates = [
      queued({ chatId: 3, queuedAt: at(3) }),
      queued({ chatId: 1, queuedAt: at(1) }),
      queued({ chatId: 2, queuedAt: at(2) }),
    ];
    const agents = [anAgent({ id: 1, maxChats: 1 }), anAgent({ id: 2, maxChats: 1 })];
    const offers = planOffers(candidates, agents, auto, at(10));
    expect(offers.map(({ chatId, agentIds }) => [chatId, agentIds])).toEqual([
      [1, [1]],
      [2, [2]],
    ]);
  });

  it('serves a higher priority first, whatever its queue time', () => {
    const candidates = [
      queued({ chatId: 1, queuedAt: at(1) }),
      queued({ chatId: 2, priority: 5, queuedAt: at(5) }),
    ];
    const offers = planOffers(candidates, [anAgent({ maxChats: 1 })], auto, at(10));
    expect(offers.map((offer) => offer.chatId)).toEqual([2]);
  });

  it('spreads chats over the least busy agents, counting the offers it makes', () => {
    const candidates = [1, 2, 3, 4].map((chatId) => queued({ chatId, queuedAt: at(chatId) }));
    const agents = [anAgent({ id: 1, maxChats: 3 }), anAgent({ id: 2, maxChats: 3, openChats: 1 })];
    const offers = planOffers(candidates, agents, auto, at(10));
    expect(offers.map((offer) => offer.agentIds[0])).toEqual([1, 1, 2, 1]);
  });

  it('skips a chat whose skill nobody free has, and still serves the next one', () => {
    const candidates = [
      queued({ chatId: 1, skill: 'billing', queuedAt: at(1) }),
      queued({ chatId: 2, skill: 'sales', queuedAt: at(2) }),
    ];
    const offers = planOffers(candidates, [anAgent({ skills: ['sales'] })], auto, at(10));
    expect(offers.map((offer) => offer.chatId)).toEqual([2]);
  });

  it('names a new chat AC and a queued chat QAC with its wait', () => {
    const candidates = [
      queued({ chatId: 1, queuedAt: at(0) }),
      queued({ chatId: 2, queuedAt: at(8), isNew: true }),
    ];
    const offers = planOffers(candidates, [anAgent({ id: 7, maxChats: 2 })], auto, at(30));
    expect(offers.map((offer) => offer.events)).toEqual([
      [{ code: 'QAC', text: 'Operator agent7 Sent Auto Pickup Request from Queue after 30 seconds' }],
      [{ code: 'AC', text: 'Operator agent7 Sent auto pickup request' }],
    ]);
  });

  it('offers the queue head to every free eligible agent in offer-to-all mode (QALL), taking a slot of each', () => {
    const candidates = [queued({ chatId: 1, queuedAt: at(1) }), queued({ chatId: 2, queuedAt: at(2) })];
    const agents = [anAgent({ id: 1, maxChats: 1 }), anAgent({ id: 2, maxChats: 1 })];
    expect(planOffers(candidates, agents, all, at(10))).toEqual([
      {
        chatId: 1,
        agentIds: [1, 2],
        events: [{ code: 'QALL', text: 'Chat Sent To Online Users From Queue' }],
      },
    ]);
  });

  it('names the offer QON in offer-to-all mode when one agent (who came online or freed a slot) gets the queued chat', () => {
    const agents = [anAgent({ id: 1, maxChats: 1, openChats: 1 }), anAgent({ id: 2, maxChats: 1 })];
    expect(planOffers([queued({ chatId: 1 })], agents, all, at(10))).toEqual([
      { chatId: 1, agentIds: [2], events: [{ code: 'QON', text: 'Chat Sent To Online User From Queue' }] },
    ]);
    expect(planOffers([{ ...queued({ chatId: 2 }), isNew: true }], agents, all, at(10))[0]?.events).toEqual([
      { code: 'QON', text: 'Chat Sent To Online User From Queue' },
    ]);
  });

  it('offers nothing in manual mode', () => {
    expect(planOffers([queued()], [anAgent()], manual, at(10))).toEqual([]);
  });

  describe('agents who declined a chat', () => {
    const team = [anAgent({ id: 1 }), anAgent({ id: 2 }), anAgent({ id: 3 })];

    it('are not offered it again in offer-to-all mode while others can take it', () => {
      const offers = planOffers([queued({ chatId: 1, declines: declinedBy([1, 3]) })], team, all, at(10));
      expect(offers.map(({ agentIds }) => agentIds)).toEqual([[2]]);
    });

    it('are not asked again in auto mode either', () => {
      const offers = planOffers([queued({ chatId: 1, declines: declinedBy([1]) })], team, auto, at(10));
      expect(offers[0]?.agentIds).not.toContain(1);
    });

    it('leave the chat in the queue while the agent who may take it is busy, keeping its place', () => {
      const agents = [anAgent({ id: 1 }), anAgent({ id: 2, maxChats: 1, openChats: 1 })];
      expect(planOffers([queued({ chatId: 1, declines: declinedBy([1]) })], agents, all, at(10))).toEqual([]);
    });

    it('are asked again when every agent who can take the chat declined it', () => {
      const offers = planOffers([queued({ chatId: 1, declines: declinedBy([1, 2, 3]) })], team, all, at(10));
      expect(offers.map(({ agentIds }) => [...agentIds].sort())).toEqual([[1, 2, 3]]);
    });

    it('are not offered it during the cool-down even when nobody else can take it', () => {
      const candidate = queued({ chatId: 1, declines: declinedBy([1, 2, 3], 10 - 119) });
      expect(planOffers([candidate], team, all, at(10))).toEqual([]);
      expect(planOffers([candidate], team, auto, at(10))).toEqual([]);
    });

    it('are asked again once the cool-down is over, when nobody else can take it', () => {
      const candidate = queued({ chatId: 1, declines: declinedBy([1], 10 - 120) });
      const alone = [anAgent({ id: 1 })];
      expect(planOffers([candidate], alone, auto, at(10)).map(({ agentIds }) => agentIds)).toEqual([[1]]);
    });

    it('leave the others who did not decline askable during the cool-down', () => {
      const candidate = queued({ chatId: 1, declines: [...declinedBy([1], 0), ...declinedBy([3])] });
      expect(planOffers([candidate], team, all, at(10)).map(({ agentIds }) => agentIds)).toEqual([[2]]);
    });

    it('with a cool-down of 0 are asked again at once when nobody else can take it', () => {
      const candidate = queued({ chatId: 1, declines: declinedBy([1, 2, 3], 10) });
      const noCooldown = { ...all, declineCooldownSeconds: 0 };
      const offers = planOffers([candidate], team, noCooldown, at(10));
      expect(offers.map(({ agentIds }) => [...agentIds].sort())).toEqual([[1, 2, 3]]);
    });

    it('count only agents with the skill as someone else', () => {
      const agents = [anAgent({ id: 1, skills: ['billing'] }), anAgent({ id: 2, skills: ['sales'] })];
      const candidate = queued({ chatId: 1, skill: 'billing', declines: declinedBy([1]) });
      expect(planOffers([candidate], agents, all, at(10)).map(({ agentIds }) => agentIds)).toEqual([[1]]);
    });
  });
});
