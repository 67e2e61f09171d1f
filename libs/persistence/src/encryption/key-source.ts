import type { EncryptionKeySource } from '@switchboard/config';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  EncryptionKeyError,
  EncryptionKeyErrorCode,
  generateKeyMaterial,
  KeyRing,
  type KeyFileContent,
} from './key-ring';

const COMMAND_TIMEOUT_MS = 30_000;

/** Writes a key file readable by its owner only (written aside, then renamed, so no reader sees half). */
export function writeKeyFile(path: string, content: KeyFileContent): void {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  writeFileSync(partial, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  renameSync(partial, path);
}

/** A key file's content, validated; errors name the file, never a key. */
export function readKeyFile(path: string): KeyFileContent {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new EncryptionKeyError(
      missing ? EncryptionKeyErrorCode.Missing : EncryptionKeyErrorCode.Malformed,
      missing
        ? `encryption key file ${path} does not exist: restore it from your backup, or create one with \`npm run keys -- generate --file ${path}\` on a new installation`
        : `encryption key file ${path} is not readable JSON (see docs/security.md)`,
    );
  }
  KeyRing.fromContent(content, `encryption key file ${path}`);
  return content as KeyFileContent;
}

/**
 * The key ring of a {@link EncryptionKeySource}. The embedded default creates its key file on first
 * start and calls `warn` with where it is (it must be backed up: without it the data cannot be read).
 */
export function loadKeyRing(source: EncryptionKeySource, warn: (message: string) => void): KeyRing {
  switch (source.kind) {
    case 'file':
      if (source.createIfMissing && !existsSync(source.path)) {
        writeKeyFile(source.path, { active: 'k1', keys: { k1: generateKeyMaterial() } });
        warn(
          `created the encryption key file ${source.path}: back it up with the database, which cannot be read without it (docs/security.md)`,
        );
      }
      return KeyRing.fromContent(readKeyFile(source.path), `encryption key file ${source.path}`);
    case 'environment':
      return KeyRing.fromEnvironmentValue(source.value, source.variable);
    case 'command':
      return KeyRing.fromContent(runKeyCommand(source.command), 'SWITCHBOARD_ENCRYPTION_KEY_COMMAND');
    case 'none':
      throw new EncryptionKeyError(
        EncryptionKeyErrorCode.Missing,
        'no encryption keys: set SWITCHBOARD_ENCRYPTION_KEY_FILE, SWITCHBOARD_ENCRYPTION_KEYS or SWITCHBOARD_ENCRYPTION_KEY_COMMAND (docs/security.md; `npm run keys -- generate` makes a key file)',
      );
  }
}

/** Runs the key command (a KMS or secret store client) and parses what it prints; its output is never shown. */
function runKeyCommand(command: string): unknown {
  let output: string;
  try {
    output = execFileSync('/bin/sh', ['-c', command], {
      encoding: 'utf8',
      timeout: COMMAND_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  } catch (error) {
    const status = (error as { status?: number | null }).status;
    throw new EncryptionKeyError(
      EncryptionKeyErrorCode.Missing,
      `SWITCHBOARD_ENCRYPTION_KEY_COMMAND failed (${status === null || status === undefined ? 'did not finish' : `exit ${status}`}): run it by hand to see why`,
    );
  }
  try {
    return JSON.parse(output) as unknown;
  } catch {
    throw new EncryptionKeyError(
      EncryptionKeyErrorCode.Malformed,
      'SWITCHBOARD_ENCRYPTION_KEY_COMMAND must print the key file JSON {"active": id, "keys": {...}}',
    );
  }
}
