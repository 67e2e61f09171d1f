import type {
  AgentChatStateNotice,
  AgentClientEvents,
  AgentServerEvents,
  AgentStatus,
  AgentView,
  ChatLineView,
  ChatStateNotice,
  ChatSummary,
  LineDelivery,
  SocketError,
} from '@switchboard/protocol';
import type { Socket } from 'socket.io-client';
import { ChatTranscript, type PendingLine } from '../shared/chat-transcript';
import { randomId } from '../shared/random-id';
import { SocketRequester, type NoAnswer } from '../shared/socket-requester';
import { TypingSignal } from '../shared/typing-signal';
import { CONSOLE_TEXT } from './console-text';
import { attachLine, uploadMedium } from './media-upload';
import type { SessionStore } from './session-store';
import { WaitingList } from './waiting-list';

/** The server events of the agent namespace, plus the refusal pushed to a connection with a bad token. */
export type AgentPushes = AgentServerEvents & { 'request:error': (error: SocketError) => void };

/** One chat the agent holds: a console tab. */
export interface OpenChat {
  summary: ChatSummary;
  readonly transcript: ChatTranscript;
  readonly typing: TypingSignal;
}

/** An offer from routing as the waiting list shows it. */
export interface OfferView {
  readonly expiresAt: string;
  /** The visitor's first line, once read (null: none yet, or not readable). */
  readonly firstLine: string | null;
}

interface Offer extends OfferView {
  readonly timer: ReturnType<typeof setTimeout>;
}

/** What the console view is told. */
export interface AgentClientListener {
  signedIn(agent: AgentView): void;
  signedOut(message: string | null): void;
  agentChanged(agent: AgentView): void;
  /** The waiting list; `offered` are the chats routing offers this agent (accept or decline them). */
  waitingChanged(chats: ChatSummary[], offered: ReadonlyMap<string, OfferView>): void;
  /** Routing offered this agent a new chat (not a repeat of a standing offer). */
  offerArrived(chat: ChatSummary, offer: OfferView): void;
  /** A new line from the visitor of a held chat. */
  visitorLine(line: ChatLineView): void;
  /** The server refused a reply: its text goes back to the message box. */
  lineRefused(chatUid: string, text: string, message: string): void;
  chatOpened(chat: OpenChat): void;
  transcriptChanged(chatUid: string): void;
  chatStateChanged(chatUid: string, notice: ChatStateNotice): void;
  /** A held chat moved to another agent (a transfer, an acquire): it is no longer this agent's. */
  chatMovedAway(chatUid: string, notice: ChatStateNotice): void;
  visitorTyping(chatUid: string, typing: boolean): void;
  /** A WhatsApp line of a held chat was sent, delivered, seen, failed… */
  deliveryChanged(delivery: LineDelivery): void;
  chatRemoved(chatUid: string): void;
  connectionChanged(connected: boolean): void;
  error(message: string): void;
}

/** Refresh this long before the access token ends. */
const REFRESH_MARGIN_MS = 60_000;
/** The console reports the agent's input at most this often (the server's idle rule counts in minutes). */
const ACTIVITY_REPORT_MS = 30_000;
/** How many lines an offer's history read looks through for the visitor's first line. */
const FIRST_LINES = 20;
/** How often an offer without a visitor line yet looks again. */
const FIRST_LINE_RETRY_MS = 2000;
const ENDED_SESSION = new Set(['UNAUTHENTICATED', 'SESSION_ENDED', 'ACCOUNT_DISABLED']);

/**
 * The agent's side of the protocol: log in (or resume the stored session with its refresh token on
 * every (re)connection), keep the waiting list and the held chats in step, fetch what was missed by
 * sequence and resend the lines that were not acknowledged. Log-out ends the session on the server.
 */
export class AgentClient {
  private readonly requests: SocketRequester<AgentClientEvents>;
  private readonly waiting = new WaitingList();
  private readonly chats = new Map<string, OpenChat>();
  /** Offers from routing, until they expire. */
  private readonly offers = new Map<string, Offer>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The signed-in agent's username: whose a chat is, in `chat:state` pushes. */
  private username: string | null = null;
  private lastActivityReport = 0;

