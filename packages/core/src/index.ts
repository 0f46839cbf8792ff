/**
 * @tessera/core — the framework-agnostic session lifecycle. Adapters implement the request and
 * response ports; stores implement the store port.
 *
 * @example
 * ```ts
 * import { createSessionManager } from "@tessera/core";
 * const sessions = createSessionManager({ secrets: [env.SESSION_SECRET] });
 * const session = await sessions.load({ cookieHeader: request.headers.get("cookie") });
 * session.set("visits", (session.get("visits") ?? 0) + 1);
 * await sessions.commit(session, { appendSetCookie: (line) => headers.append("set-cookie", line) });
 * ```
 * @module
 */
export {
  type CsrfOptions,
  type CsrfPolicy,
  type CsrfRejection,
  type CsrfRejectReason,
  type CsrfRequest,
  type CsrfResult,
  checkCsrf,
  csrfPolicy,
  csrfRejection,
} from "./csrf.js";
export { isSessionError, SessionError, type SessionErrorCode } from "./errors.js";
export type { EventBase, ExpiryReason, SessionEvent, SessionEventListener, SessionEventType, WarningCode } from "./events.js";
export type { SecretRotation, SecretSet, SecretsOption } from "./keyring.js";
/** Persistent login tokens ("remember me" as a rotating token with theft detection). */
export type { LoginTokenOptions, ResolvedLoginTokenOptions } from "./login-token-options.js";
export { createSessionManager, type SessionManager, type SessionSummary } from "./manager.js";
export { type MemoryStore, type MemoryStoreOptions, memoryStore } from "./memory-store.js";
export { type MigratingStore, type MigratingStoreOptions, migratingStore } from "./migrating-store.js";
export {
  type CookieOptions,
  DEFAULT_TOUCH_FRACTION,
  type ResolvedCookieOptions,
  type ResolvedOptions,
  type SessionManagerOptions,
} from "./options.js";
export type { RequestPort, ResponsePort } from "./ports.js";
export { type SealedCookieStore, type SealedCookieStoreOptions, sealedCookieStore } from "./sealed-cookie-store.js";
export type { Session, SessionData } from "./session.js";
export type {
  SessionCallback,
  SessionCookieView,
  SessionView,
  SessionViewMembers,
} from "./session-view.js";
export type {
  OwnedSession,
  SessionActivity,
  SessionPatch,
  SessionRecord,
  Store,
  StoreCapabilities,
} from "./store.js";
/** Bounds a store's backend calls in time and types their failures (for store authors). */
export { type StoreDeadline, type StoreDeadlineOptions, storeDeadline } from "./store-deadline.js";
export { assertStore } from "./store-validation.js";
export type { ForeignToken, TokenFormat } from "./token-format.js";
export { type UnconditionalBackend, unconditionalStore, type WriteKind } from "./unconditional-store.js";
