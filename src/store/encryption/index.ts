export { isSealed, SEALED_PREFIX } from "./field-cipher.ts";
export { type FieldCodec, plaintextFields, sealedFields } from "./field-codec.ts";
export { openKeyring } from "./key-registry.ts";
export { type ColumnKeyCount, type KeyState, keyStates, keyStatus } from "./key-status.ts";
export type { EncryptionOptions, Keyring, MasterKey } from "./keyring.ts";
export { refreshingDatabase } from "./refreshing-database.ts";
export {
  type RotateOptions,
  type RotationChunk,
  type RotationResult,
  rotateKeys,
} from "./rotate-keys.ts";
export { SEALED_COLUMNS, type SealedField } from "./sealed-columns.ts";
