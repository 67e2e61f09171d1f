import type { ChatLineRecord } from '@switchboard/persistence';
import { toLineView, webLineKey } from './chat-line-view';
import { toChatSummary, visitorNameOf, type SummarySource } from './chat-summary';

const chat = (overrides: Partial<SummarySource> = {}): SummarySource => ({
  chatUid: 'c-1',
  channel: 'web',
  visitorKey: '491701234567',
  visitorName: null,
  visitorEmail: null,
  state: 'waiting',
  lastLineSeq: 3,
  createdAt: new Date('2026-01-02T03:04:05.000Z'),
  ...overrides,
});

const names = { siteKey: 'demo', skill: 'general', agentUsername: 'agent', agentName: 'Agent' };

describe('the chat summary', () => {
  it('shows the name the visitor gave', () => {
    expect(visitorNameOf(chat({ visitorName: 'Ada' }))).toBe('Ada');
    expect(visitorNameOf(chat({ visitorName: 'Ada', channel: 'whatsapp' }))).toBe('Ada');
  });

  it('names a web visitor without a name "Visitor", a WhatsApp customer by their number', () => {
    expect(visitorNameOf(chat())).toBe('Visitor');
    expect(visitorNameOf(chat({ channel: 'whatsapp' }))).toBe('+491701234567');
  });

  it('carries the chat and its names as agents see them', () => {
    expect(toChatSummary(chat({ visitorEmail: 'a@example.test' }), names)).toEqual({
      chatUid: 'c-1',
      siteKey: 'demo',
      channel: 'web',
      visitorName: 'Visitor',
      visitorEmail: 'a@example.test',
      skill: 'general',
      state: 'waiting',
      agentUsername: 'agent',
      lastSequence: 3,
      createdAt: '2026-01-02T03:04:05.000Z',
    });
  });
});

describe('the line view', () => {
  const line = (externalMessageId: string | null) =>
    ({
      id: 1,
      chatId: 7,
      sequence: 2,
      senderKind: 'visitor',
      senderName: 'Ada',
      text: 'hello',
      operatorId: null,
      externalMessageId,
      deliveryState: null,
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
    }) as ChatLineRecord;

  it('gives a web line back its clientMessageId, and a WhatsApp line none', () => {
    expect(toLineView('c-1', line(webLineKey(7, 'm-1')))).toMatchObject({
      clientMessageId: 'm-1',
      sequence: 2,
    });
    expect(toLineView('c-1', line('wa:abc'))).toMatchObject({ clientMessageId: null });
  });
});
