/** Why a single sign-on did not happen; the callback page and the audit trail say it. */
export type SsoErrorCode =
  | 'SSO_UNAVAILABLE'
  | 'SSO_LOGIN_EXPIRED'
  | 'SSO_REFUSED'
  | 'SSO_TOKEN_INVALID'
  | 'SSO_UNKNOWN_USER'
  | 'SSO_NOT_SSO_USER';

const defaults: Readonly<Record<SsoErrorCode, string>> = {
  SSO_UNAVAILABLE:
    'The sign-in provider cannot be reached or is misconfigured: try again later or ask an administrator.',
  SSO_LOGIN_EXPIRED: 'This sign-in is unknown, already used or expired: start again from the log-in page.',
  SSO_REFUSED: 'The sign-in provider did not sign you in.',
  SSO_TOKEN_INVALID:
    'The sign-in provider answered an identity this server cannot trust: ask an administrator.',
  SSO_UNKNOWN_USER:
    'You signed in, but no Switchboard user has your username or email: ask an administrator to create one.',
  SSO_NOT_SSO_USER:
    'Your Switchboard user does not log in through this sign-in provider: ask an administrator.',
};

/** The single sign-on's exception; its message never holds a code, a token or a secret. */
export class SsoException extends Error {
  constructor(
    readonly code: SsoErrorCode,
    message: string = defaults[code],
  ) {
    super(message);
    this.name = 'SsoException';
  }
}