  constructor(
    private readonly socket: Socket<AgentPushes, AgentClientEvents>,
    private readonly session: SessionStore,
    private readonly listener: AgentClientListener,
    /** The chat server's address (HAProxy routes `/whatsapp/` on it to the WhatsApp connectors). */
    private readonly serverUrl = '',
  ) {
    this.requests = new SocketRequester<AgentClientEvents>(socket);
    socket.on('connect', () => {
      listener.connectionChanged(true);
      void this.resume();
    });
    socket.on('disconnect', () => listener.connectionChanged(false));
    socket.on('agent:ready', (agent) => void this.ready(agent));
    socket.on('agent:signed-out', ({ message }) => this.ended(message));
    socket.on('request:error', (error) => {
      if (!ENDED_SESSION.has(error.code)) return listener.error(error.message);
      this.ended(error.message);
    });
    socket.on('agent:status', (agent) => listener.agentChanged(agent));
    socket.on('queue:added', (chat) => {
      this.waiting.add(chat);
      this.notifyWaiting();
    });
    socket.on('queue:removed', ({ chatUid }) => {
      this.waiting.remove(chatUid);
      this.dropOffer(chatUid);
    });
    socket.on('chat:offer', ({ chat, expiresAt }) => void this.offered(chat, expiresAt));
    socket.on('chat:line', (line) => {
      if (!this.chats.get(line.chatUid)?.transcript.receive(line)) return;
      listener.transcriptChanged(line.chatUid);
      if (line.sender === 'visitor') listener.visitorLine(line);
    });
    socket.on('chat:state', (notice) => void this.stateChanged(notice));
    socket.on('chat:typing', ({ chatUid, by, typing }) => {
      if (by === 'visitor') listener.visitorTyping(chatUid, typing);
    });
    socket.on('chat:delivery', (delivery) => {
      if (this.chats.has(delivery.chatUid)) listener.deliveryChanged(delivery);
    });
  }

  /** Whether a stored session is being resumed (the view waits for it). */
  hasToken(): boolean {
    return this.session.get() !== null;
  }

  async login(username: string, password: string, remember = false): Promise<void> {
    const answer = await this.requests.send('agent:login', { username, password, remember });
    if (!answer.ok) return this.listener.error(answer.error.message);
    this.keep(answer, remember);
    await this.ready(answer.agent);
  }

  /** Ends the session on the server (every node closes its connections) and forgets it here. */
  async logout(): Promise<void> {
    const answer = await this.requests.send('agent:logout', {});
    if (!answer.ok && answer.error.code !== 'UNAUTHENTICATED') this.listener.error(answer.error.message);
    this.ended(null);
  }

  /**
   * The agent used the console (a key, a click): `agent:activity`, at most every 30 s, so an agent
   * reading or typing is not set Away by `ACD.Chat.Agent.IdleAway.Minutes`.
   */
  reportActivity(now = Date.now()): void {
    if (this.username === null || !this.socket.connected) return;
    if (now - this.lastActivityReport < ACTIVITY_REPORT_MS) return;
    this.lastActivityReport = now;
    void this.requests.send('agent:activity', {});
  }

  async setStatus(status: AgentStatus): Promise<void> {
    const answer = await this.requests.send('agent:status', { status });
    if (answer.ok) this.listener.agentChanged(answer.agent);
    else this.listener.error(answer.error.message);
  }

  /** Takes a waiting chat (`chat:pickup`), or accepts an offer (`chat:accept`): the database decides. */
  async pickup(chatUid: string): Promise<void> {
    const event = this.offers.has(chatUid) ? 'chat:accept' : 'chat:pickup';
    const answer = await this.requests.send(event, { chatUid });
    this.dropOffer(chatUid);
    if (!answer.ok) return this.listener.error(answer.error.message);
    this.waiting.remove(chatUid);
    this.notifyWaiting();
    this.open(answer.chat).transcript.receiveAll(answer.lines);
    this.listener.transcriptChanged(chatUid);
  }

  /** Shows an offer until it expires, with the visitor's first line (a waiting chat's lines are readable). */
  private async offered(chat: ChatSummary, expiresAt: string): Promise<void> {
    this.waiting.add(chat);
    const known = this.offers.get(chat.chatUid);
    clearTimeout(known?.timer);
    const timer = setTimeout(() => this.dropOffer(chat.chatUid), Date.parse(expiresAt) - Date.now());
    const firstLine = known?.firstLine ?? null;
    this.offers.set(chat.chatUid, { timer, expiresAt, firstLine });
    this.notifyWaiting();
    if (known) return;
    this.listener.offerArrived(chat, { expiresAt, firstLine });
    await this.readFirstLine(chat.chatUid);
  }

