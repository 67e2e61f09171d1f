import { chooseAgent, compareAgents, eligibleAgents } from './agent-selection';
import { distributeChat } from './distribution';
import { queuePositions } from './queue';
import { type AgentSnapshot, AgentStatus, defaultRoutingSettings, type QueueEntry } from './routing-types';

/** mulberry32: a small seeded generator, so a failing case replays from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const skills = ['sales', 'billing', 'support'];
const statuses = [AgentStatus.offline, AgentStatus.online, AgentStatus.busy, AgentStatus.away];

function randomCase(seed: number): { agents: AgentSnapshot[]; entries: QueueEntry[]; skill: string | null } {
  const random = seededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const count = (max: number): number => Math.floor(random() * (max + 1));
  const agents = Array.from({ length: count(8) }, (_, index): AgentSnapshot => {
    const maxChats = count(3);
    return {
      id: index + 1,
      username: `agent${index + 1}`,
      status: pick(statuses),
      maxChats,
      openChats: count(4),
      skills: skills.filter(() => random() < 0.5),
      // Few distinct times, so ties on idleness are common.
      idleSince: random() < 0.2 ? null : new Date(Date.UTC(2026, 0, 5, 9, count(3))),
    };
  });
  const entries = Array.from({ length: count(12) }, (_, index): QueueEntry => ({
    chatId: 100 + index,
    skill: pick(skills),
    priority: count(2),
    queuedAt: new Date(Date.UTC(2026, 0, 5, 10, 0, count(5))),
  }));
  return { agents, entries, skill: random() < 0.2 ? null : pick(skills) };
}

const seeds = Array.from({ length: 500 }, (_, index) => index + 1);

describe('routing invariants over 500 seeded random cases', () => {
  it('chooseAgent never picks an ineligible agent, and picks one whenever someone is eligible', () => {
    for (const seed of seeds) {
      const { agents, skill } = randomCase(seed);
      const { eligible, excluded } = eligibleAgents(agents, skill);
      const chosen = chooseAgent(eligible);
      expect({ seed, partition: eligible.length + excluded.length }).toEqual({
        seed,
        partition: agents.length,
      });
      if (chosen === null) {
        expect({ seed, eligible: eligible.length }).toEqual({ seed, eligible: 0 });
        continue;
      }
      const valid =
        chosen.status === AgentStatus.online &&
        chosen.maxChats > 0 &&
        chosen.openChats < chosen.maxChats &&
        (skill === null || chosen.skills.includes(skill));
      expect({ seed, valid }).toEqual({ seed, valid: true });
      const beaten = eligible.some((agent) => compareAgents(agent, chosen) < 0);
      expect({ seed, beaten }).toEqual({ seed, beaten: false });
    }
  });

  it('chooseAgent does not depend on the order of its input', () => {
    for (const seed of seeds) {
      const { eligible } = eligibleAgents(randomCase(seed).agents, null);
      expect({ seed, id: chooseAgent([...eligible].reverse())?.id }).toEqual({
        seed,
        id: chooseAgent(eligible)?.id,
      });
    }
  });

  it('queue positions are a permutation of the entries, numbered 1..n, FIFO within a priority', () => {
    for (const seed of seeds) {
      const { entries } = randomCase(seed);
      const positions = queuePositions(entries);
      expect({ seed, ids: positions.map(({ entry }) => entry.chatId).sort() }).toEqual({
        seed,
        ids: entries.map((entry) => entry.chatId).sort(),
      });
      positions.forEach(({ position }, index) => expect(position).toBe(index + 1));
      for (let index = 1; index < positions.length; index += 1) {
        const before = positions[index - 1].entry;
        const after = positions[index].entry;
        const inOrder =
          before.priority > after.priority ||
          (before.priority === after.priority && before.queuedAt.getTime() <= after.queuedAt.getTime());
        expect({ seed, index, inOrder }).toEqual({ seed, index, inOrder: true });
      }
    }
  });

  it('an offer goes only to eligible agents, in every distribution mode', () => {
    for (const seed of seeds) {
      const { agents, skill } = randomCase(seed);
      const eligibleIds = new Set(eligibleAgents(agents, skill).eligible.map((agent) => agent.id));
      for (const distributionMode of ['auto', 'all', 'manual'] as const) {
        const decision = distributeChat(1, skill, agents, { ...defaultRoutingSettings, distributionMode });
        const offered = decision.kind === 'offer' ? decision.offer.agentIds : [];
        expect({ seed, distributionMode, stray: offered.filter((id) => !eligibleIds.has(id)) }).toEqual({
          seed,
          distributionMode,
          stray: [],
        });
      }
    }
  });
});
