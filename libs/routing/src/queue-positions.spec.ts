import { AgentStatus, type AgentSnapshot, type QueueEntry } from '@switchboard/routing-domain';
import { QueuePositions } from './queue-positions';
import type { RoutingConfig } from './routing-settings';

const config = { positionUpdateSeconds: 10 } as RoutingConfig;
const at = (milliseconds: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, 0, milliseconds));
const agents: AgentSnapshot[] = [
  {
    id: 1,
    username: 'anna',
    status: AgentStatus.online,
    maxChats: 1,
    openChats: 1,
    skills: [],
    idleSince: null,
  },
];
const uids = new Map([
  [1, 'chat-1'],
  [2, 'chat-2'],
  [3, 'chat-3'],
]);
const entry = (chatId: number): QueueEntry => ({ chatId, skill: null, priority: 0, queuedAt: at(chatId) });

describe('QueuePositions', () => {
  it('tells everyone on the first pass, then nobody while nothing moved', () => {
    const positions = new QueuePositions();
    const first = positions.changed([entry(1), entry(2)], agents, uids, config, at(0), () => 60);
    expect(first.map(({ chatUid, position }) => [chatUid, position])).toEqual([
      ['chat-1', 1],
      ['chat-2', 2],
    ]);
    expect(first[0]).toMatchObject({
      expectedWaitSeconds: 60,
      text: 'You are number 1 in the queue. Expected wait: 1m.',
    });
    expect(positions.changed([entry(1), entry(2)], agents, uids, config, at(1500), () => 60)).toEqual([]);
  });

  it('tells a newly queued visitor at once, but moves at most once a second', () => {
    const positions = new QueuePositions();
    positions.changed([entry(1), entry(2)], agents, uids, config, at(0), () => 60);
    const joined = positions.changed([entry(2), entry(3)], agents, uids, config, at(200), () => 60);
    expect(joined.map(({ chatUid, position }) => [chatUid, position])).toEqual([['chat-3', 2]]);
    const moved = positions.changed([entry(2), entry(3)], agents, uids, config, at(1200), () => 60);
    expect(moved.map(({ chatUid, position }) => [chatUid, position])).toEqual([['chat-2', 1]]);
  });

  it('tells everyone again every Queue.PositionUpdate.Seconds', () => {
    const positions = new QueuePositions();
    positions.changed([entry(1)], agents, uids, config, at(0), () => 60);
    expect(positions.changed([entry(1)], agents, uids, config, at(10_000), () => 60)).toHaveLength(1);
  });

  it('gives no estimate while no agent of the skill is online', () => {
    const [update] = new QueuePositions().changed([entry(1)], [], uids, config, at(0), () => 60);
    expect(update).toMatchObject({ expectedWaitSeconds: null, text: 'You are number 1 in the queue.' });
  });

  it("spreads each skill's own handling time over its agents' slots", () => {
    const skilled = (chatId: number, skill: string): QueueEntry => ({ ...entry(chatId), skill });
    const team: AgentSnapshot[] = [
      { ...agents[0], skills: ['billing'], maxChats: 2 },
      { ...agents[0], id: 2, username: 'ben', skills: ['sales'], maxChats: 1 },
    ];
    const handling = new Map([
      ['billing', 300],
      ['sales', 45],
    ]);
    const updates = new QueuePositions().changed(
      [skilled(1, 'billing'), skilled(2, 'billing'), skilled(3, 'sales')],
      team,
      uids,
      config,
      at(0),
      (skill) => handling.get(skill ?? '') ?? 180,
    );
    expect(updates.map(({ chatUid, expectedWaitSeconds }) => [chatUid, expectedWaitSeconds])).toEqual([
      ['chat-1', 150],
      ['chat-2', 300],
      ['chat-3', 45],
    ]);
  });
});
