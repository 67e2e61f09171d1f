import { aessiv } from '@noble/ciphers/aes.js';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyError, EncryptionKeyErrorCode, type KeyRing } from './key-ring';

/** Deterministic: equal plaintexts give equal ciphertexts (equality look-ups work); randomized: never. */
export type EncryptionKind = 'deterministic' | 'randomized';

/** One encrypted column: where it is, and how it is encrypted. */
export interface EncryptedColumnSpec {
  readonly table: string;
  readonly column: string;
  readonly kind: EncryptionKind;
  /** Encrypted even where column encryption is switched off (secrets such as API keys). */
  readonly always?: boolean;
}

// A stored value is `sbenc1:<key id>:<d|r>:<base64>`, or a plaintext; a plaintext that starts with
// either marker is stored behind PLAIN_MARKER, so no plaintext is ever mistaken for a ciphertext.
const SEALED_MARKER = 'sbenc1:';
const PLAIN_MARKER = 'sbplain:';
/** A version-1 value of the earlier cipher (AES-256-GCM under a key kept in the `secrets` table). */
const LEGACY_MARKER = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const kindLetter = { deterministic: 'd', randomized: 'r' } as const satisfies Record<EncryptionKind, string>;
/** Deterministic results remembered (names and addresses repeat on every line): at most this many. */
const MEMO_ENTRIES = 10_000;
const SEALED_PATTERN = /^sbenc1:([a-z0-9-]{1,16}):([dr]):([A-Za-z0-9+/]*={0,2})$/;

/** The widest id prefix a sealed value carries: `sbenc1:` + a 16-character key id + `:d:`. */
const PREFIX_CHARACTERS = SEALED_MARKER.length + 16 + 3;

/** The key id a stored value was sealed with; null for a plaintext. */
export function sealedKeyId(stored: string): string | null {
  return SEALED_PATTERN.exec(stored)?.[1] ?? null;
}

/**
 * The column width (in characters) that holds any sealed value of a plaintext of `plainCharacters`
 * characters (4 bytes of UTF-8 each at most, plus the 16-byte tag or the IV and tag, in base64).
 */
export function sealedLength(plainCharacters: number): number {
  const bytes = plainCharacters * 4 + IV_BYTES + TAG_BYTES;
  return PREFIX_CHARACTERS + 4 * Math.ceil(bytes / 3);
}

const utf8 = new TextEncoder();
const associatedData = (spec: EncryptedColumnSpec) => utf8.encode(`${spec.table}.${spec.column}`);

/**
 * Encrypts column values under a {@link KeyRing} held outside the database: AES-SIV (RFC 5297, from
 * @noble/ciphers) for deterministic columns, AES-256-GCM with a random IV for randomized ones; the
 * column's name is the associated data, so a value copied into another column does not decrypt.
 * Each value carries the id of its key, so keys rotate while old values stay readable.
 */
export class ColumnCipher {
  // note: AES-SIV in JavaScript costs ~70 µs a value; a deterministic value always maps to the same
  // result, so seal and open results are remembered (the plaintexts are in this process's memory anyway).
  private readonly memo = new Map<string, string>();

  /**
   * @param enabled whether the chat data columns are encrypted (SWITCHBOARD_ENCRYPTION); columns marked
   * `always` are encrypted either way. Values already encrypted are read in both cases.
   * @param legacyKey the earlier cipher's key (the `secrets` table), given only at start-up to
   * re-encrypt the values an earlier version wrote.
   */
  constructor(
    readonly keys: KeyRing,
    readonly enabled: boolean,
    private readonly legacyKey?: Buffer,
  ) {}

  /** Whether values of the column are written encrypted. */
  encrypts(spec: EncryptedColumnSpec): boolean {
    return this.enabled || spec.always === true;
  }

  /** What the column stores for `plaintext` now: sealed with the active key, or the (escaped) plaintext. */
  seal(spec: EncryptedColumnSpec, plaintext: string): string {
    if (!this.encrypts(spec)) return isMarked(plaintext) ? `${PLAIN_MARKER}${plaintext}` : plaintext;
    return this.sealWith(this.keys.activeId, spec, plaintext);
  }

