import { resolve } from 'node:path';
import { onOffVariable, variable, type Environment } from './environment';

/** Where a process gets its column encryption keys (docs/security.md). */
export type EncryptionKeySource =
  /** A key file (JSON, see docs/security.md); the embedded default creates it on first start. */
  | { readonly kind: 'file'; readonly path: string; readonly createIfMissing: boolean }
  /** SWITCHBOARD_ENCRYPTION_KEYS: `id:base64[,id:base64…]`, the first one active. */
  | { readonly kind: 'environment'; readonly variable: string; readonly value: string }
  /** A command that prints the key file's JSON: the hook for a KMS or a secret store. */
  | { readonly kind: 'command'; readonly command: string }
  /** Nothing configured: start-up stops and says what to set. */
  | { readonly kind: 'none' };

export interface EncryptionSettings {
  /** Whether chat data is written encrypted (SWITCHBOARD_ENCRYPTION=on|off); values already encrypted are read either way. */
  readonly enabled: boolean;
  readonly keySource: EncryptionKeySource;
}

const given = (raw: string) => (raw === '' ? undefined : raw);

/** The column encryption variables, part of the platform's environment schema. */
export const encryptionVariables = {
  SWITCHBOARD_ENCRYPTION: onOffVariable(true),
  SWITCHBOARD_ENCRYPTION_KEY_FILE: variable<string | undefined>(given, undefined),
  // A secret: its problems are found when the keys are loaded, never shown here.
  SWITCHBOARD_ENCRYPTION_KEYS: variable<string | undefined>(given, undefined),
  SWITCHBOARD_ENCRYPTION_KEY_COMMAND: variable<string | undefined>(given, undefined),
};

const sourceVariables = [
  'SWITCHBOARD_ENCRYPTION_KEY_FILE',
  'SWITCHBOARD_ENCRYPTION_KEYS',
  'SWITCHBOARD_ENCRYPTION_KEY_COMMAND',
] as const;

/** At most one key source may be set. */
export function encryptionSourceProblems(environment: Environment): string[] {
  const set = sourceVariables.filter((name) => (environment[name] ?? '') !== '');
  return set.length > 1 ? [`set only one of ${set.join(', ')}`] : [];
}

type EncryptionValues = {
  readonly SWITCHBOARD_ENCRYPTION: boolean;
  readonly SWITCHBOARD_ENCRYPTION_KEY_FILE: string | undefined;
  readonly SWITCHBOARD_ENCRYPTION_KEYS: string | undefined;
  readonly SWITCHBOARD_ENCRYPTION_KEY_COMMAND: string | undefined;
};

/**
 * The column encryption settings. Without a key source, an embedded process (SQLite) uses
 * `<DATADIR>/encryption-keys.json`, created on first start; a process on MariaDB has none and stops
 * at start-up.
 */
export function encryptionSettings(
  values: EncryptionValues,
  context: { readonly dataDirectory: string; readonly embeddedDatabase: boolean },
): EncryptionSettings {
  return { enabled: values.SWITCHBOARD_ENCRYPTION, keySource: keySourceOf(values, context) };
}

function keySourceOf(
  values: EncryptionValues,
  context: { readonly dataDirectory: string; readonly embeddedDatabase: boolean },
): EncryptionKeySource {
  if (values.SWITCHBOARD_ENCRYPTION_KEY_FILE !== undefined)
    return { kind: 'file', path: resolve(values.SWITCHBOARD_ENCRYPTION_KEY_FILE), createIfMissing: false };
  if (values.SWITCHBOARD_ENCRYPTION_KEYS !== undefined)
    return {
      kind: 'environment',
      variable: 'SWITCHBOARD_ENCRYPTION_KEYS',
      value: values.SWITCHBOARD_ENCRYPTION_KEYS,
    };
  if (values.SWITCHBOARD_ENCRYPTION_KEY_COMMAND !== undefined)
    return { kind: 'command', command: values.SWITCHBOARD_ENCRYPTION_KEY_COMMAND };
  return context.embeddedDatabase
    ? { kind: 'file', path: resolve(context.dataDirectory, 'encryption-keys.json'), createIfMissing: true }
    : { kind: 'none' };
}
