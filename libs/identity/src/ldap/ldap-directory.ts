import { Injectable } from '@nestjs/common';
import { Client, InvalidCredentialsError } from 'ldapts';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { escapeFilterValue, fillTemplate } from './ldap-names';
import type { LdapSettings } from './ldap-settings';

/** The directory could not say yes or no (down, slow, TLS, the bind account, a search); the message is for the log. */
export class DirectoryProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DirectoryProblem';
  }
}

/** What the directory said of a user's password, and their groups' DNs when they were looked up. */
export type DirectoryAnswer =
  { readonly accepted: false } | { readonly accepted: true; readonly groups: readonly string[] | null };

/** A user as the directory knows them: the plain username and the name they bind as. */
export interface DirectoryUser {
  readonly username: string;
  readonly bindName: string;
}

/**
 * The LDAP/AD directory (ldapts): one connection per log-in, a bind as the user, then, for the group
 * mapping, a search as the bind account. The only class here that speaks LDAP.
 */
@Injectable()
export class LdapDirectory {
  /** Binds as the user with their password; throws DirectoryProblem when the directory cannot tell. */
  async login(
    settings: LdapSettings,
    user: DirectoryUser,
    password: string,
    lookUpGroups: boolean,
  ): Promise<DirectoryAnswer> {
    const tls = tlsOptions(settings);
    const secure = settings.url.toLowerCase().startsWith('ldaps:');
    const client = new Client({
      url: settings.url,
      timeout: settings.timeoutMs,
      connectTimeout: settings.timeoutMs,
      // note: ldapts speaks TLS from the first byte whenever tlsOptions is given: only for ldaps://.
      tlsOptions: secure ? tls : undefined,
    });
    try {
      if (settings.startTls && !secure) await client.startTLS(tls);
      try {
        await client.bind(user.bindName, password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) return { accepted: false };
        throw error;
      }
      return { accepted: true, groups: lookUpGroups ? await groupsOf(client, settings, user) : null };
    } catch (error) {
      if (error instanceof DirectoryProblem) throw error;
      throw new DirectoryProblem(`${settings.url}: ${describe(error)}`);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

/** The DNs of the user's groups: their memberOf (AD) and the groups that list them (member, uniqueMember, memberUid). */
async function groupsOf(client: Client, settings: LdapSettings, user: DirectoryUser): Promise<string[]> {
  if (settings.bindDn !== '') {
    try {
      await client.bind(settings.bindDn, settings.bindPassword);
    } catch (error) {
      throw new DirectoryProblem(
        `the bind account ${settings.bindDn} (ACD.Chat.Ldap.BindDn) was refused: ${describe(error)}`,
      );
    }
  }
  const filter = fillTemplate(
    settings.userFilter,
    { username: user.username, domain: settings.domain },
    escapeFilterValue,
  );
  const { searchEntries: entries } = await client.search(settings.searchBase, {
    scope: 'sub',
    filter,
    attributes: ['memberOf'],
  });
  if (entries.length !== 1)
    throw new DirectoryProblem(
      `ACD.Chat.Ldap.UserFilter found ${entries.length} entries for "${user.username}" under ${settings.searchBase} (one expected)`,
    );
  const [entry] = entries;
  const memberOf = [entry.memberOf].flat().filter((value): value is string => typeof value === 'string');
  const dn = escapeFilterValue(entry.dn);
  const { searchEntries: groups } = await client.search(settings.searchBase, {
    scope: 'sub',
    filter: `(|(member=${dn})(uniqueMember=${dn})(memberUid=${escapeFilterValue(user.username)}))`,
    attributes: ['1.1'],
  });
  return [...new Set([...memberOf, ...groups.map((group) => group.dn)])];
}

function tlsOptions(settings: LdapSettings): ConnectionOptions {
  let ca: Buffer | undefined;
  if (settings.caFile !== '') {
    try {
      ca = readFileSync(settings.caFile);
    } catch (error) {
      throw new DirectoryProblem(`cannot read ACD.Chat.Ldap.Tls.CaFile: ${describe(error)}`);
    }
  }
  return { ca, rejectUnauthorized: settings.rejectUnauthorized };
}

// ldapts and node errors name the server and the cause, never the password sent.
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
}