  /** Reads the offered chat's first visitor line, again every few seconds until there is one or the offer ends. */
  private async readFirstLine(chatUid: string): Promise<void> {
    while (this.offers.get(chatUid)?.firstLine === null) {
      const history = await this.requests.send('chat:history', {
        chatUid,
        afterSequence: 0,
        limit: FIRST_LINES,
      });
      const first = history.ok ? history.lines.find((line) => line.sender === 'visitor') : undefined;
      const offer = this.offers.get(chatUid);
      if (!offer) return;
      if (first) {
        this.offers.set(chatUid, { ...offer, firstLine: first.text });
        return this.notifyWaiting();
      }
      if (!history.ok) return;
      await new Promise((resolve) => setTimeout(resolve, FIRST_LINE_RETRY_MS));
    }
  }

  /** Declines an offer: routing asks the next agent at once. */
  async decline(chatUid: string): Promise<void> {
    this.dropOffer(chatUid);
    const answer = await this.requests.send('chat:decline', { chatUid });
    if (!answer.ok && answer.error.code !== 'ALREADY_TAKEN') this.listener.error(answer.error.message);
  }

  async send(chatUid: string, text: string): Promise<void> {
    const chat = this.chats.get(chatUid);
    if (!chat) return;
    chat.typing.stop();
    const line = { clientMessageId: randomId(), text };
    chat.transcript.queue(line);
    this.listener.transcriptChanged(chatUid);
    await this.deliver(chat, line);
  }

  /** Uploads a file for a WhatsApp chat and sends it, with the caption, as `/attach <name> [caption]`. */
  async attach(chatUid: string, file: Blob, caption: string): Promise<void> {
    const token = this.session.get()?.token;
    if (!token) return this.listener.error(CONSOLE_TEXT.logInToAttach);
    const uploaded = await uploadMedium(this.serverUrl, token, file);
    if (!uploaded.ok) return this.listener.error(uploaded.message);
    await this.send(chatUid, attachLine(uploaded.attach, caption));
  }

  keystroke(chatUid: string): void {
    if (this.socket.connected) this.chats.get(chatUid)?.typing.keystroke();
  }

  /** Ends the chat (OC), or soft-closes it (SX). */
  async close(chatUid: string, soft = false): Promise<void> {
    this.chats.get(chatUid)?.typing.stop();
    const answer = await this.requests.send('chat:close', soft ? { chatUid, soft } : { chatUid });
    if (!answer.ok && answer.error.code !== 'CHAT_CLOSED') return this.listener.error(answer.error.message);
  }

  /** Blocks the visitor on this site and ends the chat (BX). */
  async block(chatUid: string, reason?: string): Promise<void> {
    this.chats.get(chatUid)?.typing.stop();
    const answer = await this.requests.send('chat:block', reason ? { chatUid, reason } : { chatUid });
    if (!answer.ok && answer.error.code !== 'CHAT_CLOSED') return this.listener.error(answer.error.message);
  }

  /** Lifts the block that keeps the chat's visitor off the site (after a block by mistake). */
  async unblock(chatUid: string): Promise<void> {
    const answer = await this.requests.send('chat:unblock', { chatUid });
    if (!answer.ok) this.listener.error(answer.error.message);
  }

  /** Gives the chat back to the waiting list (OL). */
  async leave(chatUid: string): Promise<void> {
    this.chats.get(chatUid)?.typing.stop();
    const answer = await this.requests.send('chat:leave', { chatUid });
    if (!answer.ok) return this.listener.error(answer.error.message);
    this.dismiss(chatUid);
  }

  /** Drops a tab (after leave, or an ended chat the agent has read). */
  dismiss(chatUid: string): void {
    this.chats.delete(chatUid);
    this.listener.chatRemoved(chatUid);
  }

  /** A chat changed: it may have moved to this agent (a transfer, an acquire) or away from it. */
  private async stateChanged(notice: AgentChatStateNotice): Promise<void> {
    const chat = this.chats.get(notice.chatUid);
    const mine = notice.state === 'active' && notice.agentUsername === this.username;
    if (!chat) {
      if (mine) await this.adopt(notice.chatUid);
      return;
    }
    chat.summary = { ...chat.summary, state: notice.state };
    if (notice.state === 'active' && !mine) {
      chat.typing.stop();
      this.listener.chatMovedAway(notice.chatUid, notice);
    } else this.listener.chatStateChanged(notice.chatUid, notice);
  }

  /** Opens a tab for a chat handed to this agent, with its lines so far. */
  private async adopt(chatUid: string): Promise<void> {
    const mine = await this.requests.send('chats:mine', {});
    const summary = mine.ok ? mine.chats.find((chat) => chat.chatUid === chatUid) : undefined;
    if (!summary || this.chats.has(chatUid)) return;
    const history = await this.requests.send('chat:history', { chatUid, afterSequence: 0 });
    const chat = this.open(summary);
    if (history.ok) chat.transcript.receiveAll(history.lines);
    this.listener.transcriptChanged(chatUid);
  }

