/** The tokens of the console's session (secrets: kept in the browser's storage, never shown). */
export interface StoredSession {
  readonly token: string;
  readonly refreshToken: string;
}

/** Where the console keeps its session between page loads. */
export interface SessionStore {
  get(): StoredSession | null;
  /** Keeps a new pair; `remember` chooses where (kept where it was when not given). */
  set(session: StoredSession, remember?: boolean): void;
  clear(): void;
}

const KEY = 'switchboard.agentSession';

/**
 * sessionStorage (this tab, until it closes) by default; localStorage with "Remember me", so the
 * session survives a browser restart until an explicit log-out.
 */
export function browserSessionStore(): SessionStore {
  const read = (storage: Storage): StoredSession | null => {
    try {
      const parsed = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<StoredSession> | null;
      return typeof parsed?.token === 'string' && typeof parsed.refreshToken === 'string'
        ? { token: parsed.token, refreshToken: parsed.refreshToken }
        : null;
    } catch {
      return null;
    }
  };
  return {
    get: () => read(sessionStorage) ?? read(localStorage),
    set(session, remember) {
      const remembered = remember ?? read(localStorage) !== null;
      (remembered ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(session));
      (remembered ? sessionStorage : localStorage).removeItem(KEY);
    },
    clear() {
      sessionStorage.removeItem(KEY);
      localStorage.removeItem(KEY);
    },
  };
}
