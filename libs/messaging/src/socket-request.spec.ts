import { VISITOR_REQUESTS, type Ack, type ChatLineView, type SocketError } from '@switchboard/protocol';
import { serveRequests, type RequestSocket } from './socket-request';
import type { VisitorRequestHandlers, VisitorSocket } from './socket-types';

const line: ChatLineView = {
  chatUid: 'c1',
  sequence: 1,
  sender: 'visitor',
  senderName: 'Ann',
  text: 'hello',
  clientMessageId: null,
  at: new Date(0).toISOString(),
};

/** A complete visitor table: every request answered with the shape the protocol promises. */
const visitorHandlers: VisitorRequestHandlers = {
  'chat:start': () => Promise.reject(new Error('not in this test')),
  'chat:rejoin': () => Promise.reject(new Error('not in this test')),
  'chat:send': (_socket, { chatUid, text }) => Promise.resolve({ line: { ...line, chatUid, text } }),
  'chat:typing': () => Promise.resolve({}),
  'chat:close': () => Promise.resolve({}),
  'chat:history': () => Promise.resolve({ lines: [line] }),
};

// The checks below are made by the compiler (npm run typecheck): each `@ts-expect-error` fails the
// typecheck if the line after it compiles, so a table that misses or mis-shapes a handler cannot.

// @ts-expect-error: a table without a handler for every request of the namespace does not compile.
const missingHandler: VisitorRequestHandlers = {
  'chat:start': visitorHandlers['chat:start'],
  'chat:rejoin': visitorHandlers['chat:rejoin'],
  'chat:send': visitorHandlers['chat:send'],
  'chat:typing': visitorHandlers['chat:typing'],
  'chat:history': visitorHandlers['chat:history'],
};

const wrongResult: VisitorRequestHandlers = {
  ...visitorHandlers,
  // @ts-expect-error: a handler must answer the protocol's result for its event (`{ line }`).
  'chat:send': () => Promise.resolve({ lines: [line] }),
};

const wrongRequest: VisitorRequestHandlers = {
  ...visitorHandlers,
  // @ts-expect-error: a handler may only read what the event's contract validated.
  'chat:typing': (_socket, _request: { chatUid: string; typing: boolean; room: string }) =>
    Promise.resolve({}),
};

const unknownEvent: VisitorRequestHandlers = {
  ...visitorHandlers,
  // @ts-expect-error: a handler for an event the namespace does not have is refused too.
  'agent:login': () => Promise.resolve({}),
};

/** A socket that records what the server answers; `send` plays an incoming event. */
function fakeSocket() {
  const pushed: Array<{ event: string; error: SocketError }> = [];
  let listener: (event: string, ...args: unknown[]) => void = () => undefined;
  const socket: RequestSocket = {
    onAny: (registered) => (listener = registered),
    emit: (event, error) => pushed.push({ event, error }) > 0,
  };
  const send = (event: string, ...args: unknown[]) => listener(event, ...args);
  const request = (event: string, payload: unknown) =>
    new Promise<Ack<object>>((resolve) => send(event, payload, resolve));
  return { socket: socket as unknown as VisitorSocket, pushed, send, request };
}

describe('serveRequests', () => {
  it('keeps the compile-time examples above out of the way at run time', () => {
    expect([missingHandler, wrongResult, wrongRequest, unknownEvent]).toHaveLength(4);
  });

  it('hands a valid request to its handler and acknowledges the result', async () => {
    const client = fakeSocket();
    serveRequests(client.socket, VISITOR_REQUESTS, visitorHandlers);
    const answer = await client.request('chat:send', {
      chatUid: 'chat-0001',
      text: 'hi',
      clientMessageId: 'm-1',
    });
    expect(answer).toEqual({ ok: true, line: { ...line, chatUid: 'chat-0001', text: 'hi' } });
  });

  it('refuses a payload that breaks the contract without calling the handler', async () => {
    const client = fakeSocket();
    const send = jest.fn(visitorHandlers['chat:send']);
    serveRequests(client.socket, VISITOR_REQUESTS, { ...visitorHandlers, 'chat:send': send });
    const answer = await client.request('chat:send', { chatUid: 'chat-0001' });
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(send).not.toHaveBeenCalled();
  });

  it('refuses an unknown event in its acknowledgement, or as request:error without one', async () => {
    const client = fakeSocket();
    serveRequests(client.socket, VISITOR_REQUESTS, visitorHandlers);
    expect(await client.request('agent:login', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_EVENT' },
    });
    client.send('toString');
    expect(client.pushed).toEqual([
      { event: 'request:error', error: expect.objectContaining({ code: 'UNKNOWN_EVENT' }) as unknown },
    ]);
  });
});
