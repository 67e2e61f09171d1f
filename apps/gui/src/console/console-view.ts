import type {
  AgentStatus,
  AgentView,
  ChatLineView,
  ChatStateNotice,
  ChatSummary,
  LineDelivery,
} from '@switchboard/protocol';
import { clockTime, element } from '../shared/dom';
import { TranscriptView } from '../shared/transcript-view';
import type { AgentClient, AgentClientListener, OfferView, OpenChat } from './agent-client';
import { Attention } from './attention';
import { CONSOLE_TEXT, elapsed } from './console-text';
import { deliveryTick } from './delivery-ticks';
import { UPLOAD_ACCEPT } from './media-upload';
import { consoleLineText } from './media-view';

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
  readonly message: HTMLTextAreaElement;
  /** The visitor's lines not seen yet (the tab was not shown): the number on the tab. */
  readonly unreadBadge: HTMLElement;
  unread: number;
  typingTimer?: ReturnType<typeof setTimeout>;
}

/** What the console checks before sending (from /gui/config.json). */
export interface ConsoleSettings {
  /** ACD.Chat.Line.MaxLength; null when unknown (the server still refuses a longer line). */
  readonly lineMaxLength: number | null;
  /** The server the console talks to: WhatsApp media are loaded from it. */
  readonly serverUrl?: string;
}

/** How often the offers' countdowns and the waiting times are redrawn. */
const TICK_MS = 1000;