  /** After a login or a token reconnection: the waiting list, the held chats and what they missed. */
  private async ready(agent: AgentView): Promise<void> {
    this.username = agent.username;
    this.listener.signedIn(agent);
    const [queue, mine] = await Promise.all([
      this.requests.send('queue:list', {}),
      this.requests.send('chats:mine', {}),
    ]);
    if (!queue.ok || !mine.ok) return this.listener.error(failure(queue, mine));
    this.waiting.replace(queue.chats);
    this.notifyWaiting();
    for (const summary of mine.chats) {
      const known = this.chats.get(summary.chatUid);
      const chat = known ?? this.open(summary);
      chat.summary = summary;
      const history = await this.requests.send('chat:history', {
        chatUid: summary.chatUid,
        afterSequence: chat.transcript.lastSequence(),
      });
      if (history.ok) chat.transcript.receiveAll(history.lines);
      this.listener.transcriptChanged(summary.chatUid);
      for (const line of chat.transcript.pending()) await this.deliver(chat, line);
    }
  }

  private open(summary: ChatSummary): OpenChat {
    const chatUid = summary.chatUid;
    const chat: OpenChat = {
      summary,
      transcript: new ChatTranscript(),
      typing: new TypingSignal((typing) => void this.requests.send('chat:typing', { chatUid, typing })),
    };
    this.chats.set(chatUid, chat);
    this.listener.chatOpened(chat);
    return chat;
  }

  private async deliver(chat: OpenChat, line: PendingLine): Promise<void> {
    const chatUid = chat.summary.chatUid;
    // note: an emit buffered while offline would reach the new connection before it is signed in;
    // agent:ready resends pending lines instead.
    if (!this.socket.connected) return;
    const answer = await this.requests.send('chat:send', { chatUid, ...line });
    if (answer.ok) chat.transcript.receive(answer.line);
    // Kept for the resend after the reconnect; any other refusal is final: the text goes back to the box.
    else if (answer.error.code !== 'NO_ANSWER') {
      chat.transcript.drop(line.clientMessageId);
      this.listener.lineRefused(chatUid, line.text, answer.error.message);
    }
    this.listener.transcriptChanged(chatUid);
  }

  private dropOffer(chatUid: string): void {
    clearTimeout(this.offers.get(chatUid)?.timer);
    this.offers.delete(chatUid);
    this.notifyWaiting();
  }

  private notifyWaiting(): void {
    this.listener.waitingChanged(this.waiting.ordered(), this.offers);
  }

  /** After a (re)connection: signs this connection in again with the stored refresh token. */
  private async resume(): Promise<void> {
    const stored = this.session.get();
    if (!stored) return;
    const answer = await this.requests.send('agent:refresh', { refreshToken: stored.refreshToken });
    if (!answer.ok) {
      if (answer.error.code === 'UNAVAILABLE' || answer.error.code === 'NO_ANSWER') return;
      return this.ended(answer.error.message);
    }
    this.keep(answer);
    await this.ready(answer.agent);
  }

  /** Stores a new pair and refreshes it shortly before its access token ends. */
  private keep(tokens: { token: string; refreshToken: string; expiresAt: string }, remember?: boolean): void {
    this.session.set({ token: tokens.token, refreshToken: tokens.refreshToken }, remember);
    clearTimeout(this.refreshTimer);
    const due = Math.max(5_000, Date.parse(tokens.expiresAt) - Date.now() - REFRESH_MARGIN_MS);
    this.refreshTimer = setTimeout(() => void this.resume(), due);
  }

  private ended(message: string | null): void {
    clearTimeout(this.refreshTimer);
    this.session.clear();
    // The next log-in (maybe in this tab) rebuilds the tabs from what the server says the agent holds.
    for (const chat of this.chats.values()) chat.typing.stop();
    this.chats.clear();
    for (const offer of this.offers.values()) clearTimeout(offer.timer);
    this.offers.clear();
    this.waiting.replace([]);
    this.listener.signedOut(message);
  }
}

function failure(
  ...answers: Array<{ ok: true } | { ok: false; error: SocketError | NoAnswer['error'] }>
): string {
  const failed = answers.find((answer) => !answer.ok);
  return failed && !failed.ok ? failed.error.message : '';
}
