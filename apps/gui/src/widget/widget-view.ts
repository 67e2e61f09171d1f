import type { ChatState, VisitorChatView } from '@switchboard/protocol';
import type { ChatTranscript } from '../shared/chat-transcript';
import { element } from '../shared/dom';
import { TranscriptView } from '../shared/transcript-view';
import type { StartChat, VisitorClientListener } from './visitor-client';
import { WIDGET_STYLES } from './widget-styles';

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
}

/** The launcher button and the chat panel, in a shadow root of their own. */
export class WidgetView implements VisitorClientListener {
  actions: WidgetActions | undefined;
  private readonly launcher = element(
    'button',
    { class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'switchboard-panel' },
    'Chat with us',
  );
  private readonly status = element('p', { class: 'status', 'aria-live': 'polite' });
  private readonly errorLine = element('p', { class: 'error', role: 'alert' });
  private readonly nameInput = element('input', {
    id: 'sb-name',
    name: 'name',
    required: true,
    autocomplete: 'name',
    maxlength: '100',
  });
  private readonly emailInput = element('input', {
    id: 'sb-email',
    name: 'email',
    type: 'email',
    autocomplete: 'email',
    maxlength: '200',
  });
  private readonly prechat = element(
    'form',
    { class: 'prechat', 'aria-label': 'Start a chat' },
    element('p', {}, 'Hello! Tell us your name and an agent will be with you shortly.'),
    element('label', { for: 'sb-name' }, 'Name', this.nameInput),
    element(
      'label',
      { for: 'sb-email' },
      element('span', {}, 'Email ', element('span', { class: 'hint' }, '(optional)')),
      this.emailInput,
    ),
    element('button', { class: 'primary', type: 'submit' }, 'Start chat'),
  );
  private readonly message = element('textarea', {
    id: 'sb-message',
    rows: '2',
    placeholder: 'Type a message; Enter sends',
    maxlength: '4000',
  });
  private readonly typing = element('p', { class: 'typing', 'aria-live': 'polite' });
  private readonly endButton = element('button', { class: 'secondary', type: 'button' }, 'End chat');
  private readonly newChatButton = element(
    'button',
    { class: 'primary', type: 'button', hidden: true },
    'Start a new chat',
  );
  private readonly composer = element(
    'form',
    { class: 'composer' },
    element('label', { for: 'sb-message', class: 'visually-hidden' }, 'Message'),
    this.message,
    element('button', { class: 'primary', type: 'submit' }, 'Send'),
  );
  private readonly conversation = element('div', { class: 'conversation', hidden: true });
  private readonly panel: HTMLElement;
  private transcriptView: TranscriptView | undefined;
  private agentName: string | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: HTMLElement, look: WidgetLook) {
    const shadow = host.attachShadow({ mode: 'open' });
    this.launcher.textContent = look.title;
    this.panel = element(
      'section',
      { class: 'panel', id: 'switchboard-panel', role: 'dialog', 'aria-label': look.title, hidden: true },
      element(
        'header',
        {},
        element('div', { class: 'heading' }, element('h2', {}, look.title), this.status),
        element('button', { class: 'minimize', type: 'button', 'aria-label': 'Minimise chat' }, '–'),
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
    if (!open) return this.launcher.focus();
    (this.conversation.hidden ? this.nameInput : this.message).focus();
  }

  chatOpened(transcript: ChatTranscript, chat: VisitorChatView): void {
    this.transcriptView?.list.remove();
    this.transcriptView = new TranscriptView(transcript, 'visitor', this.nameInput.value || 'You');
    this.conversation.prepend(this.transcriptView.list);
    this.prechat.hidden = true;
    this.conversation.hidden = false;
    this.composer.hidden = false;
    this.endButton.hidden = false;
    this.newChatButton.hidden = true;
    this.agentName = chat.agentName;
    this.transcriptView.render();
    if (!this.panel.hidden) this.message.focus();
  }

  transcriptChanged(): void {
    this.transcriptView?.render();
  }

  stateChanged(state: ChatState, agentName: string | null, live: boolean, text?: string | null): void {
    const previousAgent = this.agentName;
    this.agentName = agentName;
    this.status.textContent = describeState(state, agentName);
    if (!live) return;
    if (state === 'active' && agentName && agentName !== previousAgent) {
      this.transcriptView?.notice(`${agentName} joined the chat`);
    } else if (state === 'waiting' && previousAgent) {
      this.transcriptView?.notice(`${previousAgent} left the chat; waiting for another agent`);
    } else if (state === 'missed' && text) {
      // Not taken: say why (outside opening hours with the site's message, no agent online, queue full…).
      this.transcriptView?.notice(text);
    } else if (state === 'closed' || state === 'missed') {
      this.transcriptView?.notice('The chat has ended.');
    }
  }

  queueChanged(text: string): void {
    this.status.textContent = text;
  }

  agentTyping(typing: boolean): void {
    clearTimeout(this.typingTimer);
    this.typing.textContent = typing ? `${this.agentName ?? 'The agent'} is typing…` : '';
    // A lost "stopped typing" must not leave the indicator on for ever.
    if (typing) this.typingTimer = setTimeout(() => this.agentTyping(false), 8000);
  }

  connectionChanged(connected: boolean): void {
    this.panel.classList.toggle('offline', !connected);
    if (!connected) this.status.textContent = 'Reconnecting…';
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
      this.errorLine.textContent = '';
      const email = this.emailInput.value.trim();
      void this.actions?.start({ visitorName: this.nameInput.value.trim(), ...(email ? { email } : {}) });
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
      return 'Waiting for an agent…';
    case 'active':
      return agentName ? `Chatting with ${agentName}` : 'Connected';
    case 'closed':
    case 'missed':
      return 'The chat has ended.';
  }
}
