export type { ContractContext } from './contract-context';
export { makeChat, makeOperator, makeSite, testPassword, uniqueName } from './factories';
export type { RaceSizes } from './invariants.contract';
export { describeRepositoryContract, type ContractDatabase } from './repository-contract';
export { encryptionTestEnvironment } from './encryption-environment';
export { describeStoredFieldWidths, schemaMaxLength, type StoredField } from './schema-widths';
