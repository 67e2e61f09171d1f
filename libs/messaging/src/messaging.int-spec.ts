import { defaultRoutingSettings, inactivityTimeouts } from '@switchboard/routing-domain';
import { DataSource } from 'typeorm';
import {
  messagingContract,
  sessionContract,
  seedSiteAndAgent,
  startTwoMessengerNodes,
  TestSocket,
  type MessengerNode,
  type TwoMessengerNodes,
} from './testing';
import { AGENT_HEARTBEAT_MS } from './agent-presence.service';
import { VISITOR_HEARTBEAT_MS } from './visitor.gateway';

// Visitors on node 1, agents on node 2: every delivery crosses the real Hazelcast stream, every
// invariant is decided by the real MariaDB.
describe('ClientMessenger on two nodes (real Hazelcast members, MariaDB)', () => {
  let nodes: TwoMessengerNodes;
  let visitorNode: MessengerNode;
  let agentNode: MessengerNode;

  beforeAll(async () => {
    nodes = await startTwoMessengerNodes();
    ({ visitorNode, agentNode } = nodes);
  });

  afterAll(() => nodes?.stop());

  const topology = () => ({
    visitorUrl: visitorNode.url,
    agentUrl: agentNode.url,
    repositories: visitorNode.repositories,
  });
  messagingContract(topology);
  sessionContract(topology);

  describe('visitor presence across nodes (VT)', () => {
    // The shortest ACD.Chat.Visitor.ClientTimeout.Seconds the registry allows.
    const clientTimeoutSeconds = 5;
    const settings = { ...defaultRoutingSettings, visitorClientTimeoutSeconds: clientTimeoutSeconds };
    const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

    /** What routing's VT sweep would close now, read from the database as it reads it. */
    async function visitorTimeouts(chatId: number) {
      const now = new Date();
      const candidates = await visitorNode.repositories.chatRouting.timeoutCandidates(
        new Date(0),
        new Date(now.getTime() - clientTimeoutSeconds * 1000),
      );
      const activity = candidates
        .filter((chat) => chat.id === chatId)
        .map((chat) => ({ ...chat, chatId: chat.id, visitorDisconnectedAt: chat.visitorGoneAt }));
      return inactivityTimeouts(activity, settings, now).map((timeout) => timeout.code);
    }

    it('keeps a visitor who dropped from node 1 but is connected through node 2 present: no VT', async () => {
      const { repositories } = visitorNode;
      const { siteKey } = await seedSiteAndAgent(repositories);
      const onNode1 = await TestSocket.connect(visitorNode.url, 'visitor');
      const started = await onNode1.ok('chat:start', { siteKey, visitorName: 'Vera' });
      const { chatUid } = started.chat;
      const chat = (await repositories.chats.findByUid(chatUid))!;
      await repositories.chatRouting.admit(chat.id);
      const onNode2 = await TestSocket.connect(agentNode.url, 'visitor');
      await onNode2.ok('chat:rejoin', { chatUid, token: started.token, afterSequence: 0 });
      onNode1.close();
      const goneAt = async () => {
        const rows = await visitorNode.app
          .get(DataSource)
          .query<Array<{ visitor_gone_at: Date | null }>>(
            'SELECT visitor_gone_at FROM chat_routing WHERE chat_id = ?',
            [chat.id],
          );
        return rows[0]?.visitor_gone_at ?? null;
      };
      const deadline = Date.now() + 5000;
      while ((await goneAt()) === null) {
        if (Date.now() > deadline) throw new Error('node 1 never recorded the drop');
        await pause(50);
      }
      await pause((clientTimeoutSeconds + 1) * 1000);
      expect(await visitorTimeouts(chat.id)).toEqual([]);

      onNode2.close();
      await pause((clientTimeoutSeconds + 1) * 1000 + VISITOR_HEARTBEAT_MS);
      expect(await visitorTimeouts(chat.id)).toEqual(['VT']);
    }, 30_000);
  });

  describe('agent presence across nodes', () => {
    // The shortest ACD.Chat.Agent.DisconnectGrace.Seconds the registry allows.
    const graceSeconds = 5;
    const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

    /** Whether routing's presence sweep would take the agent offline now, read as it reads it. */
    async function gone(operatorId: number): Promise<boolean> {
      const goneSince = new Date(Date.now() - graceSeconds * 1000);
      const lapses = await visitorNode.repositories.agentPresence.lapses(goneSince, null);
      return lapses.some((lapse) => lapse.operatorId === operatorId && lapse.reason === 'disconnected');
    }

    it('keeps an agent connected through node 2 present while node 1 lost their connection', async () => {
      const { agents } = await seedSiteAndAgent(visitorNode.repositories);
      const [agent] = agents;
      const onNode1 = await TestSocket.connect(visitorNode.url, 'agent');
      const { token } = await onNode1.ok('agent:login', agent);
      await onNode1.ok('agent:status', { status: 1 });
      const onNode2 = await TestSocket.connect(agentNode.url, 'agent', { token });
      await onNode2.next('agent:ready');
      onNode1.close();
      await pause((graceSeconds + 1) * 1000);
      expect(await gone(agent.id)).toBe(false);

      onNode2.close();
      await pause((graceSeconds + 1) * 1000 + AGENT_HEARTBEAT_MS);
      expect(await gone(agent.id)).toBe(true);
    }, 30_000);
  });
});
