export { isSealed, SEALED_PREFIX } from "./field-cipher.ts";
export { type FieldCodec, plaintextFields, sealedFields } from "./field-codec.ts";
export { checkKeys } from "./key-registry.ts";
export { type ColumnKeyCount, keyStatus } from "./key-status.ts";
export { createKeyring, type EncryptionOptions, type MasterKey } from "./keyring.ts";
export {
  type RotateOptions,
  type RotationChunk,
  type RotationResult,
  rotateKeys,
} from "./rotate-keys.ts";
export { SEALED_COLUMNS, type SealedField } from "./sealed-columns.ts";
