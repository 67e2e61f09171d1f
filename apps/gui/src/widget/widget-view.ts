import type { ChatState, VisitorChatView } from '@switchboard/protocol';
import type { ChatTranscript } from '../shared/chat-transcript';
import { element } from '../shared/dom';
import { TranscriptView } from '../shared/transcript-view';
import type { StartChat, VisitorClientListener } from './visitor-client';
import { WIDGET_STYLES } from './widget-styles';
import { WIDGET_TEXT } from './widget-text';

/** What the visitor can do; the VisitorClient does it. */
export interface WidgetActions {
  start(request: StartChat): Promise<void>;
  send(text: string): Promise<void>;
  keystroke(): void;
  close(): Promise<void>;
}

export interface WidgetLook {
  readonly title: string;
  readonly accent: string;
  /** ACD.Chat.Line.MaxLength from config.json: the message box's limit (null: unknown, the server checks). */
  readonly lineMaxLength: number | null;
}

/** The launcher button and the chat panel, in a shadow root of their own. */
export class WidgetView implements VisitorClientListener {
  actions: WidgetActions | undefined;
  private readonly launcher = element(
    'button',
    { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'switchboard-panel' },
    WIDGET_TEXT.title,
  );
  /** The agent's lines that arrived while the panel was folded. */
  private readonly unreadBadge = element('span', { class: 'badge', hidden: true });
  private readonly status = element('p', { class: 'status', 'aria-live': 'polite' });
  private readonly errorLine = element('p', { class: 'error', role: 'alert' });
  private readonly nameInput = element('input', {
    id: 'sb-name',
    name: 'name',
    required: true,
    autocomplete: 'name',
    maxlength: '100',
    dir: 'auto',
  });
  private readonly emailInput = element('input', {
    id: 'sb-email',
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    maxlength: '200',
  });
  private readonly startButton = element(
    'button',
    { class: 'primary', type: 'submit' },
    WIDGET_TEXT.startChat,
  );
  private readonly prechat = element(
    'form',
    { class: 'prechat', 'aria-label': WIDGET_TEXT.startChatForm },
    element('p', {}, WIDGET_TEXT.greeting),
    element('label', { for: 'sb-name' }, WIDGET_TEXT.name, this.nameInput),
    element(
      'label',
      { for: 'sb-email' },
      element('span', {}, WIDGET_TEXT.email, element('span', { class: 'hint' }, WIDGET_TEXT.optional)),
      this.emailInput,
    ),
    this.startButton,
  );
  private readonly message = element('textarea', {
    id: 'sb-message',
    rows: '2',
    dir: 'auto',
    placeholder: WIDGET_TEXT.messagePlaceholder,
  });
  private readonly typing = element('p', { class: 'typing', 'aria-live': 'polite' });
  private readonly endButton = element('button', { class: 'secondary', type: 'button' }, WIDGET_TEXT.endChat);
  private readonly newChatButton = element(
    'button',
    { class: 'primary', type: 'button', hidden: true },
    WIDGET_TEXT.startNewChat,
  );
  private readonly composer = element(
    'form',
    { class: 'composer' },
    element('label', { for: 'sb-message', class: 'visually-hidden' }, WIDGET_TEXT.message),
    this.message,
    element('button', { class: 'primary', type: 'submit' }, WIDGET_TEXT.send),
  );
  private readonly conversation = element('div', { class: 'conversation', hidden: true });
  private readonly panel: HTMLElement;
  private transcriptView: TranscriptView | undefined;
  private agentName: string | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** How many of the agent's lines the visitor has had in front of them (the panel open). */
  private seenAgentLines = 0;

  private readonly title: string;

