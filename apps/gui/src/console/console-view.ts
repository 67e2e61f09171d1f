import type {
  AgentStatus,
  AgentView,
  ChatStateNotice,
  ChatSummary,
  LineDelivery,
} from '@switchboard/protocol';
import { clockTime, element } from '../shared/dom';
import { TranscriptView } from '../shared/transcript-view';
import type { AgentClient, AgentClientListener, OpenChat } from './agent-client';
import { deliveryTick } from './delivery-ticks';
import { UPLOAD_ACCEPT } from './media-upload';

const STATUS_NAMES: Record<AgentStatus, string> = { 0: 'Offline', 1: 'Chat', 2: 'Busy', 3: 'Away' };

interface ChatTab {
  readonly tab: HTMLButtonElement;
  readonly panel: HTMLElement;
  readonly view: TranscriptView;
  readonly state: HTMLElement;
  readonly typing: HTMLElement;
  readonly composer: HTMLFormElement;
  readonly actions: HTMLElement;
  readonly dismiss: HTMLElement;
  /** Shown once the chat ended with a block (BX): lifts it. */
  readonly unblock: HTMLElement;
  readonly name: string;
  typingTimer?: ReturnType<typeof setTimeout>;
}

/** The agent console: login form, status, waiting list, one tab per held chat. */
export class ConsoleView implements AgentClientListener {
  client: AgentClient | undefined;
  private readonly errorLine = element('p', { class: 'error', role: 'alert' });
  private readonly username = element('input', {
    id: 'login-username',
    name: 'username',
    required: true,
    autocomplete: 'username',
  });
  private readonly password = element('input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    required: true,
    autocomplete: 'current-password',
  });
  private readonly login = element(
    'form',
    { class: 'login card', 'aria-labelledby': 'login-heading', hidden: true },
    element('h1', { id: 'login-heading' }, 'Agent console'),
    element('label', { for: 'login-username' }, 'Username', this.username),
    element('label', { for: 'login-password' }, 'Password', this.password),
    element('button', { class: 'primary', type: 'submit' }, 'Log in'),
  );
  private readonly agentName = element('span', { class: 'agent-name' });
  private readonly connection = element('span', { class: 'connection', 'aria-live': 'polite' });
  private readonly status = element(
    'select',
    { id: 'agent-status' },
    ...([0, 1, 2, 3] as const).map((code) =>
      element('option', { value: String(code) }, `${code} ${STATUS_NAMES[code]}`),
    ),
  );
  private readonly waitingHeading = element('h2', { id: 'waiting-heading' }, 'Waiting');
  private readonly waitingList = element('ul', { class: 'waiting-list' });
  private readonly tabList = element('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Open chats' });
  private readonly panels = element('div', { class: 'panels' });
  private readonly emptyChats = element(
    'p',
    { class: 'empty' },
    'No open chats. Pick one up from the waiting list.',
  );
  private readonly workspace = element(
    'div',
    { class: 'workspace', hidden: true },
    element(
      'header',
      { class: 'topbar' },
      element('strong', {}, 'Switchboard'),
      this.agentName,
      this.connection,
      element('label', { for: 'agent-status', class: 'status-label' }, 'Status', this.status),
      element('button', { class: 'secondary logout', type: 'button' }, 'Log out'),
    ),
    element(
      'main',
      { class: 'columns' },
      element(
        'section',
        { class: 'waiting card', 'aria-labelledby': 'waiting-heading' },
        this.waitingHeading,
        this.waitingList,
      ),
      element(
        'section',
        { class: 'chats card', 'aria-label': 'Chats' },
        this.tabList,
        this.emptyChats,
        this.panels,
      ),
    ),
  );
  private readonly tabs = new Map<string, ChatTab>();

  constructor(root: HTMLElement) {
    root.append(this.login, this.workspace, this.errorLine);
    this.listen();
  }

  showLogin(): void {
    this.workspace.hidden = true;
    this.login.hidden = false;
    this.username.focus();
  }

  signedIn(agent: AgentView): void {
    this.login.hidden = true;
    this.workspace.hidden = false;
    this.errorLine.textContent = '';
    this.agentChanged(agent);
  }

  signedOut(message: string | null): void {
    for (const chatUid of this.tabs.keys()) this.chatRemoved(chatUid);
    this.showLogin();
    this.errorLine.textContent = message ?? '';
  }

  agentChanged(agent: AgentView): void {
    this.agentName.textContent = `${agent.displayName} · up to ${agent.maxChats} chats`;
    this.status.value = String(agent.status);
    if (agent.reason === 'idle') this.errorLine.textContent = 'You were idle: your status is now Away.';
  }

  waitingChanged(chats: ChatSummary[], offered: ReadonlySet<string>): void {
    this.waitingHeading.textContent = `Waiting (${chats.length})`;
    this.waitingList.replaceChildren(
      ...chats.map((chat) => {
        const isOffer = offered.has(chat.chatUid);
        const pickup = element(
          'button',
          { class: 'primary', type: 'button' },
          isOffer ? 'Accept' : 'Pick up',
        );
        pickup.setAttribute(
          'aria-label',
          `${isOffer ? 'Accept' : 'Pick up'} the chat with ${chat.visitorName}`,
        );
        pickup.addEventListener('click', () => void this.client?.pickup(chat.chatUid));
        const decline = element('button', { type: 'button' }, 'Decline');
        decline.setAttribute('aria-label', `Decline the chat with ${chat.visitorName}`);
        decline.addEventListener('click', () => void this.client?.decline(chat.chatUid));
        return element(
          'li',
          { 'data-chat-uid': chat.chatUid },
          element(
            'span',
            { class: 'who' },
            element('strong', {}, chat.visitorName),
            element(
              'small',
              {},
              `${chat.siteKey}${chat.skill ? ` · ${chat.skill}` : ''} · since ${clockTime(chat.createdAt)}`,
            ),
          ),
          pickup,
          ...(isOffer ? [decline] : []),
        );
      }),
    );
  }

  chatOpened(chat: OpenChat): void {
    const { chatUid, visitorName, visitorEmail } = chat.summary;
    const id = `chat-${chatUid}`;
    const tab = element(
      'button',
      {
        class: 'tab',
        role: 'tab',
        type: 'button',
        id: `${id}-tab`,
        'aria-controls': id,
        'aria-selected': 'false',
      },
      visitorName,
    );
    const message = element('textarea', {
      id: `${id}-message`,
      rows: '2',
      placeholder: 'Type a reply; Enter sends',
    });
    const composer = element(
      'form',
      { class: 'composer' },
      element('label', { for: `${id}-message`, class: 'visually-hidden' }, `Reply to ${visitorName}`),
      message,
      ...(chat.summary.channel === 'whatsapp' ? [this.filePicker(chatUid, message)] : []),
      element('button', { class: 'primary', type: 'submit' }, 'Send'),
    );
    const leave = element(
      'button',
      { class: 'secondary', type: 'button', title: 'Back to the waiting list (OL)' },
      'Leave',
    );
    const close = element(
      'button',
      { class: 'danger', type: 'button', title: 'End the chat (OC)' },
      'Close chat',
    );
    const softClose = element(
      'button',
      { class: 'secondary', type: 'button', title: 'End the chat politely (SX)' },
      'Soft close',
    );
    const block = element(
      'button',
      { class: 'danger', type: 'button', title: 'Block this visitor on this site and end the chat (BX)' },
      'Block visitor',
    );
    const dismiss = element('button', { class: 'secondary', type: 'button', hidden: true }, 'Close tab');
    const unblock = element(
      'button',
      { class: 'secondary', type: 'button', hidden: true, title: "Lift this visitor's block on this site" },
      'Lift block',
    );
    const view = new TranscriptView(chat.transcript, 'operator', 'You');
    const state = element('span', { class: 'chat-state' }, chat.summary.state);
    const typing = element('p', { class: 'typing', 'aria-live': 'polite' });
    const actions = element('div', { class: 'chat-actions' }, leave, softClose, close, block);
    const panel = element(
      'section',
      { class: 'chat-panel', role: 'tabpanel', id, 'aria-labelledby': `${id}-tab`, hidden: true },
      element(
        'header',
        { class: 'chat-header' },
        element('strong', {}, visitorName),
        element('small', {}, visitorEmail ?? ''),
        state,
        actions,
        unblock,
        dismiss,
      ),
      view.list,
      typing,
      composer,
    );
    this.tabs.set(chatUid, {
      tab,
      panel,
      view,
      state,
      typing,
      composer,
      actions,
      dismiss,
      unblock,
      name: visitorName,
    });
    tab.addEventListener('click', () => this.select(chatUid));
    leave.addEventListener('click', () => void this.client?.leave(chatUid));
    close.addEventListener('click', () => void this.client?.close(chatUid));
    softClose.addEventListener('click', () => void this.client?.close(chatUid, true));
    block.addEventListener('click', () => {
      const reason = window.prompt(`Block ${visitorName} on this site? Reason (optional):`, '');
      if (reason !== null) void this.client?.block(chatUid, reason.trim() || undefined);
    });
    dismiss.addEventListener('click', () => this.client?.dismiss(chatUid));
    unblock.addEventListener('click', () => {
      unblock.hidden = true;
      void this.client?.unblock(chatUid);
    });
    composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.sendFrom(chatUid, message);
    });
    message.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendFrom(chatUid, message);
      }
    });
    message.addEventListener('input', () => this.client?.keystroke(chatUid));
    this.tabList.append(tab);
    this.panels.append(panel);
    this.emptyChats.hidden = true;
    view.render();
    this.select(chatUid);
  }

  transcriptChanged(chatUid: string): void {
    this.tabs.get(chatUid)?.view.render();
  }

  chatStateChanged(chatUid: string, notice: ChatStateNotice): void {
    const tab = this.tabs.get(chatUid);
    if (!tab) return;
    tab.state.textContent = notice.state;
    if (notice.state !== 'closed' && notice.state !== 'missed') return;
    tab.unblock.hidden = notice.code !== 'BX';
    this.endTab(chatUid, notice.code === 'VC' ? `${tab.name} ended the chat.` : 'The chat is closed.');
  }

  chatMovedAway(chatUid: string, notice: ChatStateNotice): void {
    const tab = this.tabs.get(chatUid);
    if (!tab) return;
    tab.state.textContent = 'moved';
    this.endTab(chatUid, `${notice.agentName ?? 'Another agent'} has the chat now.`);
  }

  /** The chat is no longer this agent's to write in: say why, keep the transcript until dismissed. */
  private endTab(chatUid: string, why: string): void {
    const tab = this.tabs.get(chatUid);
    if (!tab) return;
    tab.view.notice(why);
    tab.composer.hidden = true;
    tab.actions.hidden = true;
    tab.dismiss.hidden = false;
    this.visitorTyping(chatUid, false);
  }

  visitorTyping(chatUid: string, typing: boolean): void {
    const tab = this.tabs.get(chatUid);
    if (!tab) return;
    clearTimeout(tab.typingTimer);
    tab.typing.textContent = typing ? `${tab.name} is typing…` : '';
    // A lost "stopped typing" must not leave the indicator on for ever.
    if (typing) tab.typingTimer = setTimeout(() => this.visitorTyping(chatUid, false), 8000);
  }

  deliveryChanged(delivery: LineDelivery): void {
    this.tabs.get(delivery.chatUid)?.view.mark(delivery.sequence, deliveryTick(delivery));
  }

  chatRemoved(chatUid: string): void {
    const tab = this.tabs.get(chatUid);
    if (!tab) return;
    clearTimeout(tab.typingTimer);
    tab.tab.remove();
    tab.panel.remove();
    this.tabs.delete(chatUid);
    const next = this.tabs.keys().next();
    if (next.done) this.emptyChats.hidden = false;
    else this.select(next.value);
  }

  connectionChanged(connected: boolean): void {
    this.connection.textContent = connected ? '' : 'Reconnecting…';
  }

  error(message: string): void {
    this.errorLine.textContent = message;
  }

  private select(chatUid: string): void {
    for (const [uid, tab] of this.tabs) {
      const selected = uid === chatUid;
      tab.tab.setAttribute('aria-selected', String(selected));
      tab.panel.hidden = !selected;
    }
    this.tabs.get(chatUid)?.panel.querySelector('textarea')?.focus();
  }

  /** "Attach file" on a WhatsApp chat: the file is uploaded and sent with the typed text as its caption. */
  private filePicker(chatUid: string, message: HTMLTextAreaElement): HTMLElement {
    const input = element('input', {
      id: `chat-${chatUid}-file`,
      type: 'file',
      accept: UPLOAD_ACCEPT,
      class: 'visually-hidden',
    });
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) return;
      const caption = message.value;
      message.value = '';
      this.errorLine.textContent = '';
      void this.client?.attach(chatUid, file, caption);
    });
    return element(
      'label',
      { for: input.id, class: 'secondary attach', title: 'Send a file (the typed text is its caption)' },
      'Attach file',
      input,
    );
  }

  private sendFrom(chatUid: string, message: HTMLTextAreaElement): void {
    const text = message.value.trim();
    if (!text) return;
    message.value = '';
    this.errorLine.textContent = '';
    void this.client?.send(chatUid, text);
  }

  private listen(): void {
    this.login.addEventListener('submit', (event) => {
      event.preventDefault();
      this.errorLine.textContent = '';
      void this.client?.login(this.username.value.trim(), this.password.value);
      this.password.value = '';
    });
    this.status.addEventListener('change', () => {
      void this.client?.setStatus(Number(this.status.value) as AgentStatus);
    });
    this.workspace.querySelector('.logout')?.addEventListener('click', () => void this.client?.logout());
  }
}
