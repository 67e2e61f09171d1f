import {
  mustBe,
  parseEnvironment,
  refuse,
  variable,
  type BootstrapSettings,
  type Environment,
} from '@switchboard/config';
import { addressListVariable, type AddressList } from '@switchboard/platform';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AuthString } from './auth-string';
import { z } from 'zod';

/** Who may use the admin interface, and where it listens besides the process's own port. */
export interface AdminAccessSettings {
  readonly whitelist: AddressList;
  readonly authString: AuthString;
  /** Where the auth string was read from: the environment, or the file generated in DATADIR. */
  readonly authSource: { readonly kind: 'environment' } | { readonly kind: 'file'; readonly path: string };
  /** A second listener for the admin interface, when this process's own port is not the admin port. */
  readonly extraPort: number | null;
}

export const AUTH_FILE_NAME = 'admin-auth.txt';
const minimumAuthLength = 8;
const adminPort = 8899;

/** The admin feature's variables; the extra port's default depends on the service. */
const adminEnvironmentSchema = z.object({
  SWITCHBOARD_ADMIN_WHITELIST: addressListVariable(['127.0.0.1', '::1']),
  // No `got`: the value is the secret itself.
  SWITCHBOARD_ADMIN_AUTH: variable<string | undefined>(
    (raw) =>
      raw.length >= minimumAuthLength ? raw : refuse(`must be at least ${minimumAuthLength} characters`),
    undefined,
  ),
  // The admin-api service listens on 8899 itself; any other process (the embedded all-in-one) opens
  // 8899 beside its own port unless told otherwise (`off`, or another port; 0 picks a free one).
  SWITCHBOARD_ADMIN_PORT: variable<number | 'off' | undefined>((raw) => {
    const port = Number(raw);
    if (raw === 'off' || (raw.trim() !== '' && Number.isInteger(port) && port >= 0 && port <= 65535))
      return raw === 'off' ? 'off' : port;
    return mustBe('off or an integer between 0 and 65535', raw);
  }, undefined),
});

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
  const required =
    environment.SWITCHBOARD_ADMIN_AUTH === undefined && bootstrap.clusterMode === 'hazelcast'
      ? [
          'SWITCHBOARD_ADMIN_AUTH must be set in cluster mode: the auth string sysadmins pass as a= (e.g. `openssl rand -base64 18`)',
        ]
      : [];
  const values = parseEnvironment(adminEnvironmentSchema, environment, required);
  const whitelist = values.SWITCHBOARD_ADMIN_WHITELIST;
  const port = values.SWITCHBOARD_ADMIN_PORT;
  const extraPort = port === 'off' ? null : (port ?? (service === 'admin-api' ? null : adminPort));
  if (values.SWITCHBOARD_ADMIN_AUTH !== undefined) {
    return {
      whitelist,
      authString: new AuthString(values.SWITCHBOARD_ADMIN_AUTH),
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
