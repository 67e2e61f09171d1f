import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptionKeyError } from './key-ring';
import { loadKeyRing } from './key-source';

describe('loadKeyRing', () => {
  let directory: string;
  beforeEach(() => (directory = mkdtempSync(join(tmpdir(), 'switchboard-key-source-'))));
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('creates the embedded key file on first start (owner-only) and says where to back it up', () => {
    const path = join(directory, 'data', 'encryption-keys.json');
    const warnings: string[] = [];
    const keys = loadKeyRing({ kind: 'file', path, createIfMissing: true }, (warning) =>
      warnings.push(warning),
    );
    expect(keys.activeId).toBe('k1');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(warnings).toEqual([
      expect.stringContaining(`created the encryption key file ${path}: back it up`),
    ]);
    expect(
      loadKeyRing({ kind: 'file', path, createIfMissing: true }, (warning) => warnings.push(warning))
        .activeId,
    ).toBe('k1');
    expect(warnings).toHaveLength(1);
  });

  it('stops with what to do when no key is configured or the key file is missing', () => {
    expect(() => loadKeyRing({ kind: 'none' }, () => undefined)).toThrow(
      /no encryption keys: set SWITCHBOARD_ENCRYPTION_KEY_FILE/,
    );
    const path = join(directory, 'gone.json');
    expect(() => loadKeyRing({ kind: 'file', path, createIfMissing: false }, () => undefined)).toThrow(
      /does not exist: restore it from your backup/,
    );
    expect(existsSync(path)).toBe(false);
  });

  it('reads the ring a key command prints (the KMS hook) and hides what a failing one printed', () => {
    const path = join(directory, 'ring.json');
    writeFileSync(
      path,
      JSON.stringify({ active: 'kms1', keys: { kms1: Buffer.alloc(32, 3).toString('base64') } }),
    );
    expect(loadKeyRing({ kind: 'command', command: `cat ${path}` }, () => undefined).activeId).toBe('kms1');
    let message = '';
    try {
      loadKeyRing({ kind: 'command', command: 'echo s3cret-output; exit 3' }, () => undefined);
    } catch (error) {
      expect(error).toBeInstanceOf(EncryptionKeyError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/failed \(exit 3\)/);
    expect(message).not.toContain('s3cret-output');
  });
});
