import { chatEndingEvent, type ChatActivity, disconnectNoticeSince, inactivityTimeouts } from './timeouts';
import { defaultRoutingSettings } from './routing-types';

const at = (seconds: number): Date => new Date(Date.UTC(2026, 0, 5, 10, 0, seconds));
const chat = (overrides: Partial<ChatActivity> = {}): ChatActivity => ({
  chatId: 1,
  state: 'active',
  lastActivityAt: at(0),
  visitorDisconnectedAt: null,
  ...overrides,
});
const fifteenMinutes = 15 * 60;

describe('inactivityTimeouts', () => {
  it.each([
    ['active, idle one second under 15 minutes', chat(), fifteenMinutes - 1, []],
    ['active, idle exactly 15 minutes', chat(), fifteenMinutes, ['ST']],
    ['queued, idle for an hour (the queue expiry applies instead)', chat({ state: 'queued' }), 3600, []],
    ['visitor gone 119 s', chat({ visitorDisconnectedAt: at(0) }), 119, []],
    ['visitor gone 120 s', chat({ visitorDisconnectedAt: at(0) }), 120, ['VT']],
    ['visitor gone 120 s while queued', chat({ state: 'queued', visitorDisconnectedAt: at(0) }), 120, ['VT']],
    ['visitor gone and chat idle: VT wins', chat({ visitorDisconnectedAt: at(0) }), fifteenMinutes, ['VT']],
  ])('%s → %j', (_label, activity, elapsed, expected) => {
    const timeouts = inactivityTimeouts([activity], defaultRoutingSettings, at(elapsed));
    expect(timeouts.map((timeout) => timeout.code)).toEqual(expected);
  });

  it('uses the configured minutes and stores the glossary text', () => {
    const settings = { ...defaultRoutingSettings, inactivityTimeoutMinutes: 1 };
    expect(
      inactivityTimeouts(
        [chat({ chatId: 5 }), chat({ chatId: 6, lastActivityAt: at(30) })],
        settings,
        at(60),
      ),
    ).toEqual([{ chatId: 5, code: 'ST', events: [{ code: 'ST', text: 'Server Side Time-Out of Session' }] }]);
  });
});

describe('chatEndingEvent', () => {
  it.each([
    [{ by: 'visitor' } as const, 'VC', 'Visitor Closed Session'],
    [{ by: 'operator-close', username: 'anna' } as const, 'OC', 'Operator anna Forced Closed Session'],
    [{ by: 'operator-leave', username: 'anna' } as const, 'OL', 'Operator anna Left The Session'],
    [{ by: 'soft-close', username: 'anna' } as const, 'SX', 'Operator anna softed closed the conversation.'],
    [{ by: 'block-visitor' } as const, 'BX', 'Operator Blocked Visitor'],
  ])('%o → %s', (ending, code, text) => {
    expect(chatEndingEvent(ending)).toEqual({ code, text });
  });
});

describe('disconnectNoticeSince', () => {
  const now = new Date(Date.UTC(2026, 0, 5, 10, 0, 0));

  it('notices a visitor gone for Visitor.DisconnectNotice.Seconds', () => {
    expect(disconnectNoticeSince(defaultRoutingSettings, now)).toEqual(
      new Date(Date.UTC(2026, 0, 5, 9, 59, 50)),
    );
  });

  it.each([0, 120, 300])('notices nothing when the notice is %i s and VT closes at 120 s', (seconds) => {
    expect(
      disconnectNoticeSince({ ...defaultRoutingSettings, visitorDisconnectNoticeSeconds: seconds }, now),
    ).toBeNull();
  });
});
