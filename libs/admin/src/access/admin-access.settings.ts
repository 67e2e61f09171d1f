import { BootstrapSettingsError, type BootstrapSettings } from '@switchboard/config';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuthString } from './auth-string';
import { HostWhitelist } from './host-whitelist';

/** Who may use the admin interface, and where it listens besides the process's own port. */
export interface AdminAccessSettings {
  readonly whitelist: HostWhitelist;
  readonly authString: AuthString;
  /** Where the auth string was read from: the environment, or the file generated in DATADIR. */
  readonly authSource: { readonly kind: 'environment' } | { readonly kind: 'file'; readonly path: string };
  /** A second listener for the admin interface, when this process's own port is not the admin port. */
  readonly extraPort: number | null;
}

export const AUTH_FILE_NAME = 'admin-auth.txt';
const minimumAuthLength = 8;
const adminPort = 8899;

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads SWITCHBOARD_ADMIN_WHITELIST, SWITCHBOARD_ADMIN_AUTH and SWITCHBOARD_ADMIN_PORT. Embedded
 * default: localhost only, and a random auth string generated once into DATADIR (mode 0600). In
 * cluster mode a missing auth string stops the process with a message saying what to set.
 */
export function loadAdminAccessSettings(
  environment: Environment,
  bootstrap: BootstrapSettings,
  service: string,
): AdminAccessSettings {
  const problems: string[] = [];
  let whitelist = new HostWhitelist(['127.0.0.1', '::1']);
  try {
    if (environment.SWITCHBOARD_ADMIN_WHITELIST !== undefined)
      whitelist = HostWhitelist.parse(environment.SWITCHBOARD_ADMIN_WHITELIST);
  } catch (error) {
    problems.push(`SWITCHBOARD_ADMIN_WHITELIST: ${(error as Error).message}`);
  }
  const fromEnvironment = environment.SWITCHBOARD_ADMIN_AUTH;
  if (fromEnvironment !== undefined && fromEnvironment.length < minimumAuthLength) {
    problems.push(`SWITCHBOARD_ADMIN_AUTH must be at least ${minimumAuthLength} characters`);
  }
  if (fromEnvironment === undefined && bootstrap.clusterMode === 'hazelcast') {
    problems.push(
      'SWITCHBOARD_ADMIN_AUTH must be set in cluster mode: the auth string sysadmins pass as a= (e.g. `openssl rand -base64 18`)',
    );
  }
  const extraPort = parseExtraPort(environment.SWITCHBOARD_ADMIN_PORT, service, problems);
  if (problems.length > 0) throw new BootstrapSettingsError(problems);
  if (fromEnvironment !== undefined) {
    return {
      whitelist,
      authString: new AuthString(fromEnvironment),
      authSource: { kind: 'environment' },
      extraPort,
    };
  }
  const path = join(bootstrap.dataDirectory, AUTH_FILE_NAME);
  return { whitelist, authString: readOrCreateAuthFile(path), authSource: { kind: 'file', path }, extraPort };
}

function readOrCreateAuthFile(path: string): AuthString {
  if (existsSync(path)) {
    chmodSync(path, 0o600);
    return new AuthString(readFileSync(path, 'utf8').trim());
  }
  const generated = AuthString.generate();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${generated.reveal()}\n`, { mode: 0o600, flag: 'wx' });
  return generated;
}

// The admin-api service listens on 8899 itself; any other process (the embedded all-in-one) opens
// 8899 beside its own port unless told otherwise (`off`, or another port; 0 picks a free one).
function parseExtraPort(raw: string | undefined, service: string, problems: string[]): number | null {
  if (raw === 'off') return null;
  if (raw === undefined) return service === 'admin-api' ? null : adminPort;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(
      `SWITCHBOARD_ADMIN_PORT must be off or an integer between 0 and 65535 (got ${JSON.stringify(raw)})`,
    );
    return null;
  }
  return port;
}