/** The agent console: login form, status, waiting list, one tab per held chat. */
export class ConsoleView implements AgentClientListener {
  client: AgentClient | undefined;
  private readonly attention = new Attention(CONSOLE_TEXT.title);
  private readonly errorText = element('span', { class: 'toast-text' });
  private readonly errorToast = element(
    'div',
    { class: 'toast', role: 'alert', hidden: true },
    this.errorText,
    element('button', { class: 'secondary toast-dismiss', type: 'button' }, CONSOLE_TEXT.dismissError),
  );
  /** Read out by screen readers: new offers and lines. */
  private readonly announcer = element('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  private readonly notifyButton = element(
    'button',
    { class: 'secondary notify', type: 'button', title: CONSOLE_TEXT.enableNotificationsHint, hidden: true },
    CONSOLE_TEXT.enableNotifications,
  );
  private offerCount = 0;
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
    element('h1', { id: 'login-heading' }, CONSOLE_TEXT.loginHeading),
    element('label', { for: 'login-username' }, CONSOLE_TEXT.username, this.username),
    element('label', { for: 'login-password' }, CONSOLE_TEXT.password, this.password),
    element('button', { class: 'primary', type: 'submit' }, CONSOLE_TEXT.logIn),
  );
  private readonly agentName = element('span', { class: 'agent-name' });
  private readonly connection = element('span', { class: 'connection', 'aria-live': 'polite' });
  private readonly status = element(
    'select',
    { id: 'agent-status' },
    ...([0, 1, 2, 3] as const).map((code) =>
      element('option', { value: String(code) }, `${code} ${CONSOLE_TEXT.statuses[code]}`),
    ),
  );
  private readonly waitingHeading = element('h2', { id: 'waiting-heading' }, CONSOLE_TEXT.waiting(null));
  private readonly waitingList = element('ul', { class: 'waiting-list' });
  private readonly tabList = element('div', {
    class: 'tabs',
    role: 'tablist',
    'aria-label': CONSOLE_TEXT.openChats,
  });
  private readonly panels = element('div', { class: 'panels' });
  private readonly emptyChats = element('p', { class: 'empty' }, CONSOLE_TEXT.noChats);
  private readonly workspace = element(
    'div',
    { class: 'workspace', hidden: true },
    element(
      'header',
      { class: 'topbar' },
      element('strong', {}, CONSOLE_TEXT.brand),
      this.agentName,
      this.connection,
      this.notifyButton,
      element('label', { for: 'agent-status', class: 'status-label' }, CONSOLE_TEXT.status, this.status),
      element('button', { class: 'secondary logout', type: 'button' }, CONSOLE_TEXT.logOut),
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
        { class: 'chats card', 'aria-label': CONSOLE_TEXT.chats },
        this.tabList,
        this.emptyChats,
        this.panels,
      ),
    ),
  );
  private readonly tabs = new Map<string, ChatTab>();

  constructor(
    root: HTMLElement,
    private readonly settings: ConsoleSettings = { lineMaxLength: null },
  ) {
    root.append(this.errorToast, this.announcer, this.login, this.workspace);
    this.listen();
    setInterval(() => this.tick(), TICK_MS);
  }

  showLogin(): void {
    this.workspace.hidden = true;
    this.login.hidden = false;
    this.username.focus();
  }

  signedIn(agent: AgentView): void {
    this.login.hidden = true;
    this.workspace.hidden = false;
    this.notifyButton.hidden = !this.attention.canAsk();
    this.clearError();
    this.agentChanged(agent);
  }

  signedOut(message: string | null): void {
    for (const chatUid of this.tabs.keys()) this.chatRemoved(chatUid);
    this.showLogin();
    if (message) this.error(message);
    else this.clearError();
  }

  agentChanged(agent: AgentView): void {
    this.agentName.textContent = CONSOLE_TEXT.agentLine(agent.displayName, agent.maxChats);
    this.status.value = String(agent.status);
    if (agent.reason === 'idle') this.error(CONSOLE_TEXT.idleAway);
  }

  waitingChanged(chats: ChatSummary[], offered: ReadonlyMap<string, OfferView>): void {
    this.waitingHeading.textContent = CONSOLE_TEXT.waiting(chats.length);
    this.offerCount = chats.filter((chat) => offered.has(chat.chatUid)).length;
    this.updateBadge();
    this.waitingList.replaceChildren(
      ...chats.map((chat) => {
        const offer = offered.get(chat.chatUid);
        const isOffer = offer !== undefined;
        const pickup = element(
          'button',
          { class: 'primary', type: 'button' },
          isOffer ? CONSOLE_TEXT.accept : CONSOLE_TEXT.pickUp,
        );
        pickup.setAttribute(
          'aria-label',
          (isOffer ? CONSOLE_TEXT.acceptLabel : CONSOLE_TEXT.pickUpLabel)(chat.visitorName),
        );
        pickup.addEventListener('click', () => void this.client?.pickup(chat.chatUid));
        const decline = element('button', { type: 'button' }, CONSOLE_TEXT.decline);
        decline.setAttribute('aria-label', CONSOLE_TEXT.declineLabel(chat.visitorName));
        decline.addEventListener('click', () => void this.client?.decline(chat.chatUid));
        const channel = CONSOLE_TEXT.channel[chat.channel] ?? chat.channel;
        return element(
          'li',
          { 'data-chat-uid': chat.chatUid, class: isOffer ? 'offer' : undefined },
          element(
            'span',
            { class: 'who' },
            element('strong', {}, chat.visitorName),
            element(
              'small',
              { class: 'offer-details' },
              `${channel} · ${chat.siteKey}${chat.skill ? ` · ${chat.skill}` : ''} · since ${clockTime(chat.createdAt)} · `,
              element('span', { class: 'wait', 'data-since': chat.createdAt }, waitingFor(chat.createdAt)),
            ),
            ...(offer
              ? [
                  element(
                    'q',
                    { class: 'first-line', dir: 'auto' },
                    offer.firstLine ?? CONSOLE_TEXT.noFirstLine,
                  ),
                  element(
                    'span',
                    { class: 'countdown', 'data-expires-at': offer.expiresAt },
                    secondsLeft(offer.expiresAt),
                  ),
                ]
              : []),
          ),
          element('span', { class: 'offer-actions' }, pickup, ...(isOffer ? [decline] : [])),
        );
      }),
    );
  }

  offerArrived(chat: ChatSummary): void {
    this.announce(CONSOLE_TEXT.offerAnnounced(chat.visitorName, chat.siteKey));
    this.attention.alert('offer', CONSOLE_TEXT.offerNotification(chat.visitorName), chat.siteKey);
  }

  visitorLine(line: ChatLineView): void {
    const tab = this.tabs.get(line.chatUid);
    if (!tab) return;
    if (!this.isShown(tab)) {
      tab.unread += 1;
      this.showUnread(tab);
    }
    this.announce(CONSOLE_TEXT.lineAnnounced(tab.name));
    this.attention.alert('line', CONSOLE_TEXT.lineNotification(tab.name), line.text, () =>
      this.select(line.chatUid),
    );
  }

  lineRefused(chatUid: string, text: string, message: string): void {
    const tab = this.tabs.get(chatUid);
    if (tab) {
      // The refused text goes back in front of whatever was typed since.
      tab.message.value = tab.message.value ? `${text}\n${tab.message.value}` : text;
      this.checkLength(tab);
    }
    this.error(message);
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
    const unreadBadge = element('span', { class: 'unread', hidden: true });
    tab.append(unreadBadge);
    const message = element('textarea', {
      id: `${id}-message`,
      rows: '2',
      dir: 'auto',
      placeholder: CONSOLE_TEXT.replyPlaceholder,
    });
    const composer = element(
      'form',
      { class: 'composer' },
      element('label', { for: `${id}-message`, class: 'visually-hidden' }, `Reply to ${visitorName}`),
      message,
      ...(chat.summary.channel === 'whatsapp' ? [this.filePicker(chatUid, message)] : []),
      element('button', { class: 'primary', type: 'submit' }, CONSOLE_TEXT.send),
      element('span', { class: 'counter', id: `${id}-counter`, 'aria-live': 'polite' }),
    );
    message.setAttribute('aria-describedby', `${id}-counter`);
    const leave = element(
      'button',
      { class: 'secondary', type: 'button', title: CONSOLE_TEXT.leaveHint },
      CONSOLE_TEXT.leave,
    );
    const close = element(
      'button',
      { class: 'danger', type: 'button', title: CONSOLE_TEXT.closeHint },
      CONSOLE_TEXT.close,
    );
    const softClose = element(
      'button',
      { class: 'secondary', type: 'button', title: CONSOLE_TEXT.softCloseHint },
      CONSOLE_TEXT.softClose,
    );
    const block = element(
      'button',
      { class: 'danger', type: 'button', title: CONSOLE_TEXT.blockHint },
      CONSOLE_TEXT.block,
    );
    const dismiss = element(
      'button',
      { class: 'secondary', type: 'button', hidden: true },
      CONSOLE_TEXT.closeTab,
    );
    const unblock = element(
      'button',
      { class: 'secondary', type: 'button', hidden: true, title: CONSOLE_TEXT.liftBlockHint },
      CONSOLE_TEXT.liftBlock,
    );
    const serverUrl = this.settings.serverUrl ?? location.origin;
    const view = new TranscriptView(chat.transcript, 'operator', CONSOLE_TEXT.you, (text) =>
      consoleLineText(text, serverUrl),
    );
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
      message,
      unreadBadge,
      unread: 0,
    });
    tab.addEventListener('click', () => this.select(chatUid));
    leave.addEventListener('click', () => void this.client?.leave(chatUid));
    close.addEventListener('click', () => void this.client?.close(chatUid));
    softClose.addEventListener('click', () => void this.client?.close(chatUid, true));
    block.addEventListener('click', () => {
      const reason = window.prompt(CONSOLE_TEXT.blockPrompt(visitorName), '');
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
    message.addEventListener('input', () => {
      const shown = this.tabs.get(chatUid);
      if (shown) this.checkLength(shown);
      this.client?.keystroke(chatUid);
    });
    this.tabList.append(tab);
    this.panels.append(panel);
    this.emptyChats.hidden = true;
    view.render();
    this.checkLength(this.tabs.get(chatUid)!);
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
    this.endTab(
      chatUid,
      notice.code === 'VC' ? CONSOLE_TEXT.visitorEnded(tab.name) : CONSOLE_TEXT.chatClosed,
    );
  }

  chatMovedAway(chatUid: string, notice: ChatStateNotice): void {
    const tab = this.tabs.get(chatUid);
    if (!tab) return;
    tab.state.textContent = 'moved';
    this.endTab(chatUid, CONSOLE_TEXT.movedTo(notice.agentName));
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
    tab.typing.textContent = typing ? CONSOLE_TEXT.typing(tab.name) : '';
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
    this.updateBadge();
    const next = this.tabs.keys().next();
    if (next.done) this.emptyChats.hidden = false;
    else this.select(next.value);
  }

  connectionChanged(connected: boolean): void {
    this.connection.textContent = connected ? '' : CONSOLE_TEXT.reconnecting;
  }

  /** Shows the error at the top of the page, in view whatever is scrolled, until dismissed or replaced. */
  error(message: string): void {
    this.errorText.textContent = message;
    this.errorToast.hidden = false;
  }

  private clearError(): void {
    this.errorText.textContent = '';
    this.errorToast.hidden = true;
  }

  private announce(text: string): void {
    this.announcer.textContent = text;
  }

  private select(chatUid: string): void {
    for (const [uid, tab] of this.tabs) {
      const selected = uid === chatUid;
      tab.tab.setAttribute('aria-selected', String(selected));
      tab.panel.hidden = !selected;
    }
    const shown = this.tabs.get(chatUid);
    if (!shown) return;
    this.markRead(shown);
    shown.message.focus();
  }

  /** The tab's lines are in front of the agent: selected, in a visible page. */
  private isShown(tab: ChatTab): boolean {
    return !tab.panel.hidden && !document.hidden;
  }

  private markRead(tab: ChatTab): void {
    tab.unread = 0;
    this.showUnread(tab);
  }

  private showUnread(tab: ChatTab): void {
    tab.unreadBadge.hidden = tab.unread === 0;
    tab.unreadBadge.textContent = String(tab.unread);
    tab.unreadBadge.setAttribute('aria-label', CONSOLE_TEXT.unread(tab.unread));
    this.updateBadge();
  }

  /** The title counts the offers and the unread lines. */
  private updateBadge(): void {
    let unread = this.offerCount;
    for (const tab of this.tabs.values()) unread += tab.unread;
    this.attention.badge(unread);
  }

  /** The counter under the box and the send button follow the server's line limit. */
  private checkLength(tab: ChatTab): boolean {
    const limit = this.settings.lineMaxLength;
    const send = tab.composer.querySelector<HTMLButtonElement>('button[type="submit"]');
    const counter = tab.composer.querySelector('.counter');
    if (limit === null || !send || !counter) return true;
    const length = tab.message.value.trim().length;
    const fits = length <= limit;
    send.disabled = !fits;
    tab.message.setAttribute('aria-invalid', String(!fits));
    counter.classList.toggle('counter--over', !fits);
    counter.textContent = fits
      ? CONSOLE_TEXT.characters(length, limit)
      : `${CONSOLE_TEXT.characters(length, limit)} · ${CONSOLE_TEXT.tooLong(limit)}`;
    return fits;
  }

  /** Redraws the offers' countdowns and the waiting times. */
  private tick(): void {
    for (const countdown of this.waitingList.querySelectorAll<HTMLElement>('[data-expires-at]'))
      countdown.textContent = secondsLeft(countdown.dataset.expiresAt ?? '');
    for (const wait of this.waitingList.querySelectorAll<HTMLElement>('[data-since]'))
      wait.textContent = waitingFor(wait.dataset.since ?? '');
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
      this.clearError();
      void this.client?.attach(chatUid, file, caption);
    });
    return element(
      'label',
      { for: input.id, class: 'secondary attach', title: CONSOLE_TEXT.attachHint },
      CONSOLE_TEXT.attach,
      input,
    );
  }

  private sendFrom(chatUid: string, message: HTMLTextAreaElement): void {
    const text = message.value.trim();
    const tab = this.tabs.get(chatUid);
    if (!text || (tab && !this.checkLength(tab))) return;
    message.value = '';
    if (tab) this.checkLength(tab);
    this.clearError();
    void this.client?.send(chatUid, text);
  }

  private listen(): void {
    // Any click or key is a user gesture: the tones may play from then on.
    document.addEventListener('pointerdown', () => this.attention.unlock());
    document.addEventListener('keydown', () => this.attention.unlock());
    document.addEventListener('visibilitychange', () => {
      for (const tab of this.tabs.values()) if (this.isShown(tab)) this.markRead(tab);
    });
    this.errorToast.querySelector('.toast-dismiss')?.addEventListener('click', () => this.clearError());
    this.notifyButton.addEventListener('click', () => {
      void this.attention.ask().then(() => (this.notifyButton.hidden = !this.attention.canAsk()));
    });
    this.login.addEventListener('submit', (event) => {
      event.preventDefault();
      this.clearError();
      void this.client?.login(this.username.value.trim(), this.password.value);
      this.password.value = '';
    });
    this.status.addEventListener('change', () => {
      void this.client?.setStatus(Number(this.status.value) as AgentStatus);
    });
    this.workspace.querySelector('.logout')?.addEventListener('click', () => void this.client?.logout());
  }
}

function secondsLeft(expiresAt: string): string {
  return CONSOLE_TEXT.secondsLeft(Math.max(0, Math.ceil((Date.parse(expiresAt) - Date.now()) / 1000)));
}

function waitingFor(since: string): string {
  return CONSOLE_TEXT.waitingFor(elapsed(since));
}
