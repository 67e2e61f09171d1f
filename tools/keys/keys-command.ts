import { parseArgs } from 'node:util';

export const USAGE = `Manages the column encryption keys (docs/security.md). The keys live outside the database.

Usage: npm run keys -- <command> [options]

  generate [--file PATH] [--id ID]   a new key: written as a new key file (never over an existing
                                     one), or printed as SWITCHBOARD_ENCRYPTION_KEYS=ID:KEY without --file
  add [--id ID] [--activate]         adds a new key to the key file; active at once with --activate
                                     (safer in a cluster: add, restart every node, then activate)
  activate ID                        makes ID the key new values are written with
  status                             per encrypted column: values per key, plain, and still to rewrite
  rotate [--batch N] [--rate N]      rewrites every value not in the current form: sealed with an
                                     older key, plain (encrypts an existing database in place), or
                                     sealed while SWITCHBOARD_ENCRYPTION=off (decrypts it). In batches
                                     of N rows (200) at most N rows/s (500), with a progress bar; run it
                                     again after an interruption: it carries on with what is left
  retire ID                          removes key ID from the key file and the database's key check,
                                     only once no value uses it and it is not active

Options:
  --file PATH   the key file (default: SWITCHBOARD_ENCRYPTION_KEY_FILE, embedded: DATADIR/encryption-keys.json)
  --help        this text

The keys are read like the services read them (SWITCHBOARD_ENCRYPTION_KEY_FILE, SWITCHBOARD_ENCRYPTION_KEYS
or SWITCHBOARD_ENCRYPTION_KEY_COMMAND); the database is SWITCHBOARD_DATABASE_URL's. Key material is
never printed, except by generate without --file, which is asked for it.
Exit codes: 0 done, 1 refused (the reason is printed), 2 wrong usage.
`;

export type KeysCommand =
  | { readonly action: 'generate'; readonly file?: string; readonly id: string }
  | { readonly action: 'add'; readonly file?: string; readonly id?: string; readonly activate: boolean }
  | { readonly action: 'activate'; readonly file?: string; readonly id: string }
  | { readonly action: 'retire'; readonly file?: string; readonly id: string }
  | { readonly action: 'status'; readonly file?: string }
  | {
      readonly action: 'rotate';
      readonly file?: string;
      readonly batchSize: number;
      readonly rowsPerSecond: number;
    };

export class UsageError extends Error {}

const KEY_ID = /^[a-z0-9][a-z0-9-]{0,15}$/;

/** Reads the command line; `help` for --help. Throws a UsageError naming what is wrong. */
export function parseKeysCommand(argv: readonly string[]): KeysCommand | 'help' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      file: { type: 'string' },
      id: { type: 'string' },
      activate: { type: 'boolean', default: false },
      batch: { type: 'string', default: '200' },
      rate: { type: 'string', default: '500' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const [action, argument, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  const id = (value: string | undefined, what: string): string => {
    if (value === undefined) throw new UsageError(`${action} needs ${what}`);
    if (!KEY_ID.test(value))
      throw new UsageError(`key id "${value}" must be 1-16 lower-case letters, digits or -`);
    return value;
  };
  const file = values.file;
  switch (action) {
    case 'generate':
      return { action, file, id: id(values.id ?? 'k1', 'an id') };
    case 'add':
      return {
        action,
        file,
        id: values.id === undefined ? undefined : id(values.id, 'an id'),
        activate: values.activate,
      };
    case 'activate':
      return { action, file, id: id(argument, 'a key id') };
    case 'retire':
      return { action, file, id: id(argument, 'a key id') };
    case 'status':
      return { action, file };
    case 'rotate':
      return {
        action,
        file,
        batchSize: positiveInteger(values.batch, '--batch'),
        rowsPerSecond: positiveInteger(values.rate, '--rate'),
      };
    case undefined:
      throw new UsageError('a command is needed');
    default:
      throw new UsageError(`unknown command "${action}"`);
  }
}

function positiveInteger(raw: string, option: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${option} must be a positive integer (got "${raw}")`);
  return value;
}

/** A text progress bar: `[#####-----]  50%  table.column  500/1000 rows`. */
export function progressBar(done: number, total: number, label: string, width = 30): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${label}  ${done}/${total} rows`;
}
