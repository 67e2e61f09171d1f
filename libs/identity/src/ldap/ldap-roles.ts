import { OPERATOR_ROLES, type OperatorRole } from '@switchboard/persistence';
import { commonNameOf, normalizeDn } from './ldap-names';

/** ACD.Chat.Ldap.GroupRoles parsed: which group (by normalised DN or lower-case CN) gives which role. */
export interface GroupRoles {
  readonly byDn: ReadonlyMap<string, OperatorRole>;
  readonly byCommonName: ReadonlyMap<string, OperatorRole>;
}

/** Parses the JSON of ACD.Chat.Ldap.GroupRoles (validated when it was set): a key with `=` is a DN, else a CN. */
export function parseGroupRoles(json: string): GroupRoles {
  const byDn = new Map<string, OperatorRole>();
  const byCommonName = new Map<string, OperatorRole>();
  for (const [group, role] of Object.entries(JSON.parse(json) as Record<string, OperatorRole>)) {
    if (group.includes('=')) byDn.set(normalizeDn(group), role);
    else byCommonName.set(group.trim().toLowerCase(), role);
  }
  return { byDn, byCommonName };
}

export function hasGroupRoles(mapping: GroupRoles): boolean {
  return mapping.byDn.size + mapping.byCommonName.size > 0;
}

/** The highest role any of the user's groups (DNs) gives; `agent` when none of them is mapped. */
export function roleForGroups(mapping: GroupRoles, groupDns: readonly string[]): OperatorRole {
  let best: OperatorRole = 'agent';
  for (const dn of groupDns) {
    const commonName = commonNameOf(dn);
    const role =
      mapping.byDn.get(normalizeDn(dn)) ??
      (commonName === null ? undefined : mapping.byCommonName.get(commonName));
    if (role !== undefined && OPERATOR_ROLES.indexOf(role) > OPERATOR_ROLES.indexOf(best)) best = role;
  }
  return best;
}
