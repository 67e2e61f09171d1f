/**
 * The column encryption keys of the test process (tools/jest/encryption-setup.js puts them in
 * `process.env`), for the literal environment a test gives an app: its services then read and write
 * with the same keys as the test's own repositories.
 */
export function encryptionTestEnvironment(): Record<string, string> {
  const keys = process.env.SWITCHBOARD_ENCRYPTION_KEYS;
  return keys === undefined ? {} : { SWITCHBOARD_ENCRYPTION_KEYS: keys };
}
