/**
 * Every error a socket.io request can answer with. The `message` says what to do; the code is for
 * programs. Documented in docs/protocol.md.
 */
export const SOCKET_ERROR_CODES = {
  INVALID_PAYLOAD: 'The payload does not match the event contract; the message names the fields.',
  UNKNOWN_EVENT: 'The namespace has no such event.',
  PAYLOAD_TOO_LARGE: 'The payload is larger than the server accepts.',
  UNAUTHENTICATED: 'Log in first (agent:login), or pass a valid token when connecting.',
  BAD_CREDENTIALS: 'Unknown username or wrong password.',
  ACCOUNT_DISABLED: 'The account is disabled: ask an administrator to enable it.',
  FORBIDDEN:
    "The signed-in operator's role does not allow this request (e.g. chat:unblock needs supervisor or administrator).",
  SESSION_ENDED: 'The session was logged out, revoked or has expired: log in again.',
  DIRECTORY_UNAVAILABLE:
    'The LDAP/AD directory that checks this user cannot be reached: retry later or tell an administrator.',
  SSO_REQUIRED:
    'This user signs in through their organisation (OpenID Connect): use the SSO step, not a password.',
  UNKNOWN_SITE: 'No site has this site key.',
  SITE_PAUSED: 'The site takes no new chats right now.',
  UNKNOWN_SKILL: 'No skill has this name.',
  CHAT_ALREADY_OPEN:
    'This visitor already has an open chat on this site: rejoin it with its token (chat:rejoin).',
  UNKNOWN_CHAT: 'No chat with this chat UID is visible to this connection.',
  CHAT_CLOSED: 'The chat is closed.',
  NOT_YOUR_CHAT: 'The chat is assigned to another agent.',
  ALREADY_TAKEN: 'Another agent picked the chat up first (OPF).',
  NOT_ELIGIBLE: 'The agent cannot take chats now (status not Chat, or at max concurrent chats).',
  UNKNOWN_AGENT: 'No agent has this username.',
  TRANSFER_FAILED:
    'The transfer target cannot take the chat now (offline, at max chats, nobody with the skill, site closed); TFEF is stored.',
  LINE_TOO_LONG: 'The line is longer than ACD.Chat.Line.MaxLength.',
  BLOCKED: 'This visitor is blocked on this site.',
  RATE_LIMITED:
    'Too many events in a short time, or too many failed log-ins for this username or address; slow down.',
  UNAVAILABLE: 'A dependency (database or cluster) is down; retry shortly.',
  INTERNAL: 'Unexpected server error; it is logged with the request id.',
} as const;

export type SocketErrorCode = keyof typeof SOCKET_ERROR_CODES;

export interface SocketError {
  readonly code: SocketErrorCode;
  readonly message: string;
  /** RATE_LIMITED only: how long to wait before the request can succeed. */
  readonly retryAfterMs?: number;
}

/** Every acknowledgement: `{ ok: true, ...result }` or `{ ok: false, error }`. */
export type Ack<TResult> =
  ({ readonly ok: true } & TResult) | { readonly ok: false; readonly error: SocketError };
