import { Injectable } from '@nestjs/common';
import {
  hashPassword,
  OperatorRepository,
  verifyPassword,
  type OperatorRecord,
} from '@switchboard/persistence';
import { IdentityException } from '../identity.exception';

/** Checks an LDAP user's password against their directory (LDAP/AD). */
export abstract class DirectoryPasswordCheck {
  /**
   * The operator (as the directory's groups may have updated them) when the directory accepts
   * `password`, else null; throws DIRECTORY_UNAVAILABLE when it cannot tell.
   */
  abstract verify(operator: OperatorRecord, password: string): Promise<OperatorRecord | null>;
}

/** Who a username and password belong to, whatever directory checks them. */
@Injectable()
export class PasswordCheck {
  // A hash to check unknown usernames against, so they take as long as known ones.
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly operators: OperatorRepository,
    private readonly directory: DirectoryPasswordCheck,
  ) {}

  /**
   * The operator the login (username, or email) names when the password is theirs. Refuses with
   * BAD_CREDENTIALS (unknown user or wrong password, the same answer for both), SSO_REQUIRED (an
   * OIDC user) or DIRECTORY_UNAVAILABLE (LDAP unreachable; no fallback to a local password).
   */
  async check(login: string, password: string): Promise<OperatorRecord> {
    const operator = await this.operators.findByLogin(login);
    if (operator === null) {
      this.decoy ??= hashPassword('decoy password for unknown usernames');
      await verifyPassword(password, await this.decoy);
      throw new IdentityException('BAD_CREDENTIALS');
    }
    switch (operator.authSource) {
      case 'oidc':
        throw new IdentityException('SSO_REQUIRED');
      case 'ldap': {
        const verified = await this.directory.verify(operator, password);
        if (verified !== null) return verified;
        throw new IdentityException('BAD_CREDENTIALS');
      }
      case 'local':
        if (await this.operators.verifyCredentials(operator.username, password)) return operator;
        throw new IdentityException('BAD_CREDENTIALS');
    }
  }
}
