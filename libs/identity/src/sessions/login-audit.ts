import { Injectable, Logger } from '@nestjs/common';
import { AdminAuditRepository } from '@switchboard/persistence';

/** Where a log-in came from: the client's address as the server saw it. */
export interface ClientOrigin {
  readonly remoteAddress: string;
}

/** What happened to a session, as the audit trail names it (`action` in admin_audit, target kind `session`). */
export type SessionAction = 'login' | 'login.failed' | 'logout' | 'refresh.failed' | 'session.revoked';

/**
 * Writes every log-in, failure, log-out and revocation to the audit trail (GET /api/audit?kind=session)
 * and the log. The details say why, never with the password or a token.
 */
@Injectable()
export class LoginAudit {
  private readonly logger = new Logger('Sessions');

  constructor(private readonly audit: AdminAuditRepository) {}

  async record(
    action: SessionAction,
    username: string,
    origin: ClientOrigin,
    details: Readonly<Record<string, string | boolean>>,
  ): Promise<void> {
    const said = Object.entries(details)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ');
    const line = `${action} ${JSON.stringify(username)} from ${origin.remoteAddress} ${said}`;
    if (action === 'login.failed' || action === 'refresh.failed') this.logger.warn(line);
    else this.logger.log(line);
    await this.audit.record({
      actor: username.slice(0, 100) || '(none)',
      remoteAddress: origin.remoteAddress.slice(0, 45),
      action,
      targetKind: 'session',
      targetKey: username.slice(0, 191) || '(none)',
      newValue: details,
    });
  }
}
