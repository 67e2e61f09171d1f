export { createDataSource } from './database/data-source.factory';
export { parseDatabaseUrl, type DatabaseOptions } from './database/database-url';
export { dropMysqlDatabase, ensureMysqlDatabase } from './database/ensure-mysql-database';
export { migrate } from './database/migrate';
export { PersistenceError, PersistenceErrorCode } from './database/persistence.error';
export { Database } from './database/database';
export { isUniqueViolation } from './database/transaction';
export {
  ColumnCipher,
  sealedLength,
  type EncryptedColumnSpec,
  type EncryptionKind,
} from './encryption/column-cipher';
export {
  columnCipher,
  encryptedColumns,
  installColumnCipher,
  openColumn,
  sealColumn,
} from './encryption/encrypted-columns';
export { keyCheckName, startColumnEncryption, verifyKeys } from './encryption/key-check';
export {
  countSealedWith,
  countStale,
  rotateColumns,
  type RotationOptions,
  type RotationProgress,
  type RotationSummary,
} from './encryption/key-rotation';
export {
  EncryptionKeyError,
  EncryptionKeyErrorCode,
  generateKeyMaterial,
  KeyRing,
  type KeyFileContent,
} from './encryption/key-ring';
export { loadKeyRing, readKeyFile, writeKeyFile } from './encryption/key-source';
export { openEncryptedDataSource } from './encryption/open-encrypted';
export { entities } from './entities';
export { migrations } from './migrations';
export { createRepositories, type Repositories } from './repositories';
export { PersistenceModule } from './persistence.module';
export { appRepositories } from './app-repositories';

export * from './admin/admin-audit.entity';
export * from './admin/admin-audit.repository';
export * from './blocked-visitors/blocked-visitor.entity';
export * from './blocked-visitors/blocked-visitor.repository';
export * from './canned-responses/canned-response.entity';
export * from './canned-responses/canned-response.repository';
export * from './chats/chat-event.entity';
export * from './chats/chat-event.repository';
export * from './chats/chat-line.entity';
export * from './chats/chat-line.repository';
export * from './chats/chat-statistics.repository';
export * from './chats/chat-routing.entity';
export * from './chats/chat-routing.repository';
export * from './chats/chat-retention.repository';
export * from './jobs/job-lease.entity';
export * from './jobs/job-lease.repository';
export * from './chats/chat-types';
export * from './chats/chat-variable.entity';
export * from './chats/chat-variable.repository';
export * from './chats/chat.entity';
export {
  ChatRepository,
  type AssignResult,
  type ChatNamesRecord,
  type ChatRecord,
  type OpenChatInput,
  type OpenChatResult,
  type TransferResult,
} from './chats/chat.repository';
export * from './operators/named-item.repository';
export * from './operators/operator-role';
export * from './operators/operator-skill.entity';
export * from './operators/operator-status';
export * from './operators/operator.entity';
export * from './operators/operator.repository';
export * from './operators/password-hash';
export * from './presence/agent-presence.entity';
export * from './presence/agent-presence.repository';
export * from './presence/agent-status-event.entity';
export * from './presence/agent-status-reason';
export * from './operators/skill.entity';
export * from './operators/skill.repository';
export * from './operators/user-group.entity';
export * from './operators/user-group.repository';
export * from './sessions/agent-session.entity';
export * from './sessions/agent-session.repository';
export * from './parameters/parameter-audit.entity';
export * from './parameters/parameter.entity';
export * from './parameters/parameter.repository';
export * from './routing/routing-rule.entity';
export * from './routing/routing-rule.repository';
export * from './secrets/secret.entity';
export * from './sso/oidc-login.entity';
export * from './sso/oidc-login.repository';
export * from './sso/oidc-provider.entity';
export * from './sso/oidc-provider.repository';
export * from './secrets/secret.repository';
export * from './sites/site.entity';
export * from './sites/site.repository';
export * from './sites/work-period.entity';
export * from './sites/work-period.repository';
export * from './whatsapp/chat-connector.entity';
export * from './whatsapp/chat-connector.repository';
export * from './whatsapp/webhook-dead-letter.entity';
export * from './whatsapp/webhook-inbox.entity';
export * from './whatsapp/webhook-inbox.repository';
export * from './whatsapp/whatsapp-line.entity';
export * from './whatsapp/whatsapp-line.repository';
export * from './whatsapp/whatsapp-types';
export { columnCapacity, type ColumnCapacity } from './database/column-capacity';
export * from './outbound-webhooks/outbound-webhook.entity';
export * from './outbound-webhooks/outbound-webhook.repository';
export * from './outbound-webhooks/webhook-outbox.entity';
export * from './outbound-webhooks/webhook-outbox.repository';
