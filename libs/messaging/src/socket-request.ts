import { Logger } from '@nestjs/common';
import { IdentityException } from '@switchboard/identity';
import { withChatLog } from '@switchboard/platform';
import { PersistenceError, PersistenceErrorCode } from '@switchboard/persistence';
import { MAX_EVENT_BYTES, withWellFormedText, type Ack, type SocketError } from '@switchboard/protocol';
import type { z } from 'zod';
import { MessagingException } from './messaging.exception';

const logger = new Logger('SocketRequest');

/** A namespace's request contracts by event name (`VISITOR_REQUESTS`, `AGENT_REQUESTS`). */
export type RequestSchemas = Readonly<Record<string, z.ZodTypeAny>>;

/**
 * A namespace's use cases, one per request: each gets the connection and the validated request and
 * resolves to the result the protocol promises for that event. A table missing a request, or whose
 * handler reads a field the request lacks or answers another shape, does not compile.
 */
export type RequestHandlers<
  TSchemas extends RequestSchemas,
  TResults extends Record<keyof TSchemas, object>,
  TSocket,
> = {
  readonly [TEvent in keyof TSchemas]: (
    socket: TSocket,
    request: z.output<TSchemas[TEvent]>,
  ) => Promise<TResults[TEvent]>;
};

const FOLLOW_UP = Symbol('followUp');

/** A result with work to do once its acknowledgement is on the wire. */
type FollowedUp = { readonly [FOLLOW_UP]?: () => Promise<void> };

/**
 * Marks `result` so that `followUp` runs right after the acknowledgement was sent: pushes it makes
 * reach the client after the answer (e.g. a new chat's state, after the `chat:start` answer).
 */
export function thenAfterAnswer<TResult extends object>(
  result: TResult,
  followUp: () => Promise<void>,
): TResult {
  return Object.assign(result, { [FOLLOW_UP]: followUp });
}

/** What serving requests needs of a (typed) socket.io socket. */
export interface RequestSocket {
  onAny(listener: (event: string, ...args: unknown[]) => void): unknown;
  emit(event: 'request:error', error: SocketError): boolean;
}

/**
 * Serves a namespace's requests on one connection: each event of the table is checked against its
 * contract, handled and acknowledged; any other event is refused with UNKNOWN_EVENT (in its
 * acknowledgement, or as `request:error` when it has none), so a client bug shows instead of hanging.
 */
export function serveRequests<TSchemas extends RequestSchemas, TSocket extends RequestSocket>(
  socket: TSocket,
  schemas: TSchemas,
  handlers: RequestHandlers<TSchemas, Record<keyof TSchemas, object>, TSocket>,
): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    const ack =
      typeof args[args.length - 1] === 'function' ? (args.pop() as (answer: unknown) => void) : null;
    if (!Object.prototype.hasOwnProperty.call(schemas, event)) {
      const error: SocketError = {
        code: 'UNKNOWN_EVENT',
        message: `Unknown event "${event}": see docs/protocol.md.`,
      };
      if (ack) ack({ ok: false, error });
      else socket.emit('request:error', error);
      return;
    }
    const name = event as keyof TSchemas & string;
    const run = () => answer(name, schemas[name], args[0], (request) => handlers[name](socket, request));
    // A request about a chat logs with its chat uid.
    const chatUid = chatUidOf(args[0]);
    void (chatUid === undefined ? run() : withChatLog(chatUid, run)).then(({ outcome, followUp }) => {
      ack?.(outcome);
      followUp?.().catch((error: unknown) => logger.warn(`${event}: after the answer: ${String(error)}`));
    });
  });
}

/**
 * Runs one socket request: checks its size and its contract, calls the use case (lone surrogates in
 * its strings replaced with U+FFFD) and maps the outcome to the acknowledgement. Nothing is stored
 * when the payload is refused; an unexpected error answers INTERNAL (logged with the event name) and
 * the connection keeps working.
 */
async function answer<TSchema extends z.ZodTypeAny, TResult extends object>(
  event: string,
  schema: TSchema,
  payload: unknown,
  useCase: (request: z.output<TSchema>) => Promise<TResult>,
): Promise<{ outcome: Ack<TResult>; followUp?: () => Promise<void> }> {
  try {
    const size = payload === undefined ? 0 : Buffer.byteLength(JSON.stringify(payload));
    if (size > MAX_EVENT_BYTES) {
      throw new MessagingException(
        'PAYLOAD_TOO_LARGE',
        `${event}: ${size} bytes; the limit is ${MAX_EVENT_BYTES}.`,
      );
    }
    const parsed = schema.safeParse(payload ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`,
      );
      throw new MessagingException('INVALID_PAYLOAD', `${event}: ${problems.join('; ')}`);
    }
    // note: a lone surrogate becomes U+FFFD here, at the edge, so no text reaches the database as invalid UTF-8.
    const { [FOLLOW_UP]: followUp, ...result }: TResult & FollowedUp = await useCase(
      withWellFormedText(parsed.data),
    );
    return { outcome: { ok: true, ...result } as Ack<TResult>, followUp };
  } catch (error) {
    return { outcome: { ok: false, error: refusal(event, error) } };
  }
}

/** The socket error an exception of a use case answers. */
function refusal(event: string, error: unknown): SocketError {
  if (error instanceof MessagingException) return error.toSocketError();
  if (error instanceof IdentityException) {
    const { code, message, retryAfterMs } = error;
    return retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
  }
  if (error instanceof PersistenceError && error.code === PersistenceErrorCode.InvalidValue)
    return { code: 'INVALID_PAYLOAD', message: error.message };
  if (isUnavailable(error)) {
    logger.warn(`${event} refused, a dependency is down: ${String(error)}`);
    return { code: 'UNAVAILABLE', message: 'The database or the cluster is unreachable; retry shortly.' };
  }
  logger.error(`${event} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { code: 'INTERNAL', message: `Unexpected error in ${event}; it was logged.` };
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
]);

function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || name === 'ClientOfflineError';
}

function chatUidOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('chatUid' in payload)) return undefined;
  return typeof payload.chatUid === 'string' ? payload.chatUid : undefined;
}
