import type { ContextProvider } from './contract-context';
import { makeChat, makeOperator } from './factories';

const second = (n: number) => new Date(Date.UTC(2026, 0, 5, 10, 0, n));

/** Agents' presence as the messenger nodes stamp it, and status changes stored with their reason. */
export function presenceContract(context: ContextProvider): void {
  const repositories = () => context().repositories;
  const presence = () => repositories().agentPresence;

  /** An agent set to Chat (1) at second 0 with a connection signed in then. */
  async function connectedAgent() {
    const agent = await makeOperator(repositories());
    await presence().changeStatus(agent.id, 1, 'manual', second(0));
    await presence().connected(agent.id, second(0));
    return agent;
  }

  const lapsed = async (goneSince: Date, idleSince: Date | null, operatorId: number) =>
    (await presence().lapses(goneSince, idleSince)).filter((lapse) => lapse.operatorId === operatorId);

  describe('agent presence', () => {
    it('stores each status change with its reason in the same transaction; setting the same status stores nothing', async () => {
      const agent = await makeOperator(repositories());
      expect(await presence().changeStatus(agent.id, 1, 'manual', second(1))).toEqual({
        operatorId: agent.id,
        from: 0,
        to: 1,
        reason: 'manual',
        at: second(1),
      });
      expect(await presence().changeStatus(agent.id, 1, 'manual', second(2))).toBeNull();
      await presence().changeStatus(agent.id, 0, 'logout', second(3));
      expect(await repositories().operators.findById(agent.id)).toMatchObject({
        status: 0,
        statusChangedAt: second(3),
      });
      expect(
        (await presence().statusEvents(agent.id)).map(({ from, to, reason, at }) => [from, to, reason, at]),
      ).toEqual([
        [0, 1, 'manual', second(1)],
        [1, 0, 'logout', second(3)],
      ]);
    });

    it('counts an agent gone once no node stamped them within the grace, never one never stamped', async () => {
      const agent = await connectedAgent();
      const unstamped = await makeOperator(repositories());
      await presence().changeStatus(unstamped.id, 1, 'manual', second(0));
      await presence().markSeen([agent.id], [], second(4));
      expect(await lapsed(second(3), null, agent.id)).toEqual([]);
      await presence().disconnected(agent.id, second(5));
      expect(await lapsed(second(5), null, agent.id)).toEqual([]);
      expect(await lapsed(second(6), null, agent.id)).toEqual([
        { operatorId: agent.id, reason: 'disconnected' },
      ]);
      expect(await lapsed(second(60), null, unstamped.id)).toEqual([]);
      // Offline already: nothing to do.
      await presence().changeStatus(agent.id, 0, 'manual', second(7));
      expect(await lapsed(second(60), null, agent.id)).toEqual([]);
    });

    it('keeps an agent present while another node still stamps them (two tabs on two nodes)', async () => {
      const agent = await connectedAgent();
      await presence().disconnected(agent.id, second(5)); // node A lost its connection
      await presence().markSeen([agent.id], [], second(8)); // node B still has one
      expect(await lapsed(second(7), null, agent.id)).toEqual([]);
      expect(await lapsed(second(9), null, agent.id)).toHaveLength(1);
    });

    it('takes an agent offline only while the lapse still holds: a reconnection in between wins', async () => {
      const agent = await connectedAgent();
      await presence().disconnected(agent.id, second(5));
      expect(await lapsed(second(10), null, agent.id)).toHaveLength(1);
      await presence().connected(agent.id, second(9)); // back before the sweep wrote
      const guard = { reason: 'disconnected', goneSince: second(8) } as const;
      expect(await presence().changeStatus(agent.id, 0, 'disconnected', second(10), guard)).toBeNull();
      expect(await repositories().operators.findById(agent.id)).toMatchObject({ status: 1 });
      await presence().disconnected(agent.id, second(11));
      const later = { reason: 'disconnected', goneSince: second(12) } as const;
      expect(await presence().changeStatus(agent.id, 0, 'disconnected', second(13), later)).toMatchObject({
        from: 1,
        to: 0,
        reason: 'disconnected',
      });
      expect((await presence().statusEvents(agent.id)).map((event) => event.reason)).toEqual([
        'manual',
        'disconnected',
      ]);
    });

    it('counts an agent in Chat idle after no activity since idleSince, never while they hold a chat', async () => {
      const agent = await connectedAgent();
      await presence().markSeen([agent.id], [agent.id], second(10));
      expect(await lapsed(second(0), second(9), agent.id)).toEqual([]);
      expect(await lapsed(second(0), second(11), agent.id)).toEqual([
        { operatorId: agent.id, reason: 'idle' },
      ]);
      const guard = { reason: 'idle', idleSince: second(9) } as const;
      expect(await presence().changeStatus(agent.id, 3, 'idle', second(12), guard)).toBeNull();
      const chat = await makeChat(repositories());
      expect((await repositories().chats.assignOnce(chat.id, agent.id, second(12))).assigned).toBe(true);
      expect(await lapsed(second(0), second(30), agent.id)).toEqual([]);
      const holding = { reason: 'idle', idleSince: second(30) } as const;
      expect(await presence().changeStatus(agent.id, 3, 'idle', second(31), holding)).toBeNull();
    });

    it('stamps a heartbeat for many agents in one statement, activity only for those who did something', async () => {
      const agents = await Promise.all(Array.from({ length: 30 }, () => connectedAgent()));
      const ids = agents.map((agent) => agent.id);
      await presence().markSeen(ids, ids.slice(0, 10), second(20));
      const gone = await presence().lapses(second(15), second(15));
      const idle = gone.filter((lapse) => ids.includes(lapse.operatorId));
      expect(idle.map((lapse) => lapse.operatorId).sort((a, b) => a - b)).toEqual(
        ids.slice(10).sort((a, b) => a - b),
      );
      expect(new Set(idle.map((lapse) => lapse.reason))).toEqual(new Set(['idle']));
    });
  });
}
