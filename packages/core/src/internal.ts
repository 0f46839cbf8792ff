/**
 * @tessera/core/internal — the helpers Tessera's own adapters and stores share with the core, for
 * Tessera's own packages; no semver guarantee: anything here may change or go in any release.
 * Apps and third-party stores use `@tessera/core`.
 * @module
 */
export { decodeBase64url, encodeBase64url } from "./base64url.js";
export { configError, formatMessage } from "./errors.js";
/** Tessera's metadata inside another session library's record format (for adapters sharing a store). */
export {
  asPlainObject,
  decodeForeignRecord,
  encodeForeignData,
  FOREIGN_META_KEY,
  type ForeignRecordMeta,
  type ForeignRecordTimes,
  finiteNumber,
} from "./foreign-record-meta.js";
/** Reading a URL-encoded form body before the app's parser (adapters' CSRF form field). */
export { FORM_BODY_LIMIT_BYTES, formField, isUrlEncodedForm, readUrlEncodedForm } from "./form-body.js";
export { isForwardedHttps } from "./forwarded-proto.js";
export { checkOptionNames, closestOptionName, type OptionNamesSpec, SHARED_ADAPTER_OPTION_NAMES } from "./option-names.js";
export { isSessionIdShape, SESSION_ID_LENGTH } from "./session-id.js";
export { bindSession, type SessionBinding } from "./session-view.js";
export { backendFailure } from "./unconditional-store.js";
