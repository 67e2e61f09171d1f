import { Raw, type ValueTransformer } from 'typeorm';
import type { ColumnCipher, EncryptedColumnSpec } from './column-cipher';
import { EncryptionKeyError, EncryptionKeyErrorCode } from './key-ring';

/**
 * The encrypted columns (docs/security.md says why each): the seed's Userchatvars/VisitFormVars,
 * UserChats.VisitorName/MessageEmail (deterministic) and UserTranscript.LineText (randomized), their
 * WhatsApp equivalents, the name on each line, outbound webhook bodies, and the TynTec API key,
 * webhook signing secrets and OIDC client secrets, which stay encrypted even with encryption off.
 */
export const encryptedColumns = {
  visitorName: { table: 'chats', column: 'visitor_name', kind: 'deterministic' },
  visitorEmail: { table: 'chats', column: 'visitor_email', kind: 'deterministic' },
  chatVariableValue: { table: 'chat_variables', column: 'value', kind: 'deterministic' },
  lineText: { table: 'chat_lines', column: 'text', kind: 'randomized' },
  /** The visitor's (or WhatsApp profile's) name on each of their lines: the same data as visitor_name. */
  lineSenderName: { table: 'chat_lines', column: 'sender_name', kind: 'deterministic' },
  webhookBody: { table: 'webhook_inbox', column: 'raw_body', kind: 'randomized' },
  deadLetterBody: { table: 'webhook_dead_letters', column: 'raw_body', kind: 'randomized' },
  connectorApiKey: {
    table: 'chat_connectors',
    column: 'api_key_ciphertext',
    kind: 'randomized',
    always: true,
  },
  /** An outbound webhook's event body: the line's text and the visitor's name, as in chat_lines. */
  webhookOutboxPayload: { table: 'webhook_outbox', column: 'payload', kind: 'randomized' },
  /** An outbound webhook's signing secret: encrypted even with encryption off, as the TynTec key. */
  outboundWebhookSecret: {
    table: 'outbound_webhooks',
    column: 'secret_ciphertext',
    kind: 'randomized',
    always: true,
  },
  oidcClientSecret: {
    table: 'oidc_providers',
    column: 'client_secret_ciphertext',
    kind: 'randomized',
    always: true,
  },
} as const satisfies Record<string, EncryptedColumnSpec>;

// note: typeorm builds entity metadata once per process from decorators, so the transformers reach
// the cipher through this one slot rather than through the DataSource; every DataSource of a process
// shares the keys it was started with (the platform's database provider, the key tool or a test installs them).
let installed: ColumnCipher | undefined;

/** Makes `cipher` the one every encrypted column of this process uses. */
export function installColumnCipher(cipher: ColumnCipher): void {
  installed = cipher;
}

/** The installed cipher; a clear error when the process started without its keys. */
export function columnCipher(): ColumnCipher {
  if (!installed)
    throw new EncryptionKeyError(
      EncryptionKeyErrorCode.Missing,
      'column encryption keys are not loaded in this process (the platform database provider or `installColumnCipher` loads them)',
    );
  return installed;
}

/** Seals a value for `spec` (for statements typeorm does not transform: raw inserts). */
export const sealColumn = (spec: EncryptedColumnSpec, plaintext: string): string =>
  columnCipher().seal(spec, plaintext);

/** Opens a stored value of `spec` (for raw selects, which typeorm does not transform). */
export const openColumn = <T extends string | null>(spec: EncryptedColumnSpec, stored: T): T =>
  (stored === null ? null : columnCipher().open(spec, stored)) as T;

/** The typeorm transformer of an encrypted column: sealed on the way in, opened on the way out. */
export function encryptedTransformer(spec: EncryptedColumnSpec): ValueTransformer {
  return {
    to: (value: unknown) => (typeof value === 'string' ? sealColumn(spec, value) : value),
    from: (value: unknown) => (typeof value === 'string' ? openColumn(spec, value) : value),
  };
}

/**
 * A find condition that matches `plaintext` in a deterministic column whatever form holds it (each
 * key's ciphertext, or plain), so look-ups keep working through a key rotation or a switch on/off.
 * note: typeorm passes Raw's parameters as they are, so the stored forms are not sealed a second time.
 */
export function storedIn(spec: EncryptedColumnSpec, plaintext: string): ReturnType<typeof Raw> {
  const parameter = `${spec.table}_${spec.column}_forms`;
  return Raw((alias) => `${alias} IN (:...${parameter})`, {
    [parameter]: columnCipher().storedForms(spec, plaintext),
  });
}