  constructor(host: HTMLElement, look: WidgetLook) {
    this.title = look.title;
    const shadow = host.attachShadow({ mode: 'open' });
    this.launcher.replaceChildren(look.title, this.unreadBadge);
    if (look.lineMaxLength !== null) this.message.maxLength = look.lineMaxLength;
    this.panel = element(
      'section',
      { class: 'panel', id: 'switchboard-panel', role: 'dialog', 'aria-label': look.title, hidden: true },
      element(
        'header',
        {},
        element('div', { class: 'heading' }, element('h2', {}, look.title), this.status),
        element('button', { class: 'minimize', type: 'button', 'aria-label': WIDGET_TEXT.minimise }, '–'),
      ),
      this.prechat,
      this.conversation,
      this.errorLine,
    );
    this.conversation.append(
      this.typing,
      this.composer,
      element('div', { class: 'actions' }, this.endButton, this.newChatButton),
    );
    const root = element('div', { class: 'root' }, this.panel, this.launcher);
    root.style.setProperty('--accent', look.accent);
    root.style.setProperty('--accent-soft', `color-mix(in srgb, ${look.accent} 16%, white)`);
    shadow.append(element('style', {}, WIDGET_STYLES), root);
    this.listen();
  }

  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute('aria-expanded', String(open));
    this.countUnread();
    if (!open) return this.launcher.focus();
    (this.conversation.hidden ? this.nameInput : this.message).focus();
  }

  chatOpened(transcript: ChatTranscript, chat: VisitorChatView): void {
    this.transcriptView?.list.remove();
    this.transcriptView = new TranscriptView(transcript, 'visitor', this.nameInput.value || WIDGET_TEXT.you);
    this.conversation.prepend(this.transcriptView.list);
    this.prechat.hidden = true;
    this.conversation.hidden = false;
    this.composer.hidden = false;
    this.endButton.hidden = false;
    this.newChatButton.hidden = true;
    this.agentName = chat.agentName;
    this.seenAgentLines = agentLines(transcript);
    this.countUnread();
    this.transcriptView.render();
    if (!this.panel.hidden) this.message.focus();
  }

  transcriptChanged(): void {
    this.transcriptView?.render();
    this.countUnread();
  }

  /** Open: every line is seen. Folded: the launcher shows how many of the agent's lines are new. */
  private countUnread(): void {
    const lines = this.transcriptView ? agentLines(this.transcriptView.transcript) : 0;
    if (!this.panel.hidden) this.seenAgentLines = lines;
    const unread = Math.max(0, lines - this.seenAgentLines);
    this.unreadBadge.hidden = unread === 0;
    this.unreadBadge.textContent = String(unread);
    this.launcher.setAttribute(
      'aria-label',
      unread === 0 ? this.title : WIDGET_TEXT.unread(this.title, unread),
    );
  }

  stateChanged(state: ChatState, agentName: string | null, live: boolean, text?: string | null): void {
    const previousAgent = this.agentName;
    this.agentName = agentName;
    this.status.textContent = describeState(state, agentName);
    if (!live) return;
    if (state === 'active' && agentName && agentName !== previousAgent) {
      this.transcriptView?.notice(WIDGET_TEXT.joined(agentName));
    } else if (state === 'waiting' && previousAgent) {
      this.transcriptView?.notice(WIDGET_TEXT.left(previousAgent));
    } else if (state === 'missed' && text) {
      // Not taken: say why (outside opening hours with the site's message, no agent online, queue full…).
      this.transcriptView?.notice(text);
    } else if (state === 'closed' || state === 'missed') {
      this.transcriptView?.notice(WIDGET_TEXT.ended);
    }
  }

  queueChanged(text: string): void {
    this.status.textContent = text;
  }

  agentTyping(typing: boolean): void {
    clearTimeout(this.typingTimer);
    this.typing.textContent = typing ? WIDGET_TEXT.typing(this.agentName) : '';
    // A lost "stopped typing" must not leave the indicator on for ever.
    if (typing) this.typingTimer = setTimeout(() => this.agentTyping(false), 8000);
  }

  connectionChanged(connected: boolean): void {
    this.panel.classList.toggle('offline', !connected);
    if (!connected) this.status.textContent = WIDGET_TEXT.reconnecting;
  }

  chatEnded(): void {
    this.agentTyping(false);
    this.status.textContent = describeState('closed', null);
    this.composer.hidden = true;
    this.endButton.hidden = true;
    this.newChatButton.hidden = false;
  }

  error(message: string): void {
    this.errorLine.textContent = message;
  }

  private listen(): void {
    this.launcher.addEventListener('click', () => this.setOpen(this.panel.hidden));
    this.panel.querySelector('.minimize')?.addEventListener('click', () => this.setOpen(false));
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.setOpen(false);
    });
    this.prechat.addEventListener('submit', (event) => {
      event.preventDefault();
      // One start at a time: a second click while the first is pending does nothing.
      if (this.startButton.disabled || !this.actions) return;
      this.errorLine.textContent = '';
      const email = this.emailInput.value.trim();
      this.startButton.disabled = true;
      void this.actions
        .start({ visitorName: this.nameInput.value.trim(), ...(email ? { email } : {}) })
        .finally(() => (this.startButton.disabled = false));
    });
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendMessage();
    });
    this.message.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendMessage();
      }
    });
    this.message.addEventListener('input', () => this.actions?.keystroke());
    this.endButton.addEventListener('click', () => void this.actions?.close());
    this.newChatButton.addEventListener('click', () => {
      this.transcriptView?.list.remove();
      this.transcriptView = undefined;
      this.conversation.hidden = true;
      this.prechat.hidden = false;
      this.status.textContent = '';
      this.nameInput.focus();
    });
  }

  private sendMessage(): void {
    const text = this.message.value.trim();
    if (!text) return;
    this.errorLine.textContent = '';
    this.message.value = '';
    void this.actions?.send(text);
  }
}

function describeState(state: ChatState, agentName: string | null): string {
  switch (state) {
    case 'waiting':
    case 'queued':
    case 'offered':
      return WIDGET_TEXT.waiting;
    case 'active':
      return agentName ? WIDGET_TEXT.chattingWith(agentName) : WIDGET_TEXT.connected;
    case 'closed':
    case 'missed':
      return WIDGET_TEXT.ended;
  }
}

/** The agent's (and the system's) lines in the transcript: what the unread badge counts. */
function agentLines(transcript: ChatTranscript): number {
  return transcript.ordered().filter((line) => line.sender !== 'visitor').length;
}
