import { SOCKET_ERROR_CODES, type SocketError, type SocketErrorCode } from '@switchboard/protocol';

/** A refusal of a chat use case, mapped once, at the gateway, to `{ ok: false, error }`. */
export class MessagingException extends Error {
  constructor(
    readonly code: SocketErrorCode,
    message: string = SOCKET_ERROR_CODES[code],
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'MessagingException';
  }

  toSocketError(): SocketError {
    const error = { code: this.code, message: this.message };
    return this.retryAfterMs === undefined ? error : { ...error, retryAfterMs: this.retryAfterMs };
  }
}
