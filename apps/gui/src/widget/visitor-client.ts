import type {
  ChatLineView,
  ChatState,
  ChatStateNotice,
  VisitorChatView,
  VisitorClientEvents,
  VisitorServerEvents,
} from '@switchboard/protocol';
import type { Socket } from 'socket.io-client';
import { ChatTranscript } from '../shared/chat-transcript';
import { randomId } from '../shared/random-id';
import { SocketRequester } from '../shared/socket-requester';
import { TypingSignal } from '../shared/typing-signal';
import type { WidgetStore } from './widget-store';

/** What the view is told; it renders, the client decides. */
export interface VisitorClientListener {
  /** A chat was started or rejoined: a new transcript to show. */
  chatOpened(transcript: ChatTranscript, chat: VisitorChatView): void;
  /** The transcript changed (lines arrived, pending lines confirmed). */
  transcriptChanged(): void;
  /**
   * The chat's state changed; `live` is false when it is only restored after a (re)join. `text` is
   * what the server says about it (e.g. why a chat was not taken: outside opening hours, no agent).
   */
  stateChanged(state: ChatState, agentName: string | null, live: boolean, text?: string | null): void;
  /** The chat waits in the queue: the position and expected wait, as text to show. */
  queueChanged(text: string): void;
  agentTyping(typing: boolean): void;
  connectionChanged(connected: boolean): void;
  /** The chat is gone (closed, or unknown to the server): show the pre-chat form again. */
  chatEnded(): void;
  error(message: string): void;
}

export interface StartChat {
  readonly visitorName: string;
  readonly email?: string;
  readonly skill?: string;
}

/**
 * The visitor's side of the protocol: start or rejoin the chat, send lines with a clientMessageId
 * and resend the unacknowledged ones after a reconnect, rejoin with the last sequence held.
 */
export class VisitorClient {
  private readonly requests: SocketRequester<VisitorClientEvents>;
  private readonly typingSignal = new TypingSignal((typing) => this.sendTyping(typing));
  private transcript: ChatTranscript | undefined;
  private chatUid: string | undefined;
  /**
   * While a start is pending: pushes about a chat not known yet. The server sends a new chat's pushes
   * after the start answer, but one network read may hand both to the page before the answer is read.
   */
  private early: Array<() => void> | null = null;

  constructor(
    private readonly socket: Socket<VisitorServerEvents, VisitorClientEvents>,
    private readonly siteKey: string,
    private readonly store: WidgetStore,
    private readonly listener: VisitorClientListener,
  ) {
    this.requests = new SocketRequester<VisitorClientEvents>(socket);
    socket.on('connect', () => {
      listener.connectionChanged(true);
      void this.rejoin();
    });
    socket.on('disconnect', () => listener.connectionChanged(false));
    socket.on('chat:line', (line) => this.forChat(line.chatUid, () => this.onLine(line)));
    socket.on('chat:state', (notice) => this.forChat(notice.chatUid, () => this.onState(notice)));
    socket.on('chat:queue', ({ chatUid, text }) => this.forChat(chatUid, () => listener.queueChanged(text)));
    socket.on('chat:typing', ({ chatUid, typing }) => {
      if (chatUid === this.chatUid) listener.agentTyping(typing);
    });
  }

  async start(request: StartChat): Promise<void> {
    this.early = [];
    const payload = {
      siteKey: this.siteKey,
      visitorId: this.store.visitorId(),
      page: location.href.slice(0, 2048),
      // The same id on a retry: the server answers the chat the lost answer was about.
      clientRequestId: randomId(),
      ...request,
    };
    let answer = await this.requests.send('chat:start', payload);
    for (let retry = 1; retry <= START_RETRIES && !answer.ok && answer.error.code === 'NO_ANSWER'; retry += 1)
      answer = await this.requests.send('chat:start', payload);
    const early = this.early;
    this.early = null;
    if (!answer.ok) return this.listener.error(answer.error.message);
    const { chat, token } = answer;
    this.store.saveChat({ chatUid: chat.chatUid, token, lastSequence: 0 });
    this.open(chat, new ChatTranscript());
    // Pushes that arrived with the answer (e.g. "missed" outside opening hours): each checks its chat.
    for (const push of early) push();
    // A visitor with an open chat on this site gets it back: fetch what it already holds.
    if (chat.lastSequence > 0) await this.rejoin();
  }

