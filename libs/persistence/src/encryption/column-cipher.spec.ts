import { ColumnCipher, sealedLength, type EncryptedColumnSpec } from './column-cipher';
import { EncryptionKeyError, generateKeyMaterial, KeyRing } from './key-ring';

const email: EncryptedColumnSpec = { table: 'chats', column: 'visitor_email', kind: 'deterministic' };
const name: EncryptedColumnSpec = { table: 'chats', column: 'visitor_name', kind: 'deterministic' };
const text: EncryptedColumnSpec = { table: 'chat_lines', column: 'text', kind: 'randomized' };
const apiKey: EncryptedColumnSpec = { ...text, table: 'chat_connectors', always: true };

const k1 = generateKeyMaterial();
const k2 = generateKeyMaterial();
const ring = (active: string, keys: Record<string, string>) =>
  KeyRing.fromContent({ active, keys }, 'test keys');
const onK1 = new ColumnCipher(ring('k1', { k1 }), true);

describe('ColumnCipher', () => {
  it('gives equal ciphertexts for equal plaintexts in a deterministic column, and opens them', () => {
    const sealed = onK1.seal(email, 'vera@example.com');
    expect(onK1.seal(email, 'vera@example.com')).toBe(sealed);
    expect(sealed).toMatch(/^sbenc1:k1:d:/);
    expect(sealed).not.toContain('vera');
    expect(onK1.open(email, sealed)).toBe('vera@example.com');
  });

  it('gives different ciphertexts for two equal line texts (randomized), both opening to the text', () => {
    const first = onK1.seal(text, 'hello');
    const second = onK1.seal(text, 'hello');
    expect(first).not.toBe(second);
    expect(first).toMatch(/^sbenc1:k1:r:/);
    expect([onK1.open(text, first), onK1.open(text, second)]).toEqual(['hello', 'hello']);
  });

  it('binds a value to its column: a name copied into the email column does not open', () => {
    expect(() => onK1.open(email, onK1.seal(name, 'Vera'))).toThrow(EncryptionKeyError);
  });

  it('reads values of every key it holds and writes with the active one', () => {
    const rotated = new ColumnCipher(ring('k2', { k1, k2 }), true);
    const old = onK1.seal(text, 'before rotation');
    expect(rotated.open(text, old)).toBe('before rotation');
    expect(rotated.keyIdOf(rotated.seal(text, 'after'))).toBe('k2');
    expect(rotated.isCurrent(text, old)).toBe(false);
    expect(rotated.storedForms(email, 'a@b.test')).toEqual([
      onK1.seal(email, 'a@b.test'),
      new ColumnCipher(ring('k2', { k2 }), true).seal(email, 'a@b.test'),
      'a@b.test',
    ]);
  });

  it('says which key is missing, and that a wrong key does not match, without showing any key', () => {
    const sealed = new ColumnCipher(ring('k2', { k2 }), true).seal(text, 'secret line');
    expect(() => onK1.open(text, sealed)).toThrow(/key "k2", which this process does not have/);
    const wrong = new ColumnCipher(ring('k2', { k2: k1 }), true);
    let message = '';
    try {
      wrong.open(text, sealed);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/does not decrypt with key "k2"/);
    for (const material of [k1, k2]) expect(message).not.toContain(material);
  });

  it('with encryption off, stores chat data plain but keeps secrets encrypted, and still reads sealed values', () => {
    const off = new ColumnCipher(ring('k1', { k1 }), false);
    expect(off.seal(text, 'plain line')).toBe('plain line');
    expect(off.seal(apiKey, 'tyntec-key')).toMatch(/^sbenc1:k1:r:/);
    expect(off.open(text, onK1.seal(text, 'sealed earlier'))).toBe('sealed earlier');
  });

  it('never takes a plaintext that looks like a sealed value for one', () => {
    const off = new ColumnCipher(ring('k1', { k1 }), false);
    const lookalike = 'sbenc1:k1:r:AAAA';
    expect(off.open(text, off.seal(text, lookalike))).toBe(lookalike);
    expect(off.open(text, off.seal(text, 'sbplain:x'))).toBe('sbplain:x');
  });

  it('sizes a column for the longest sealed value of its plaintext width', () => {
    const widest = '💬'.repeat(100);
    expect(onK1.seal(name, widest).length).toBeLessThanOrEqual(sealedLength(200));
    expect(onK1.seal(text, widest).length).toBeLessThanOrEqual(sealedLength(200));
  });
});

describe('KeyRing', () => {
  it('refuses malformed keys with the id and the fix, never echoing the material', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    expect(() => ring('k1', { k1: short })).toThrow(/key "k1" must be 32 bytes in base64/);
    try {
      ring('k1', { k1: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => ring('k9', { k1 })).toThrow(/"active" must be one of the key ids \(k1\)/);
    expect(() => KeyRing.fromEnvironmentValue('nocolon', 'SWITCHBOARD_ENCRYPTION_KEYS')).toThrow(
      /SWITCHBOARD_ENCRYPTION_KEYS must be id:base64/,
    );
  });

  it('takes the first key of SWITCHBOARD_ENCRYPTION_KEYS as the active one', () => {
    const keys = KeyRing.fromEnvironmentValue(`k2:${k2}, k1:${k1}`, 'SWITCHBOARD_ENCRYPTION_KEYS');
    expect([keys.activeId, keys.ids]).toEqual(['k2', ['k2', 'k1']]);
  });

  it('shows no key material when printed or serialized', () => {
    const keys = ring('k1', { k1 });
    const shown = [
      JSON.stringify({ keys }),
      String(keys),
      JSON.stringify(keys.active),
      keys.active.toString(),
    ].join(' ');
    expect(shown).toBe('{"keys":"[KeyRing k1]"} [KeyRing k1] "[EncryptionKey k1]" [EncryptionKey k1]');
  });
});
