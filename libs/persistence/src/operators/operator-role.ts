/** What an operator may do: take chats (agent), also watch other agents (supervisor), also manage (administrator). */
export const OPERATOR_ROLES = ['agent', 'supervisor', 'administrator'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Whether `role` may do what `needed` may (the roles are ordered: each may what the ones before it may). */
export function hasRole(role: OperatorRole, needed: OperatorRole): boolean {
  return OPERATOR_ROLES.indexOf(role) >= OPERATOR_ROLES.indexOf(needed);
}

/**
 * Where an operator's password is checked: the local scrypt hash, the LDAP/AD directory (a bind as
 * the user) or an OpenID Connect provider (no password here at all).
 */
export const AUTH_SOURCES = ['local', 'ldap', 'oidc'] as const;
export type AuthSource = (typeof AUTH_SOURCES)[number];

export function isOperatorRole(value: string): value is OperatorRole {
  return (OPERATOR_ROLES as readonly string[]).includes(value);
}

export function isAuthSource(value: string): value is AuthSource {
  return (AUTH_SOURCES as readonly string[]).includes(value);
}
