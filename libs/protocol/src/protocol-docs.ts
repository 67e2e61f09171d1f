import { EVENT_CODES, type EventCode } from './event-codes';
import { SOCKET_ERROR_CODES, type SocketErrorCode } from './socket/socket-errors';

/** What a client should do when a request answers each error code (docs/protocol.md, "Error codes"). */
export const SOCKET_ERROR_ADVICE: Readonly<Record<SocketErrorCode, string>> = {
  INVALID_PAYLOAD:
    'A client bug: fix the request (the message names each field and its rule). Nothing was stored; do not resend it unchanged.',
  UNKNOWN_EVENT:
    'A client bug: check the event name and the namespace (`/visitor` or `/agent`). The connection stays open.',
  PAYLOAD_TOO_LARGE:
    'Send less: at most 64 KB of JSON per event. Nothing was stored; the connection stays open.',
  UNAUTHENTICATED:
    'Agent: call `agent:login` (or reconnect with a fresh token); forget a stored token that was refused.',
  BAD_CREDENTIALS: 'Ask the user for their username and password again; do not retry automatically.',
  ACCOUNT_DISABLED: 'Show the message; an administrator must enable the account. Do not retry.',
  FORBIDDEN:
    "Agent: hide the action for this operator's role; an administrator can change the role (or lift the block on GET/DELETE /api/blocks).",
  SESSION_ENDED:
    'Forget the stored tokens and show the log-in (keep a remembered username); the session cannot be refreshed.',
  DIRECTORY_UNAVAILABLE:
    'Show the message and let the user retry later; there is no fallback to a local password.',
  SSO_REQUIRED: 'Send the user to the SSO step (`/gui/sso/start?login=…`) instead of asking a password.',
  UNKNOWN_SITE: "The widget's `siteKey` is wrong: a configuration error. Show that chat is unavailable.",
  SITE_PAUSED:
    'Show the message (the site offline message when one is set) and offer to try later; do not retry in a loop.',
  UNKNOWN_SKILL: "The widget's `skill` is wrong: a configuration error. Start without it, or fix it.",
  CHAT_ALREADY_OPEN:
    'Visitor: rejoin the open chat with the token `chat:start` gave (`chat:rejoin`); a widget that lost it starts with a new `visitorId`.',
  UNKNOWN_CHAT:
    'Visitor: `chat:rejoin` on this connection first; if the rejoin itself answers this, forget the chat and token. Agent: refresh `queue:list` / `chats:mine`.',
  CHAT_CLOSED:
    'The chat has ended: stop sending and show it as ended. A visitor may `chat:start` a new chat.',
  NOT_YOUR_CHAT: 'Agent: the chat is (now) held by another agent; close its tab and refresh `chats:mine`.',
  ALREADY_TAKEN:
    'Agent: drop the chat from the waiting list (a `queue:removed` push follows) and pick another one.',
  NOT_ELIGIBLE:
    'Agent: set status 1 (Chat), or close a chat first: the message says which. Then pick up again.',
  UNKNOWN_AGENT: 'Agent: the transfer names no existing agent; refresh the agent list and choose again.',
  TRANSFER_FAILED:
    'Agent: keep the chat (it is still yours, nothing moved) and choose another target; the message says why this one refused.',
  LINE_TOO_LONG:
    'Shorten or split the line (the message gives the limit, `ACD.Chat.Line.MaxLength`). Nothing was stored.',
  BLOCKED: 'Show that chat is unavailable; do not retry.',
  RATE_LIMITED:
    'Wait the `retryAfterMs` the error carries, then resend the same request; nothing was stored or published. On `agent:login` / `agent:refresh`: show the message (it says when to try again) and do not retry automatically.',
  UNAVAILABLE:
    'Retry the same request after a short wait (start at 1 s, then double); `chat:send` with the same `clientMessageId` is stored once.',
  INTERNAL:
    'Retry once; if it fails again, report the time and the event name (the server logged the error).',
};

/** A Markdown table laid out as Prettier lays it out, so the generated document stays Prettier-clean. */
export function renderMarkdownTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const cells = [header, ...rows].map((row) => row.map((cell) => cell.replace(/\|/g, '\\|')));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  const [head, ...body] = cells;
  return [line(head), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

/** Every socket error code with its meaning and what the client should do. */
export function renderSocketErrorTable(): string {
  return renderMarkdownTable(
    ['code', 'meaning', 'what the client should do'],
    (Object.keys(SOCKET_ERROR_CODES) as SocketErrorCode[]).map((code) => [
      `\`${code}\``,
      SOCKET_ERROR_CODES[code],
      SOCKET_ERROR_ADVICE[code],
    ]),
  );
}

/** Every chat event code with the text stored with it (`%placeholders%` are filled in). */
export function renderEventCodeTable(): string {
  return renderMarkdownTable(
    ['code', 'stored text'],
    (Object.keys(EVENT_CODES) as EventCode[]).map((code) => [`\`${code}\``, EVENT_CODES[code]]),
  );
}

/** The generated parts of docs/protocol.md, by section name. */
export const PROTOCOL_DOC_SECTIONS: Readonly<Record<string, () => string>> = {
  'socket-errors': renderSocketErrorTable,
  'event-codes': renderEventCodeTable,
};

const SECTION = /(<!-- generated: ([a-z-]+) -->)[\s\S]*?(<!-- end generated: \2 -->)/g;

/**
 * Rewrites each generated section of docs/protocol.md (between `<!-- generated: NAME -->` and
 * `<!-- end generated: NAME -->`) from the code; the hand-written text around them is kept.
 */
export function renderProtocolDocSections(markdown: string): string {
  return markdown.replace(SECTION, (_match, start: string, name: string, end: string) => {
    const render = PROTOCOL_DOC_SECTIONS[name];
    if (!render) throw new Error(`docs/protocol.md has an unknown generated section "${name}"`);
    return `${start}\n\n${render()}\n\n${end}`;
  });
}
