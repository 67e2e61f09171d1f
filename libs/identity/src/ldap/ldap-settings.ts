import type { ParameterService } from '@switchboard/config';
import { parseGroupRoles, type GroupRoles } from './ldap-roles';

/** The ACD.Chat.Ldap.* parameters as one log-in uses them (read afresh at each log-in: changes apply at once). */
export interface LdapSettings {
  readonly enabled: boolean;
  /** ACD.Chat.Ldap.Url, or ldap://<domain> when it is empty; empty when neither is set. */
  readonly url: string;
  readonly domain: string;
  readonly startTls: boolean;
  readonly caFile: string;
  readonly rejectUnauthorized: boolean;
  readonly userBind: string;
  readonly searchBase: string;
  readonly userFilter: string;
  readonly bindDn: string;
  /** A secret: never log it, never put it in an error. */
  readonly bindPassword: string;
  readonly groupRoles: GroupRoles;
  readonly timeoutMs: number;
}

export function readLdapSettings(parameters: ParameterService): LdapSettings {
  const domain = parameters.get('ACD.Chat.Ldap.Domain').trim();
  const url = parameters.get('ACD.Chat.Ldap.Url').trim();
  return {
    enabled: parameters.get('ACD.Chat.Ldap.Enabled'),
    url: url !== '' ? url : domain !== '' ? `ldap://${domain}` : '',
    domain,
    startTls: parameters.get('ACD.Chat.Ldap.StartTls'),
    caFile: parameters.get('ACD.Chat.Ldap.Tls.CaFile'),
    rejectUnauthorized: parameters.get('ACD.Chat.Ldap.Tls.RejectUnauthorized'),
    userBind: parameters.get('ACD.Chat.Ldap.UserBind'),
    searchBase: parameters.get('ACD.Chat.Ldap.SearchBase').trim(),
    userFilter: parameters.get('ACD.Chat.Ldap.UserFilter'),
    bindDn: parameters.get('ACD.Chat.Ldap.BindDn').trim(),
    bindPassword: parameters.get('ACD.Chat.Ldap.BindPassword'),
    groupRoles: parseGroupRoles(parameters.get('ACD.Chat.Ldap.GroupRoles')),
    timeoutMs: parameters.get('ACD.Chat.Ldap.Timeout.Milliseconds'),
  };
}

/** What stops LDAP log-ins with these settings, said to an administrator; null when they can work. */
export function ldapSettingsProblem(settings: LdapSettings): string | null {
  if (!settings.enabled)
    return 'LDAP log-ins are not enabled on this server: an administrator must enable "Enable LDAP for User Logins" (ACD.Chat.Ldap.Enabled).';
  if (settings.url === '')
    return 'LDAP is enabled but neither ACD.Chat.Ldap.Url nor ACD.Chat.Ldap.Domain is set.';
  if (settings.userBind.includes('{domain}') && settings.domain === '')
    return 'ACD.Chat.Ldap.UserBind uses {domain} but ACD.Chat.Ldap.Domain is empty.';
  return null;
}