  /** The plaintext of a stored value, whichever key (or none) wrote it. */
  open(spec: EncryptedColumnSpec, stored: string): string {
    if (stored.startsWith(PLAIN_MARKER)) return stored.slice(PLAIN_MARKER.length);
    if (stored.startsWith(LEGACY_MARKER) && spec.always) return this.openLegacy(stored);
    const sealed = SEALED_PATTERN.exec(stored);
    if (!sealed) return stored;
    const [, keyId, letter, body] = sealed;
    const key = this.keys.require(keyId);
    const remembered =
      letter === kindLetter.deterministic
        ? this.memo.get(`o\0${spec.table}.${spec.column}\0${stored}`)
        : undefined;
    if (remembered !== undefined) return remembered;
    const raw = Buffer.from(body, 'base64');
    try {
      if (letter === kindLetter.deterministic)
        return this.remember(
          `o\0${spec.table}.${spec.column}\0${stored}`,
          Buffer.from(aessiv(key.deterministic, associatedData(spec)).decrypt(raw)).toString('utf8'),
        );
      const decipher = createDecipheriv('aes-256-gcm', key.randomized, raw.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(spec));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new EncryptionKeyError(
        EncryptionKeyErrorCode.Mismatch,
        `a value of ${spec.table}.${spec.column} does not decrypt with key "${keyId}": the key differs from the one that wrote it, or the value was altered`,
      );
    }
  }

  /**
   * Every form a deterministic column may hold `plaintext` in (sealed under each key, and plain), so an
   * equality look-up finds it whatever key wrote it and while a rotation or a switch is under way.
   */
  storedForms(spec: EncryptedColumnSpec, plaintext: string): string[] {
    if (spec.kind !== 'deterministic')
      throw new Error(`${spec.table}.${spec.column} is randomized: no look-ups`);
    const plain = isMarked(plaintext) ? `${PLAIN_MARKER}${plaintext}` : plaintext;
    return [...this.keys.ids.map((id) => this.sealWith(id, spec, plaintext)), plain];
  }

  /** The key id a stored value was sealed with; null for a plaintext. */
  keyIdOf(stored: string): string | null {
    return sealedKeyId(stored);
  }

  /** Whether the stored value is in the form {@link seal} writes now (the active key, or plain when off). */
  isCurrent(spec: EncryptedColumnSpec, stored: string): boolean {
    const keyId = this.keyIdOf(stored);
    return this.encrypts(spec)
      ? keyId === this.keys.activeId
      : keyId === null && !stored.startsWith(LEGACY_MARKER);
  }

  private sealWith(keyId: string, spec: EncryptedColumnSpec, plaintext: string): string {
    const memoKey = `s\0${keyId}\0${spec.table}.${spec.column}\0${plaintext}`;
    const remembered = spec.kind === 'deterministic' ? this.memo.get(memoKey) : undefined;
    if (remembered !== undefined) return remembered;
    const key = this.keys.require(keyId);
    const data = Buffer.from(plaintext, 'utf8');
    let body: Buffer;
    if (spec.kind === 'deterministic') {
      body = Buffer.from(aessiv(key.deterministic, associatedData(spec)).encrypt(data));
    } else {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key.randomized, iv);
      cipher.setAAD(associatedData(spec));
      const encrypted = Buffer.concat([cipher.update(data), cipher.final()]);
      body = Buffer.concat([iv, cipher.getAuthTag(), encrypted]);
    }
    const sealed = `${SEALED_MARKER}${keyId}:${kindLetter[spec.kind]}:${body.toString('base64')}`;
    return spec.kind === 'deterministic' ? this.remember(memoKey, sealed) : sealed;
  }

  private remember(memoKey: string, value: string): string {
    if (this.memo.size >= MEMO_ENTRIES) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(memoKey, value);
    return value;
  }

  private openLegacy(stored: string): string {
    if (!this.legacyKey)
      throw new EncryptionKeyError(
        EncryptionKeyErrorCode.Missing,
        'a value was encrypted by an earlier version with a key kept in the database, and that key is gone: enter the TynTec API key again',
      );
    const raw = Buffer.from(stored.slice(LEGACY_MARKER.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.legacyKey, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }
}

const isMarked = (plaintext: string) =>
  plaintext.startsWith(SEALED_MARKER) || plaintext.startsWith(PLAIN_MARKER);

/** Prefixes that tell stored forms apart without decrypting. */
export const storedFormPrefixes = {
  sealedWith: (keyId: string) => `${SEALED_MARKER}${keyId}:`,
  anySealed: SEALED_MARKER,
} as const;
