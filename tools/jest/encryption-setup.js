// Every test process holds the same test keys (key id "test"): services started in-process read them
// from the environment (and child processes inherit it), repositories used directly get the cipher
// installed here. A suite that tests key handling itself sets up its own.
const { KeyRing } = require('../../libs/persistence/src/encryption/key-ring.ts');
const { ColumnCipher } = require('../../libs/persistence/src/encryption/column-cipher.ts');
const { installColumnCipher } = require('../../libs/persistence/src/encryption/encrypted-columns.ts');

const TEST_KEYS = 'test:dGVzdC1rZXktZm9yLXN3aXRjaGJvYXJkLWNvbHVtbnM=';

if (!process.env.SWITCHBOARD_ENCRYPTION_KEY_FILE && !process.env.SWITCHBOARD_ENCRYPTION_KEY_COMMAND) {
  process.env.SWITCHBOARD_ENCRYPTION_KEYS ??= TEST_KEYS;
}
installColumnCipher(
  new ColumnCipher(
    KeyRing.fromEnvironmentValue(
      process.env.SWITCHBOARD_ENCRYPTION_KEYS ?? TEST_KEYS,
      'SWITCHBOARD_ENCRYPTION_KEYS',
    ),
    process.env.SWITCHBOARD_ENCRYPTION !== 'off',
  ),
);
