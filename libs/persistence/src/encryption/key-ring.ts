import { hkdfSync, randomBytes } from 'node:crypto';

/** Key ids are short and safe inside a stored value's prefix and a SQL LIKE pattern. */
const KEY_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,15}$/;
const KEY_BYTES = 32;

export enum EncryptionKeyErrorCode {
  Missing = 'missing',
  Malformed = 'malformed',
  Mismatch = 'mismatch',
  Unknown = 'unknown',
}

/** A problem with the encryption keys; the message names the key id and what to do, never key material. */
export class EncryptionKeyError extends Error {
  constructor(
    readonly code: EncryptionKeyErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EncryptionKeyError';
  }
}

/** The key material of one id, split into one subkey per construction so no key serves two. */
export class EncryptionKey {
  constructor(
    readonly id: string,
    /** AES-256-GCM (randomized). */
    readonly randomized: Buffer,
    /** AES-SIV with two AES-256 keys (deterministic). */
    readonly deterministic: Uint8Array,
  ) {}

  /** Only the id: a key that ends up in a log line or an error shows no material. */
  toJSON(): string {
    return `[EncryptionKey ${this.id}]`;
  }

  toString(): string {
    return this.toJSON();
  }
}

/** The key file's shape (also what SWITCHBOARD_ENCRYPTION_KEY_COMMAND prints). */
export interface KeyFileContent {
  /** The id new values are encrypted with. */
  active: string;
  /** Every key that may still be needed to read, by id: 32 random bytes, base64. */
  keys: Record<string, string>;
}

const subkey = (material: Buffer, purpose: string, length: number): Buffer =>
  Buffer.from(hkdfSync('sha256', material, 'switchboard-column-encryption', purpose, length));

/**
 * The encryption keys a process holds: every key that may be needed to read a value, and the active
 * one new values are written with. Built from a key file, an environment variable or a key command
 * (see docs/security.md); printed or serialized it shows only its key ids.
 */
export class KeyRing {
  private readonly keys: ReadonlyMap<string, EncryptionKey>;

  private constructor(
    readonly activeId: string,
    keys: ReadonlyMap<string, EncryptionKey>,
  ) {
    this.keys = keys;
  }

  /** Validates a key file's content; `source` names where it came from in error messages. */
  static fromContent(content: unknown, source: string): KeyRing {
    const malformed = (why: string) =>
      new EncryptionKeyError(EncryptionKeyErrorCode.Malformed, `${source}: ${why} (see docs/security.md)`);
    if (typeof content !== 'object' || content === null)
      throw malformed('expected {"active": id, "keys": {...}}');
    const { active, keys } = content as Partial<KeyFileContent>;
    if (typeof keys !== 'object' || keys === null || Object.keys(keys).length === 0)
      throw malformed('"keys" must name at least one key');
    const ring = new Map<string, EncryptionKey>();
    for (const [id, encoded] of Object.entries(keys)) {
      if (!KEY_ID_PATTERN.test(id))
        throw malformed(`key id ${JSON.stringify(id)} must be 1-16 lower-case letters, digits or -`);
      const material = typeof encoded === 'string' ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
      if (material.length !== KEY_BYTES || material.toString('base64') !== encoded)
        throw malformed(
          `key "${id}" must be ${KEY_BYTES} bytes in base64 (npm run keys -- generate makes one)`,
        );
      ring.set(
        id,
        new EncryptionKey(
          id,
          subkey(material, 'randomized', 32),
          new Uint8Array(subkey(material, 'deterministic', 64)),
        ),
      );
    }
    if (typeof active !== 'string' || !ring.has(active))
      throw malformed(`"active" must be one of the key ids (${[...ring.keys()].join(', ')})`);
    return new KeyRing(active, ring);
  }

  /** Parses `SWITCHBOARD_ENCRYPTION_KEYS`: `id:base64[,id:base64…]`, the first one active. */
  static fromEnvironmentValue(value: string, variable: string): KeyRing {
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const keys: Record<string, string> = {};
    for (const entry of entries) {
      const separator = entry.indexOf(':');
      if (separator < 1)
        throw new EncryptionKeyError(
          EncryptionKeyErrorCode.Malformed,
          `${variable} must be id:base64[,id:base64…] (entry ${entries.indexOf(entry) + 1} has no "id:")`,
        );
      keys[entry.slice(0, separator)] = entry.slice(separator + 1);
    }
    const active = entries[0]?.slice(0, entries[0].indexOf(':')) ?? '';
    return KeyRing.fromContent({ active, keys }, variable);
  }

  /** The same keys with another one active (the key tool, and each key's start-up check). */
  withActive(id: string): KeyRing {
    this.require(id);
    return new KeyRing(id, this.keys);
  }

  /** The key new values are written with. */
  get active(): EncryptionKey {
    return this.require(this.activeId);
  }

  get ids(): readonly string[] {
    return [...this.keys.keys()];
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  /** The key of an id; an {@link EncryptionKeyError} naming the id when this process does not hold it. */
  require(id: string): EncryptionKey {
    const key = this.keys.get(id);
    if (!key)
      throw new EncryptionKeyError(
        EncryptionKeyErrorCode.Unknown,
        `a value is encrypted with key "${id}", which this process does not have: add it to the key file or SWITCHBOARD_ENCRYPTION_KEYS`,
      );
    return key;
  }

  /** Every key, for look-ups that must match a value whatever key wrote it. */
  all(): readonly EncryptionKey[] {
    return [...this.keys.values()];
  }

  /** Only the ids: a ring that ends up in a log line or an error shows no key. */
  toJSON(): string {
    return `[KeyRing ${this.ids.join(',')}]`;
  }

  toString(): string {
    return this.toJSON();
  }
}

/** 32 fresh random bytes, base64: one new key. */
export function generateKeyMaterial(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
