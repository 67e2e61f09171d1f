import { SOCKET_ERROR_CODES, type SocketError, type SocketErrorCode } from '@switchboard/protocol';

/** A refusal of a chat use case, mapped once, at the gateway, to `{ ok: false, error }`. */
export class MessagingException extends Error {
  constructor(
    readonly code: SocketErrorCode,
    message: string = SOCKET_ERROR_CODES[code],
  ) {
    super(message);
    this.name = 'MessagingException';
  }

  toSocketError(): SocketError {
    return { code: this.code, message: this.message };
  }
}
