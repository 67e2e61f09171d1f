import type { TranscriptSnapshot } from '../shared/chat-transcript';
import { randomId } from '../shared/random-id';

/** The open chat this browser rejoins after a reload or a reconnect. */
export interface StoredChat {
  readonly chatUid: string;
  /** The token chat:start answered with: it proves this browser started the chat. */
  readonly token: string;
  /** The last sequence this browser has shown. */
  readonly lastSequence: number;
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * What the widget keeps in the browser: a stable visitor id and the open chat per site
 * (localStorage, shared by the site's tabs), and this tab's copy of the transcript
 * (sessionStorage, so a reload shows the chat at once and asks only for what is newer).
 * Storage that is blocked (private modes, third-party rules) degrades to memory.
 */
export class WidgetStore {
  constructor(
    private readonly siteKey: string,
    private readonly local: KeyValueStorage = usableStorage(() => localStorage),
    private readonly session: KeyValueStorage = usableStorage(() => sessionStorage),
  ) {}

  visitorId(): string {
    const key = 'switchboard.visitorId';
    const known = this.local.getItem(key);
    if (known && /^[A-Za-z0-9_-]{8,64}$/.test(known)) return known;
    const created = randomId();
    this.local.setItem(key, created);
    return created;
  }

  chat(): StoredChat | undefined {
    const stored = readJson<StoredChat>(this.local, this.chatKey());
    const valid =
      typeof stored?.chatUid === 'string' &&
      typeof stored.token === 'string' &&
      typeof stored.lastSequence === 'number';
    return valid ? (stored as StoredChat) : undefined;
  }

  saveChat(chat: StoredChat): void {
    this.local.setItem(this.chatKey(), JSON.stringify(chat));
  }

  /** Forgets the chat and its transcript (closed, or no longer known to the server). */
  forgetChat(): void {
    const chat = this.chat();
    this.local.removeItem(this.chatKey());
    if (chat) this.session.removeItem(this.transcriptKey(chat.chatUid));
  }

  transcript(chatUid: string): TranscriptSnapshot | undefined {
    const snapshot = readJson<TranscriptSnapshot>(this.session, this.transcriptKey(chatUid));
    return Array.isArray(snapshot?.lines) && Array.isArray(snapshot.pending)
      ? (snapshot as TranscriptSnapshot)
      : undefined;
  }

  saveTranscript(chatUid: string, snapshot: TranscriptSnapshot): void {
    this.session.setItem(this.transcriptKey(chatUid), JSON.stringify(snapshot));
  }

  private chatKey(): string {
    return `switchboard.chat.${this.siteKey}`;
  }

  private transcriptKey(chatUid: string): string {
    return `switchboard.transcript.${chatUid}`;
  }
}

function readJson<TValue>(storage: KeyValueStorage, key: string): Partial<TValue> | undefined {
  try {
    const raw = storage.getItem(key);
    return raw === null ? undefined : (JSON.parse(raw) as Partial<TValue>);
  } catch {
    return undefined;
  }
}

/** The storage, or an in-memory stand-in when the browser refuses it. */
export function usableStorage(open: () => Storage): KeyValueStorage {
  try {
    const storage = open();
    storage.setItem('switchboard.probe', '1');
    storage.removeItem('switchboard.probe');
    return storage;
  } catch {
    const memory = new Map<string, string>();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
      removeItem: (key) => void memory.delete(key),
    };
  }
}
