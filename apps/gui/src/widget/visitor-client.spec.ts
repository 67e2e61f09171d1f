import type { ChatStateNotice } from '@switchboard/protocol';
import type { Socket } from 'socket.io-client';
import { VisitorClient, type VisitorClientListener } from './visitor-client';
import { WidgetStore } from './widget-store';

/** A socket whose answer to chat:start comes in the same network read as a push about the chat. */
class SameReadSocket {
  readonly connected = true;
  private readonly handlers = new Map<string, (payload: unknown) => void>();

  constructor(private readonly pushWithAnswer: { event: string; payload: unknown }) {}

  on(event: string, handler: (payload: unknown) => void): this {
    this.handlers.set(event, handler);
    return this;
  }

  timeout(): this {
    return this;
  }

  emitWithAck(event: string): Promise<unknown> {
    if (event !== 'chat:start') return Promise.resolve({ ok: true });
    const answered = Promise.resolve({
      ok: true,
      chat: { chatUid: 'chat-1', siteKey: 'demo', state: 'waiting', agentName: null, lastSequence: 0 },
      token: 't'.repeat(43),
    });
    // The push is handled in the same tick, before the page reads the answer.
    this.handlers.get(this.pushWithAnswer.event)?.(this.pushWithAnswer.payload);
    return answered;
  }
}

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

function listener(): VisitorClientListener & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    chatOpened: () => calls.push('opened'),
    transcriptChanged: () => undefined,
    stateChanged: (state, _agent, live, text) => calls.push(`state ${state} ${String(live)} ${text ?? ''}`),
    queueChanged: (text) => calls.push(`queue ${text}`),
    agentTyping: () => undefined,
    connectionChanged: () => undefined,
    chatEnded: () => calls.push('ended'),
    error: (message) => calls.push(`error ${message}`),
  };
}

/** A socket that loses the answer to the first chat:start (a time-out) and answers the retry. */
class LostAnswerSocket extends SameReadSocket {
  readonly starts: unknown[] = [];

  constructor() {
    super({ event: 'none', payload: null });
  }

  override emitWithAck(event: string, payload?: unknown): Promise<unknown> {
    if (event === 'chat:start') this.starts.push(payload);
    if (this.starts.length === 1) return Promise.reject(new Error('operation has timed out'));
    return super.emitWithAck(event);
  }
}

describe('VisitorClient', () => {
  beforeAll(() => {
    (globalThis as { location?: { href: string } }).location = { href: 'https://shop.example.com/' };
  });

  it('shows a "missed" notice that arrives with the start answer (outside opening hours)', async () => {
    const missed: ChatStateNotice = {
      chatUid: 'chat-1',
      state: 'missed',
      agentName: null,
      code: 'OO',
      text: 'We are closed. Back at 9.',
    };
    const view = listener();
    const socket = new SameReadSocket({ event: 'chat:state', payload: missed });
    const store = new WidgetStore('demo', memoryStorage(), memoryStorage());
    const client = new VisitorClient(socket as unknown as Socket, 'demo', store, view);
    await client.start({ visitorName: 'Vera' });
    expect(view.calls).toEqual([
      'opened',
      'state waiting false ',
      'state missed true We are closed. Back at 9.',
      'ended',
    ]);
  });

  it('retries a start whose answer was lost with the same clientRequestId, and opens the chat', async () => {
    const view = listener();
    const socket = new LostAnswerSocket();
    const store = new WidgetStore('demo', memoryStorage(), memoryStorage());
    const client = new VisitorClient(socket as unknown as Socket, 'demo', store, view);
    await client.start({ visitorName: 'Vera' });
    const [first, retry] = socket.starts as Array<{ clientRequestId: string; visitorId: string }>;
    expect(socket.starts).toHaveLength(2);
    expect(retry).toEqual(first);
    expect(first.clientRequestId).toMatch(/^[\w-]{8,64}$/);
    expect(view.calls).toEqual(['opened', 'state waiting false ']);
  });

  it('shows the queue place that arrives with the start answer', async () => {
    const view = listener();
    const socket = new SameReadSocket({
      event: 'chat:queue',
      payload: { chatUid: 'chat-1', position: 2, expectedWaitSeconds: 60, text: 'You are number 2.' },
    });
    const store = new WidgetStore('demo', memoryStorage(), memoryStorage());
    const client = new VisitorClient(socket as unknown as Socket, 'demo', store, view);
    await client.start({ visitorName: 'Vera' });
    expect(view.calls).toEqual(['opened', 'state waiting false ', 'queue You are number 2.']);
  });
});
