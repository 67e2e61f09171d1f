/**
 * Usernames and the filters and DNs built from them. A username is checked strictly before it reaches
 * the directory, and every value placed in a filter or a DN is escaped as well (RFC 4515, RFC 4514):
 * neither alone is trusted to stop an injection.
 */

/** What a directory username may be: sAMAccountName / uid characters, no space, no LDAP metacharacter. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** `user`, `user@dns.domain` or `NETBIOS\\user`, nothing else. */
const FORMS = /^(?:([A-Za-z0-9][A-Za-z0-9-]{0,14})\\)?([^@\\]*)(?:@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*))?$/;

/**
 * The directory username of a Switchboard username, as the seed says ("the user's LDAP/AD username
 * without any email address components"): `user@domain` → `user`, `DOMAIN\user` → `user`. Null when
 * it has any other shape, or what is left is not a plain directory username (it would need escaping).
 */
export function directoryUsername(username: string): string | null {
  const match = FORMS.exec(username);
  if (match === null || (match[1] !== undefined && match[3] !== undefined)) return null;
  return USERNAME.test(match[2]) ? match[2] : null;
}

/** RFC 4515 §3: a value inside a search filter, with `*`, `(`, `)`, `\` and NUL as `\xx`. */
export function escapeFilterValue(value: string): string {
  return value.replace(
    /[*()\\\0]/g,
    (character) => `\\${character.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * RFC 4514 §2.4: an attribute value inside a DN, with `" + , ; < > \ =` escaped, a leading space or `#`
 * and a trailing space escaped, and NUL as `\00`.
 */
export function escapeDnValue(value: string): string {
  return value
    .replace(/["+,;<>\\=]/g, (character) => `\\${character}`)
    .replace(/\0/g, '\\00')
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ');
}

/** Fills `{username}` and `{domain}` of a template; `escape` is applied to the username only. */
export function fillTemplate(
  template: string,
  values: { username: string; domain: string },
  escape: (value: string) => string,
): string {
  return template.replace(/\{(username|domain)\}/g, (_, key: 'username' | 'domain') =>
    key === 'username' ? escape(values.username) : values.domain,
  );
}

/**
 * Whom a user binds as, from ACD.Chat.Ldap.UserBind: a DN template (it holds `=`) gets the username
 * DN-escaped; `{username}@{domain}` and `DOMAIN\{username}` take it as it is (already checked plain).
 */
export function bindName(template: string, username: string, domain: string): string {
  const isDn = template.includes('=');
  return fillTemplate(template, { username, domain }, isDn ? escapeDnValue : (value) => value);
}

/** A DN compared as directories compare it: case and the spaces around separators ignored. */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((part) => part.trim().replace(/\s*=\s*/, '='))
    .join(',')
    .toLowerCase();
}

/** The value of a DN's first RDN when it is a CN (`cn=Chat Admins,ou=...` → `chat admins`), lower case. */
export function commonNameOf(dn: string): string | null {
  const first = /^\s*cn\s*=\s*((?:\\.|[^,])*)/i.exec(dn);
  return first ? first[1].replace(/\\(.)/g, '$1').trim().toLowerCase() : null;
}