  async send(text: string): Promise<void> {
    if (!this.transcript || !this.chatUid) return;
    this.typingSignal.stop();
    const line = { clientMessageId: randomId(), text };
    this.transcript.queue(line);
    this.saved();
    await this.deliver(this.chatUid, line);
  }

  keystroke(): void {
    if (this.chatUid && this.socket.connected) this.typingSignal.keystroke();
  }

  async close(): Promise<void> {
    if (!this.chatUid) return;
    const answer = await this.requests.send('chat:close', { chatUid: this.chatUid });
    if (!answer.ok && answer.error.code !== 'CHAT_CLOSED') return this.listener.error(answer.error.message);
    this.end();
  }

  /** Rejoins the stored chat after a reload or a reconnect, then resends what was not acknowledged. */
  private async rejoin(): Promise<void> {
    const stored = this.store.chat();
    if (!stored) return;
    const transcript =
      this.chatUid === stored.chatUid && this.transcript
        ? this.transcript
        : new ChatTranscript(this.store.transcript(stored.chatUid));
    const answer = await this.requests.send('chat:rejoin', {
      chatUid: stored.chatUid,
      token: stored.token,
      afterSequence: transcript.lastSequence(),
    });
    if (!answer.ok) {
      // The chat is gone for good only when the server says so; otherwise the next connect retries.
      if (FORGOTTEN.has(answer.error.code)) return this.end();
      if (answer.error.code !== 'NO_ANSWER') this.listener.error(answer.error.message);
      return;
    }
    if (this.transcript !== transcript) this.open(answer.chat, transcript);
    transcript.receiveAll(answer.lines);
    this.saved();
    if (isOver(answer.chat.state)) return this.end();
    this.listener.stateChanged(answer.chat.state, answer.chat.agentName, false);
    for (const line of transcript.pending()) await this.deliver(answer.chat.chatUid, line);
  }

  private open(chat: VisitorChatView, transcript: ChatTranscript): void {
    this.chatUid = chat.chatUid;
    this.transcript = transcript;
    this.listener.chatOpened(transcript, chat);
    this.listener.stateChanged(chat.state, chat.agentName, false);
  }

  private async deliver(chatUid: string, line: { clientMessageId: string; text: string }): Promise<void> {
    // note: socket.io-client would buffer the emit and flush it on reconnect before chat:rejoin, when
    // the new connection does not own the chat yet; the rejoin resends pending lines instead.
    if (!this.socket.connected) return;
    const answer = await this.requests.send('chat:send', { chatUid, ...line });
    if (chatUid !== this.chatUid || !this.transcript) return;
    if (answer.ok) this.transcript.receive(answer.line);
    // Kept for the resend after the reconnect; any other refusal is final.
    else if (answer.error.code !== 'NO_ANSWER') {
      this.transcript.drop(line.clientMessageId);
      this.listener.error(answer.error.message);
    }
    this.saved();
  }

  /** Runs a push's handler when it concerns the open chat; keeps it while a start is pending. */
  private forChat(chatUid: string, handle: () => void): void {
    if (chatUid === this.chatUid) handle();
    else this.early?.push(() => this.forChat(chatUid, handle));
  }

  private onLine(line: ChatLineView): void {
    if (this.transcript?.receive(line)) this.saved();
  }

  private onState(notice: ChatStateNotice): void {
    this.listener.stateChanged(notice.state, notice.agentName, true, notice.text);
    if (isOver(notice.state)) this.end();
  }

  private sendTyping(typing: boolean): void {
    if (this.chatUid) void this.requests.send('chat:typing', { chatUid: this.chatUid, typing });
  }

  private saved(): void {
    const stored = this.store.chat();
    if (this.transcript && stored && stored.chatUid === this.chatUid) {
      this.store.saveTranscript(stored.chatUid, this.transcript.snapshot());
      this.store.saveChat({ ...stored, lastSequence: this.transcript.lastSequence() });
    }
    this.listener.transcriptChanged();
  }

  private end(): void {
    this.typingSignal.stop();
    this.store.forgetChat();
    this.chatUid = undefined;
    this.listener.chatEnded();
  }
}

/** How often a start that got no answer is sent again (with its clientRequestId) before giving up. */
const START_RETRIES = 2;

const FORGOTTEN = new Set(['UNKNOWN_CHAT', 'CHAT_CLOSED', 'UNAUTHENTICATED', 'INVALID_PAYLOAD']);

function isOver(state: ChatState): boolean {
  return state === 'closed' || state === 'missed';
}
