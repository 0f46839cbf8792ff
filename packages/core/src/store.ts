/**
 * The store port: where session records live between requests. A store maps these few
 * operations onto one backend; all session rules (expiry, signing, dirty tracking) stay in the core.
 *
 * Keys passed to a store are session IDs the core generated and signed (43 base64url characters);
 * a store adds its own prefix. Timestamps are epoch milliseconds.
 */

/** One session as a store keeps it. Stores treat `data` as opaque JSON. */
export interface SessionRecord {
  /** The app's data: JSON-serializable values by top-level key. */
  data: Record<string, unknown>;
  /** Epoch ms when the session was created; the absolute timeout counts from here. */
  createdAt: number;
  /** Epoch ms of the last recorded activity; the idle timeout counts from here. */
  lastSeenAt: number;
  /**
   * Epoch ms after which the record is worthless: `min(lastSeenAt + idle, createdAt + absolute)`.
   * Stores use it for native expiry (Redis `PEXPIREAT`, a Mongo TTL index).
   */
  expiresAt: number;
  /** The user the session belongs to, for the per-owner index. */
  owner?: string;
  /**
   * Remember-me lifetime chosen for this session, in seconds. A positive number makes the cookie
   * persistent and becomes the session's idle window; `0` means an explicit browser-session
   * cookie; absent means the manager's defaults apply.
   */
  rememberMeSeconds?: number;
}

/** Metadata updated by every write to an existing session. */
export interface SessionActivity {
  /** Epoch ms; the new {@link SessionRecord.lastSeenAt}. */
  lastSeenAt: number;
  /** Epoch ms; the new {@link SessionRecord.expiresAt} (and native TTL). */
  expiresAt: number;
}

/** A per-key delta of a session's data, plus the refreshed activity metadata. */
export interface SessionPatch extends SessionActivity {
  /** Top-level data keys to write, with their new values. */
  set: Record<string, unknown>;
  /** Top-level data keys to remove. */
  unset: string[];
}

/** One entry of a per-owner listing. */
export interface OwnedSession {
  /** The session ID (the store key without prefix). Not a usable cookie: it carries no signature. */
  id: string;
  record: SessionRecord;
}

/** What a store can do, declared as data so the core and the conformance suite can rely on it. */
export interface StoreCapabilities {
  /** `patch` is implemented: per-key deltas instead of whole-record rewrites. */
  readonly patch: boolean;
  /** `touch` is implemented: refresh expiry without rewriting data. */
  readonly touch: boolean;
  /** `listByOwner` and `destroyByOwner` are implemented. */
  readonly ownerIndex: boolean;
  /** The backend expires records by itself from `expiresAt` (without a read). */
  readonly nativeTtl: boolean;
  /**
   * "Only if absent" (`create`) and "only if present" (`replace`/`patch`/`touch`) are atomic on the
   * backend. When false, a write racing a destroy may, rarely, bring a record back until it expires.
   */
  readonly atomicConditionalWrites: boolean;
  /**
   * Optional. Every operation completes in this process without I/O (it cannot hang), so the core
   * skips its `storeTimeoutMs` timer for this store. Only for stores such as the memory store.
   */
  readonly inProcess?: boolean;
}

/**
 * The store port. All methods return promises and reject only when the backend fails; a missing
 * record is `null` or `false`, never an error.
 */
export interface Store {
  /** Short backend name used in error messages, e.g. `"redis"`. */
  readonly name: string;
  readonly capabilities: StoreCapabilities;
  /** The record stored under `id`, or `null`. May return an expired record; the core checks expiry. */
  get(id: string): Promise<SessionRecord | null>;
  /** Writes `record` only if nothing is stored under `id`. Resolves `true` if it wrote. */
  create(id: string, record: SessionRecord): Promise<boolean>;
  /** Overwrites the whole record only if one is stored under `id`. Resolves `true` if it wrote. */
  replace(id: string, record: SessionRecord): Promise<boolean>;
  /** Applies a per-key delta only if a record is stored under `id`. Resolves `true` if it wrote. */
  patch?(id: string, patch: SessionPatch): Promise<boolean>;
  /** Updates `lastSeenAt`/`expiresAt` only, only if present. Resolves `true` if it wrote. */
  touch?(id: string, activity: SessionActivity): Promise<boolean>;
  /**
   * Removes the record. Idempotent. Resolves `true` when it removed a live (unexpired) record and
   * `false` when there was none: `regenerate` carries data over only from a record that still existed.
   */
  destroy(id: string): Promise<boolean>;
  /** The sessions of `owner` (expired ones may be included; the core filters them). */
  listByOwner?(owner: string): Promise<OwnedSession[]>;
  /** Removes every session of `owner` except the ID in `except`; resolves how many it removed. */
  destroyByOwner?(owner: string, options?: { except?: string }): Promise<number>;
  /** Every stored session ID, for maintenance tasks. */
  ids?(): AsyncIterable<string>;
  /** Releases resources the store created itself. Never closes a client the user passed in. */
  dispose?(): Promise<void>;
}
