import { OPERATOR_ROLES, type OperatorRole } from '@switchboard/persistence';
import type { StoredOidcSettings } from './oidc-settings';

/**
 * The highest role GROUPROLES gives the groups in the ID token's GROUPCLAIM (default `groups`);
 * undefined when no mapping is configured or none of the user's groups is mapped.
 */
export function roleFromGroups(
  properties: StoredOidcSettings['Properties'],
  claims: Readonly<Record<string, unknown>>,
): OperatorRole | undefined {
  const mapping = properties.GROUPROLES;
  const groups = claims[properties.GROUPCLAIM ?? 'groups'];
  if (mapping === undefined || !Array.isArray(groups)) return undefined;
  const roles = new Set(groups.map((group) => (typeof group === 'string' ? mapping[group] : undefined)));
  // OPERATOR_ROLES runs from the least to the most allowed.
  return [...OPERATOR_ROLES].reverse().find((role) => roles.has(role));
}
