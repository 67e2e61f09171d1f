import { SOCKET_ERROR_CODES } from '@switchboard/protocol';

/** Why a log-in, a refresh or a token was refused; the socket error code of the same name says it to clients. */
export type IdentityErrorCode =
  | 'BAD_CREDENTIALS'
  | 'ACCOUNT_DISABLED'
  | 'UNAUTHENTICATED'
  | 'SESSION_ENDED'
  | 'DIRECTORY_UNAVAILABLE'
  | 'SSO_REQUIRED'
  | 'RATE_LIMITED';

/** The one exception type of the identity library; its message never holds a password or a token. */
export class IdentityException extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string = SOCKET_ERROR_CODES[code],
    /** RATE_LIMITED only: how long until a log-in may be tried again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'IdentityException';
  }
}
