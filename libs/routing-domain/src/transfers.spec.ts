import { acquireChat, transferToAgent, transferToSite, transferToSkill } from './transfers';
import { AgentStatus, defaultRoutingSettings, type RoutingSettings } from './routing-types';
import { anAgent } from './testing.factories';

const manual: RoutingSettings = { ...defaultRoutingSettings, distributionMode: 'manual' };
const tfef = { code: 'TFEF', text: 'Transfer failed could not be sent.' };

describe('transferToAgent', () => {
  it('sends TFER and, in auto mode, TAC', () => {
    expect(
      transferToAgent(1, anAgent({ id: 2, username: 'ben', skills: [] }), defaultRoutingSettings),
    ).toEqual({
      transferred: true,
      agentId: 2,
      events: [
        { code: 'TFER', text: 'Transfer request to ben' },
        { code: 'TAC', text: 'Operator ben sent auto pickup request from transfer' },
      ],
    });
  });

  it('sends only TFER when chats are not auto-accepted', () => {
    const decision = transferToAgent(1, anAgent({ id: 2 }), manual);
    expect(decision.events.map((event) => event.code)).toEqual(['TFER']);
  });

  it.each([
    ['to oneself', anAgent({ id: 1 }), 'same-agent'],
    ['to an away agent', anAgent({ id: 2, status: AgentStatus.away }), 'status-not-online'],
    ['to a full agent', anAgent({ id: 2, openChats: 2 }), 'at-capacity'],
    ['to an agent with max chats 0', anAgent({ id: 2, maxChats: 0 }), 'max-chats-zero'],
  ])('fails with TFEF %s', (_label, target, reason) => {
    expect(transferToAgent(1, target, defaultRoutingSettings)).toEqual({
      transferred: false,
      reason,
      events: [tfef],
    });
  });
});

describe('transferToSkill', () => {
  const agents = [
    anAgent({ id: 1 }),
    anAgent({ id: 2, openChats: 1 }),
    anAgent({ id: 3, skills: ['billing'] }),
  ];

  it('picks the best other agent with the skill', () => {
    const decision = transferToSkill(1, 'sales', agents, defaultRoutingSettings);
    expect(decision).toMatchObject({ transferred: true, agentId: 2 });
    expect(decision.events[0]).toEqual({ code: 'TFER', text: 'Transfer request to sales' });
  });

  it('fails with TFEF when only the current agent has the skill', () => {
    expect(transferToSkill(3, 'billing', agents, defaultRoutingSettings)).toEqual({
      transferred: false,
      reason: 'no-agent-with-skill',
      events: [tfef],
    });
  });
});

describe('transferToSite', () => {
  it('logs TRSS then TFER when the target site takes chats', () => {
    expect(transferToSite('shop.example', 'help.example', true)).toEqual({
      transferred: true,
      agentId: null,
      events: [
        { code: 'TRSS', text: 'Site transfer from shop.example to help.example' },
        { code: 'TFER', text: 'Transfer request to help.example' },
      ],
    });
  });

  it('logs TRSS, TRSF and TFEF when it does not', () => {
    expect(transferToSite('shop.example', 'help.example', false)).toEqual({
      transferred: false,
      reason: 'site-not-taking-chats',
      events: [
        { code: 'TRSS', text: 'Site transfer from shop.example to help.example' },
        { code: 'TRSF', text: 'Site transfer failed from shop.example to help.example' },
        tfef,
      ],
    });
  });
});

describe('acquireChat', () => {
  it('lets an agent with a free slot take over another agent’s active chat (ACQ)', () => {
    expect(acquireChat({ state: 'active', agentId: 1 }, anAgent({ id: 2, username: 'ben' }))).toEqual({
      acquired: true,
      events: [{ code: 'ACQ', text: 'Operator ben acquired chat session.' }],
    });
  });

  it.each([
    ['a queued chat', { state: 'queued', agentId: null }, anAgent({ id: 2 }), 'not-active'],
    ['a closed chat', { state: 'closed', agentId: 1 }, anAgent({ id: 2 }), 'not-active'],
    ['one’s own chat', { state: 'active', agentId: 2 }, anAgent({ id: 2 }), 'own-chat'],
    ['with no free slot', { state: 'active', agentId: 1 }, anAgent({ id: 2, openChats: 2 }), 'at-capacity'],
  ])('refuses %s', (_label, chat, acquirer, reason) => {
    expect(acquireChat(chat, acquirer)).toEqual({ acquired: false, reason });
  });
});
