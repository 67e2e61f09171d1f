import {
  AGENT_NAMESPACE,
  VISITOR_NAMESPACE,
  type Ack,
  type AgentResults,
  type ChatLineView,
  type VisitorResults,
} from '@switchboard/protocol';
import { io, type Socket } from 'socket.io-client';

type Results = VisitorResults & AgentResults;

/** A socket.io client of either namespace that records what the server pushes, for tests and benchmarks. */
export class TestSocket {
  readonly received: Array<{ event: string; payload: unknown }> = [];

  constructor(readonly socket: Socket) {
    socket.onAny((event: string, payload: unknown) => this.received.push({ event, payload }));
  }

  static async connect(
    baseUrl: string,
    kind: 'visitor' | 'agent',
    options: {
      token?: string;
      transports?: string[];
      rejectUnauthorized?: boolean;
      headers?: Record<string, string>;
    } = {},
  ): Promise<TestSocket> {
    const socket = io(`${baseUrl}${kind === 'visitor' ? VISITOR_NAMESPACE : AGENT_NAMESPACE}`, {
      transports: options.transports ?? ['websocket'],
      auth: options.token ? { token: options.token } : {},
      reconnection: false,
      forceNew: true,
      rejectUnauthorized: options.rejectUnauthorized ?? true,
      extraHeaders: options.headers,
    });
    // Listen before the connection opens: the server may push right after accepting it.
    const client = new TestSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (error) => reject(error));
    });
    return client;
  }

  /** Sends a request and resolves to its acknowledgement. */
  request<TEvent extends keyof Results>(
    event: TEvent,
    payload: unknown,
    timeoutMs = 10_000,
  ): Promise<Ack<Results[TEvent]>> {
    return this.socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<Ack<Results[TEvent]>>;
  }

  /** Like `request`, failing the test with the server's error when the answer is not ok. */
  async ok<TEvent extends keyof Results>(event: TEvent, payload: unknown): Promise<Results[TEvent]> {
    const answer = await this.request(event, payload);
    if (!answer.ok) throw new Error(`${event} refused: ${answer.error.code} ${answer.error.message}`);
    return answer;
  }

  /** Resolves with the first pushed `event` (already received or future) that matches. */
  async next<TPayload>(
    event: string,
    match: (payload: TPayload) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<TPayload> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((entry) => entry.event === event && match(entry.payload as TPayload));
      if (found) return found.payload as TPayload;
      if (Date.now() > deadline)
        throw new Error(`no "${event}" within ${timeoutMs} ms; got ${this.describeReceived()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** The sequences of the chat lines pushed for one chat, in arrival order. */
  lineSequences(chatUid: string): number[] {
    return this.received
      .filter((entry) => entry.event === 'chat:line' && (entry.payload as ChatLineView).chatUid === chatUid)
      .map((entry) => (entry.payload as ChatLineView).sequence);
  }

  close(): void {
    this.socket.disconnect();
  }

  private describeReceived(): string {
    return JSON.stringify(this.received.map((entry) => entry.event));
  }
}
