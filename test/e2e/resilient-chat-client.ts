import { AGENT_NAMESPACE, VISITOR_NAMESPACE, type Ack, type ChatLineView } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';

/** What a test chooses about a participant's socket. */
export interface SocketOptions {
  readonly transports?: string[];
  readonly rejectUnauthorized?: boolean;
}

interface Pending {
  readonly clientMessageId: string;
  readonly text: string;
}

/**
 * A chat participant that behaves as the protocol asks of a real client (docs/protocol.md, "Lines,
 * sequences and reconnects"): reconnects by itself, catches up after a reconnect from its
 * `lastSequence` (the highest sequence held without a gap, not the highest held), resends an unacknowledged line with the same
 * clientMessageId until it is acknowledged, and keeps the transcript deduplicated by sequence.
 */
export class ResilientParticipant {
  readonly transcript = new Map<number, ChatLineView>();
  readonly acknowledged: ChatLineView[] = [];
  deliveries = 0;
  disconnects = 0;
  private readonly outbox: Pending[] = [];
  private sending = false;
  private socket!: Socket;
  private firstCatchUp: (() => void) | undefined;

  private constructor(
    readonly kind: 'visitor' | 'agent',
    readonly chatUid: string,
    private readonly credentials: { token: string },
  ) {}

  /**
   * Opens the chat as a visitor, and has `agent` (already signed in, status Chat) pick it up. The
   * agent's socket takes `agentSocketOptions` (e.g. websocket while the visitor long-polls).
   */
  static async pair(
    baseUrl: string,
    agent: { token: string },
    siteKey: string,
    socketOptions: SocketOptions = {},
    agentSocketOptions: SocketOptions = socketOptions,
  ): Promise<[ResilientParticipant, ResilientParticipant]> {
    const starter = connect(baseUrl, VISITOR_NAMESPACE, {}, socketOptions);
    const started = await request<{ chat: { chatUid: string }; token: string }>(starter, 'chat:start', {
      siteKey,
      visitorName: 'Load visitor',
    });
    starter.disconnect();
    const chatUid = started.chat.chatUid;
    const agentSide = new ResilientParticipant('agent', chatUid, agent);
    await agentSide.open(baseUrl, agentSocketOptions);
    await request(agentSide.socket, 'chat:pickup', { chatUid });
    const visitorSide = new ResilientParticipant('visitor', chatUid, { token: started.token });
    await visitorSide.open(baseUrl, socketOptions);
    return [visitorSide, agentSide];
  }

  send(text: string): void {
    this.outbox.push({ clientMessageId: randomUUID(), text });
    void this.flush();
  }

  /** The engine.io transport in use now (`polling` or `websocket`). */
  get transport(): string {
    return this.socket.io.engine.transport.name;
  }

  get unacknowledged(): number {
    return this.outbox.length;
  }

  close(): void {
    this.socket.disconnect();
  }

  private async open(baseUrl: string, socketOptions: SocketOptions) {
    const namespace = this.kind === 'visitor' ? VISITOR_NAMESPACE : AGENT_NAMESPACE;
    const auth: Record<string, string> = this.kind === 'agent' ? { token: this.credentials.token } : {};
    this.socket = connect(baseUrl, namespace, auth, socketOptions, true);
    this.socket.on('chat:line', (line: ChatLineView) => this.receive(line));
    this.socket.on('disconnect', () => (this.disconnects += 1));
    const caughtUp = new Promise<void>((done) => (this.firstCatchUp = done));
    this.socket.on('connect', () => void this.catchUp());
    await caughtUp;
  }

  /**
   * The highest sequence N such that every line 1..N is held. The acknowledgement of this side's own
   * line N may arrive before the push of line N - 1 from the other side: a reconnect in between leaves
   * a hole below the highest sequence held, which a catch-up from here fills.
   */
  get lastSequence(): number {
    let sequence = 0;
    while (this.transcript.has(sequence + 1)) sequence += 1;
    return sequence;
  }

  /** After every (re)connection: read back what was missed, then resend what is unacknowledged. */
  private async catchUp(): Promise<void> {
    const afterSequence = this.lastSequence;
    try {
      const lines =
        this.kind === 'visitor'
          ? (
              await request<{ lines: ChatLineView[] }>(this.socket, 'chat:rejoin', {
                chatUid: this.chatUid,
                token: this.credentials.token,
                afterSequence,
              })
            ).lines
          : (
              await request<{ lines: ChatLineView[] }>(this.socket, 'chat:history', {
                chatUid: this.chatUid,
                afterSequence,
              })
            ).lines;
      lines.forEach((line) => this.receive(line));
      this.firstCatchUp?.();
      this.firstCatchUp = undefined;
      await this.flush();
    } catch {
      // The node went away during the catch-up (the next connect retries), or answered late: retry.
      if (this.socket.connected) setTimeout(() => void this.catchUp(), 300);
    }
  }

  private receive(line: ChatLineView): void {
    if (line.chatUid !== this.chatUid) return;
    this.deliveries += 1;
    const known = this.transcript.get(line.sequence);
    if (known && (known.text !== line.text || known.sender !== line.sender)) {
      throw new Error(`sequence ${line.sequence} of ${this.chatUid} delivered with two different contents`);
    }
    this.transcript.set(line.sequence, line);
  }

  private async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.outbox.length > 0 && this.socket.connected) {
        const next = this.outbox[0];
        try {
          const { line } = await request<{ line: ChatLineView }>(this.socket, 'chat:send', {
            chatUid: this.chatUid,
            text: next.text,
            clientMessageId: next.clientMessageId,
          });
          this.outbox.shift();
          this.acknowledged.push(line);
          this.receive(line);
        } catch {
          await new Promise((done) => setTimeout(done, 200));
        }
      }
    } finally {
      this.sending = false;
    }
  }
}

function connect(
  baseUrl: string,
  namespace: string,
  auth: Record<string, string>,
  options: SocketOptions,
  reconnection = false,
): Socket {
  return io(`${baseUrl}${namespace}`, {
    auth,
    transports: options.transports ?? ['websocket'],
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    forceNew: true,
    // Keeps HAProxy's SERVERID cookie between long-polling requests (a browser does this by itself).
    withCredentials: true,
    reconnection,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
  });
}

/** Emits with an acknowledgement; rejects on a refusal or when no answer comes within 10 s. */
export async function request<TResult>(socket: Socket, event: string, payload: unknown): Promise<TResult> {
  const answer = (await socket
    .timeout(10_000)
    .emitWithAck(event, payload)
    .catch((error: Error) => {
      throw new Error(`${event}: ${error.message}`);
    })) as Ack<TResult>;
  if (!answer.ok) throw new Error(`${event} refused: ${answer.error.code} ${answer.error.message}`);
  return answer;
}
