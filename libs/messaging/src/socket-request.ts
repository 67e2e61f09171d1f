import { Logger } from '@nestjs/common';
import { PersistenceError, PersistenceErrorCode } from '@switchboard/persistence';
import { MAX_EVENT_BYTES, type Ack } from '@switchboard/protocol';
import type { z } from 'zod';
import { MessagingException } from './messaging.exception';

const logger = new Logger('SocketRequest');

/**
 * Runs one socket request: checks its size and its contract, calls the use case and maps the
 * outcome to the acknowledgement. Nothing is stored when the payload is refused; an unexpected
 * error answers INTERNAL (logged with the event name) and the connection keeps working.
 */
export async function answer<TSchema extends z.ZodTypeAny, TResult extends object>(
  event: string,
  schema: TSchema,
  payload: unknown,
  useCase: (request: z.output<TSchema>) => Promise<TResult>,
): Promise<Ack<TResult>> {
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
    return { ok: true, ...(await useCase(parsed.data)) };
  } catch (error) {
    if (error instanceof MessagingException) return { ok: false, error: error.toSocketError() };
    if (error instanceof PersistenceError && error.code === PersistenceErrorCode.InvalidValue) {
      return { ok: false, error: { code: 'INVALID_PAYLOAD', message: error.message } };
    }
    if (isUnavailable(error)) {
      logger.warn(`${event} refused, a dependency is down: ${String(error)}`);
      return {
        ok: false,
        error: { code: 'UNAVAILABLE', message: 'The database or the cluster is unreachable; retry shortly.' },
      };
    }
    logger.error(
      `${event} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      ok: false,
      error: { code: 'INTERNAL', message: `Unexpected error in ${event}; it was logged.` },
    };
  }
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
