import { Injectable, Logger } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { AdminAuditRepository, OperatorRepository, type OperatorRecord } from '@switchboard/persistence';
import { DirectoryPasswordCheck } from '../credentials/password-check';
import { IdentityException } from '../identity.exception';
import { DirectoryProblem, LdapDirectory } from './ldap-directory';
import { bindName, directoryUsername } from './ldap-names';
import { hasGroupRoles, roleForGroups } from './ldap-roles';
import { ldapSettingsProblem, readLdapSettings } from './ldap-settings';

/**
 * LDAP/AD log-ins: a bind as the user with their password, then (with ACD.Chat.Ldap.GroupRoles) their
 * groups give their role. A directory that cannot answer refuses the log-in (DIRECTORY_UNAVAILABLE):
 * an LDAP user never falls back to a password stored here.
 */
@Injectable()
export class LdapPasswordCheck extends DirectoryPasswordCheck {
  private readonly logger = new Logger('Ldap');

  constructor(
    private readonly parameters: ParameterService,
    private readonly directory: LdapDirectory,
    private readonly operators: OperatorRepository,
    private readonly audit: AdminAuditRepository,
  ) {
    super();
  }

  async verify(operator: OperatorRecord, password: string): Promise<OperatorRecord | null> {
    const settings = readLdapSettings(this.parameters);
    const problem = ldapSettingsProblem(settings);
    if (problem !== null) {
      this.logger.warn(`log-in of ${JSON.stringify(operator.username)} refused: ${problem}`);
      throw new IdentityException('DIRECTORY_UNAVAILABLE', problem);
    }
    const username = directoryUsername(operator.username);
    // An empty password would be an unauthenticated bind (RFC 4513 §5.1.2), which directories accept.
    if (username === null || password === '') return null;
    const lookUpGroups = settings.searchBase !== '' && hasGroupRoles(settings.groupRoles);
    let answer;
    try {
      answer = await this.directory.login(
        settings,
        { username, bindName: bindName(settings.userBind, username, settings.domain) },
        password,
        lookUpGroups,
      );
    } catch (error) {
      if (!(error instanceof DirectoryProblem)) throw error;
      this.logger.warn(
        `log-in of ${JSON.stringify(operator.username)}: the directory did not answer: ${error.message}`,
      );
      throw new IdentityException('DIRECTORY_UNAVAILABLE');
    }
    if (!answer.accepted) return null;
    if (answer.groups === null) return operator;
    const role = roleForGroups(settings.groupRoles, answer.groups);
    if (role === operator.role) return operator;
    const updated = await this.operators.update(operator.id, { role });
    await this.audit.record({
      actor: 'ldap',
      remoteAddress: '',
      action: 'user.role.directory',
      targetKind: 'user',
      targetKey: operator.username,
      oldValue: { role: operator.role },
      newValue: { role, groups: answer.groups },
    });
    this.logger.log(`${JSON.stringify(operator.username)} is now ${role} (directory groups)`);
    return updated ?? operator;
  }
}
