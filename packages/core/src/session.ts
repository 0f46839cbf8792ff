/**
 * The per-request session object the app reads and writes, and the change tracking the manager
 * uses to decide the least work at commit.
 *
 * Data lives in a `Map`, so keys such as `__proto__` or `constructor` are ordinary keys that can
 * never alter an object's prototype. Changes are tracked per top-level key by comparing JSON:
 * the first time a key is set, removed, or read while holding an object (which the app may mutate
 * in place), its serialized value is remembered; at commit the current serialization is compared
 * with it. Keys the app never touched are known unchanged without serializing them.
 */
import { csrfSecretBytes, maskCsrfSecret, newCsrfSecret } from "./csrf-token.js";
import { formatMessage, SessionError } from "./errors.js";
import { computeExpiresAt, idleWindowMs } from "./expiry.js";
import { type LoginSessionMeta, takeLoginSessionMeta } from "./login-session-meta.js";
import { CSRF_KEY, FLASH_KEY, isReservedKey, LOGIN_SESSION_KEY, reservedKeyUse } from "./reserved-keys.js";
import { serializeValue, utf8ByteLength } from "./serialize.js";
import type { SessionRecord } from "./store.js";

/** The shape of session data: JSON-serializable values by top-level key. */
export type SessionData = Record<string, unknown>;

/**
 * The session of one request. Typed by `Data`, so `get("cart")` returns `Data["cart"]`.
 * Changes are written by the manager's `commit`; nothing here touches the store.
 */
export interface Session<Data extends SessionData = SessionData> {
  /** The session ID (without signature). Changes after `regenerate()` and `destroy()`. */
  readonly id: string;
  /** True until the session has been stored (a new visitor, or after `regenerate`/`destroy`). */
  readonly isNew: boolean;
  /** Epoch ms when the session was created. */
  readonly createdAt: number;
  /** Epoch ms of the last activity recorded in the store. */
  readonly lastSeenAt: number;
  /** Epoch ms when the session expires if left unused: `min(idle, absolute)`. */
  readonly expiresAt: number;
  /** True when the cookie is persistent (remember-me, or `cookie.persistent`). */
  readonly isPersistent: boolean;
  /** The user the session belongs to (for `listSessions`/`revokeSessions`). Set it at login. */
  owner: string | undefined;
  /** The value stored under `key`, or `undefined`. */
  get<K extends keyof Data & string>(key: K): Data[K] | undefined;
  /** Stores `value` under `key` (JSON-serializable). Setting `undefined` removes the key. */
  set<K extends keyof Data & string>(key: K, value: Data[K] | undefined): this;
  /** Removes `key`. */
  unset<K extends keyof Data & string>(key: K): this;
  /** Whether `key` holds a value. */
  has<K extends keyof Data & string>(key: K): boolean;
  /** The data keys currently set (flash values excluded). */
  keys(): Array<keyof Data & string>;
  /** A shallow copy of all data (flash values excluded). */
  toJSON(): Partial<Data>;
  /** Removes every key, including pending flash values. The session itself stays. */
  clear(): this;
  /** Stores a value that the next `flash(key)` reads once and removes. */
  flash(key: string, value: unknown): this;
  /** Reads and removes the flash value stored under `key`. */
  flash<T = unknown>(key: string): T | undefined;
  /**
   * Moves the session to a new ID. By default the new session starts empty (no data, owner or
   * remember-me choice), as with express-session, so nothing planted before a login survives it;
   * `{ keepData: true }` carries everything over. The old record is destroyed at commit, and the
   * old cookie is replaced (or cleared, when the new session ends up empty). If the old record was
   * already gone at commit (a logout won the race), what was carried over from it is dropped;
   * what the request set after `regenerate()` is kept. Call it at login and on any privilege change.
   */
  regenerate(options?: { keepData?: boolean }): this;
  /**
   * Ends the session: at commit its record is destroyed and the cookie cleared. The object then
   * behaves as a new, empty session, so data set afterwards (a "logged out" flash) starts a new one.
   */
  destroy(): this;
  /**
   * `true`: persistent cookie and an idle window of `rememberMeSeconds`; a number: the same with
   * that many seconds; `false`: a browser-session cookie with the default idle timeout.
   * Stored per session.
   */
  rememberMe(value: boolean | number): this;
  /** Forces the next commit to refresh `lastSeenAt` (and a persistent cookie's Max-Age). */
  touch(): this;
  /**
   * A CSRF token for a form field or a request header, checked by the adapters' `csrf` option.
   * The first call creates the session's CSRF secret (so the session is stored, also before a
   * login); every call masks it with new random bytes, so two tokens never look alike.
   * `regenerate()` and `destroy()` replace the secret: render tokens after a login again.
   */
  csrfToken(): string;
  /**
   * Gives this browser a persistent login token at commit ("remember me" that survives the session):
   * when a later request has no live session, the token logs the owner back in. Call it after a
   * login (`regenerate()`, then `owner = id`). Needs an owner (`INVALID_ARGUMENT`) and the manager
   * option `loginTokens` (`INVALID_CONFIG`).
   */
  issueLoginToken(): this;
  /**
   * True when this session was created from a login token rather than by a login (until the next
   * `regenerate()`): ask for the password again before sensitive actions.
   */
  readonly restoredFromLoginToken: boolean;
}

/** The settings a session needs from its manager. */
export interface SessionContext {
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  readonly rememberMeSeconds: number;
  readonly persistentByDefault: boolean;
  readonly newId: () => string;
  /** Login tokens are configured (the manager option `loginTokens`). @default false */
  readonly loginTokens?: boolean;
}

/** How the token reached the server: it is answered the same way. */
export type TokenTransport = "cookie" | "header";

/** What one commit is writing, handed over by `beginWrite()`. */
export interface PendingWrite {
  /** Serialized value (or `undefined` when absent) before the change, per touched key. */
  readonly baseline: ReadonlyMap<string, string | undefined>;
  readonly metaChanged: boolean;
  readonly forceTouch: boolean;
}

/** The changed keys of a session, as computed at commit. */
export interface DataChanges {
  readonly set: Record<string, unknown>;
  readonly unset: string[];
}

/** Why an ID's record is destroyed at commit. */
export interface PendingDestroy {
  readonly id: string;
  readonly reason: "destroy" | "expired";
  /** The ID a `regenerate()` moved the session away from: its data was carried over from it. */
  readonly movedFrom: boolean;
}

/**
 * The manager's bookkeeping and the change tracking of one session. The app never holds this
 * object: it holds the {@link SessionHandle} that {@link SessionState.handle} returns, which keeps
 * this in a private field, so nothing the app can inspect, serialize or walk reaches it.
 */
export class SessionState<Data extends SessionData = SessionData> {
  readonly #context: SessionContext;
  #id: string;
  #data: Map<string, unknown>;
  /** Serialized value (or `undefined` when absent) of each key at load, for keys the app touched. */
  #baseline = new Map<string, string | undefined>();
  /** Serializations computed during one commit (cleared when it ends or fails). */
  readonly #serializedNow = new Map<string, string>();
  /**
   * After `regenerate({ keepData: true })` of a stored session: the serialized values carried over
   * from the old record, by key, until the move is committed. Keys the request sets afterwards leave it.
   */
  #carried: Map<string, string> | undefined;
  /** The owner and remember-me choice were carried over by a pending move (and not set since). */
  #carriedOwner = false;
  #carriedRememberMe = false;
  /** What the app holds. */
  readonly handle: Session<Data>;

  /** Whether a record for `#id` exists in the store (as far as this request knows). */
  stored: boolean;
  createdAt: number;
  lastSeenAt: number;
  #owner: string | undefined;
  #rememberMeSeconds: number | undefined;
  /** Owner or remember-me changed: needs a whole-record write. */
  metaChanged = false;
  /** IDs whose records must be destroyed at commit (after regenerate/destroy, or when expired). */
  readonly pendingDestroy: PendingDestroy[] = [];
  /** The ID this session had when loaded, while a regenerate is pending (for the event). */
  regeneratedFrom: string | undefined;
  /** The client's token must go: clear it unless a new one is issued. */
  clearToken = false;
  /** The token was signed by an older secret: re-issue it. */
  resign: { fromKid: string } | undefined;
  /** `touch()` was called. */
  forceTouch = false;
  /** How the client sent its token. */
  transport: TokenTransport = "cookie";
  /** The client sent a token (valid or not) with this request. */
  tokenSent = false;
  /** The record as loaded, kept only for sealed-cookie sessions (their `reload` source). */
  loadedRecord: SessionRecord | undefined;
  /** The request arrived over HTTPS (for `secure: "auto"`). */
  requestSecure = false;
  /** A token was already issued in this response (by an earlier commit). */
  tokenIssued = false;
  /** Commits of this session that have started and not yet finished (see `needsCommit`). */
  commitsInFlight = 0;
  /** Login-token bookkeeping, kept out of `#data` so the app never sees it (stored under its reserved key). */
  #login: LoginSessionMeta | undefined;
  /** `issueLoginToken()` was called: the next commit starts a series. */
  loginTokenRequested = false;
  /** The login-token cookie this request carried (set by the manager at load), for logout. */
  loginTokenCarried: string | undefined;
  /** The app called `destroy()` (a logout): the commit also ends the login-token series of this browser. */
  loggedOut = false;

  constructor(context: SessionContext, id: string, record: SessionRecord | null, now: number) {
    this.#context = context;
    this.#id = id;
    this.stored = record !== null;
    if (record === null) {
      this.#data = new Map();
      this.createdAt = now;
      this.lastSeenAt = now;
    } else {
      this.#data = new Map(Object.entries(record.data));
      this.#login = takeLoginSessionMeta(this.#data);
      this.createdAt = record.createdAt;
      this.lastSeenAt = record.lastSeenAt;
      this.#owner = record.owner;
      this.#rememberMeSeconds = record.rememberMeSeconds;
    }
    this.handle = new SessionHandle<Data>(this);
  }

  get id(): string {
    return this.#id;
  }

  get isNew(): boolean {
    return !this.stored;
  }

  get rememberMeSeconds(): number | undefined {
    return this.#rememberMeSeconds;
  }

  get idleWindowMs(): number {
    return idleWindowMs(this.#rememberMeSeconds, this.#context.idleTimeoutMs);
  }

  get expiresAt(): number {
    return computeExpiresAt(this, this.idleWindowMs, this.#context.absoluteTimeoutMs);
  }

  get isPersistent(): boolean {
    const remember = this.#rememberMeSeconds;
    return remember === undefined ? this.#context.persistentByDefault : remember > 0;
  }

  get owner(): string | undefined {
    return this.#owner;
  }

  set owner(value: string | undefined) {
    if (value !== undefined && (typeof value !== "string" || value.length === 0 || value.length > 512)) {
      throw invalid("`session.owner` must be a non-empty string of at most 512 characters, or undefined.");
    }
    this.#carriedOwner = false;
    if (value !== this.#owner) {
      this.#owner = value;
      this.metaChanged = true;
    }
  }

  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    if (key === CSRF_KEY) return undefined;
    const value = this.#data.get(key);
    if (typeof value === "object" && value !== null && !this.#baseline.has(key)) {
      // The app may mutate this object in place; remember how it looked.
      this.#baseline.set(key, baselineOf(key, value));
    }
    return value as Data[K] | undefined;
  }

  set<K extends keyof Data & string>(key: K, value: Data[K] | undefined): this {
    assertDataKey(key);
    if (value === undefined) return this.unset(key);
    this.#remember(key);
    this.#carried?.delete(key);
    this.#data.set(key, value);
    return this;
  }

  unset<K extends keyof Data & string>(key: K): this {
    assertDataKey(key);
    this.#carried?.delete(key);
    if (this.#data.has(key)) {
      this.#remember(key);
      this.#data.delete(key);
    }
    return this;
  }

  has<K extends keyof Data & string>(key: K): boolean {
    return !isReservedKey(key) && this.#data.has(key);
  }

  keys(): Array<keyof Data & string> {
    const keys: string[] = [];
    for (const key of this.#data.keys()) if (!isReservedKey(key)) keys.push(key);
    return keys as Array<keyof Data & string>;
  }

  toJSON(): Partial<Data> {
    const out: Record<string, unknown> = {};
    for (const key of this.keys()) {
      // Object.defineProperty: a "__proto__" key becomes an own property, never a prototype.
      Object.defineProperty(out, key, { value: this.get(key), enumerable: true, writable: true, configurable: true });
    }
    return out as Partial<Data>;
  }

  clear(): this {
    for (const key of this.#data.keys()) this.#remember(key);
    this.#data.clear();
    this.#carried = undefined;
    return this;
  }

  flash<T = unknown>(key: string, ...value: [unknown?]): this | T | undefined {
    if (typeof key !== "string") throw invalid("flash keys must be strings.");
    const bag = this.#data.get(FLASH_KEY) as Record<string, unknown> | undefined;
    if (value.length > 0) {
      this.#remember(FLASH_KEY);
      this.#carried?.delete(FLASH_KEY);
      const next: Record<string, unknown> = { ...bag };
      Object.defineProperty(next, key, { value: value[0], enumerable: true, writable: true, configurable: true });
      this.#data.set(FLASH_KEY, next);
      return this;
    }
    if (bag === undefined || !Object.hasOwn(bag, key)) return undefined;
    this.#remember(FLASH_KEY);
    const { [key]: taken, ...rest } = bag;
    if (Object.keys(rest).length === 0) this.#data.delete(FLASH_KEY);
    else this.#data.set(FLASH_KEY, rest);
    return taken as T;
  }

  regenerate(options?: { keepData?: boolean }): this {
    const keepData = options?.keepData === true;
    // Never carried over: a secret planted with the session before the login would let its planter forge tokens.
    this.#dropCsrfSecret();
    // A login ends "restored from a login token"; the browser's series is kept only with its data.
    this.#setLogin(keepData && this.#login?.series !== undefined ? { series: this.#login.series } : undefined);
    this.loginTokenRequested = false;
    if (this.stored) {
      this.pendingDestroy.push({ id: this.#id, reason: "destroy", movedFrom: true });
      this.regeneratedFrom ??= this.#id;
      this.stored = false;
      // The old token must not outlive its record: clear it unless the new session issues one.
      // (With the sealed-cookie store the old seal would otherwise still carry the old data.)
      this.clearToken = true;
      if (keepData) {
        // Remember what comes from the old record, to drop it if that record turns out to be gone.
        this.#carried = new Map();
        for (const [key, value] of this.#data) this.#carried.set(key, baselineOf(key, value));
        this.#carriedOwner = this.#owner !== undefined;
        this.#carriedRememberMe = this.#rememberMeSeconds !== undefined;
      }
    }
    if (!keepData) {
      this.clear();
      this.#carriedOwner = false;
      this.#carriedRememberMe = false;
      if (this.#owner !== undefined || this.#rememberMeSeconds !== undefined) this.metaChanged = true;
      this.#owner = undefined;
      this.#rememberMeSeconds = undefined;
    }
    this.#id = this.#context.newId();
    return this;
  }

  destroy(): this {
    if (this.stored) {
      this.pendingDestroy.push({ id: this.#id, reason: "destroy", movedFrom: false });
      this.stored = false;
    }
    this.regeneratedFrom = undefined;
    this.clearToken = true;
    this.resign = undefined;
    this.#data.clear();
    this.#baseline.clear();
    this.#carried = undefined;
    this.#carriedOwner = false;
    this.#carriedRememberMe = false;
    this.#owner = undefined;
    this.#rememberMeSeconds = undefined;
    this.metaChanged = false;
    this.#login = undefined;
    this.loginTokenRequested = false;
    this.#id = this.#context.newId();
    return this;
  }

  rememberMe(value: boolean | number): this {
    let seconds: number;
    if (value === true) seconds = this.#context.rememberMeSeconds;
    else if (value === false) seconds = 0;
    else if (typeof value === "number" && Number.isFinite(value) && value > 0) seconds = value;
    else throw invalid(`rememberMe() takes true, false or a positive number of seconds, got ${String(value)}.`);
    this.#carriedRememberMe = false;
    if (seconds !== this.#rememberMeSeconds) {
      this.#rememberMeSeconds = seconds;
      this.metaChanged = true;
    }
    return this;
  }

  touch(): this {
    this.forceTouch = true;
    return this;
  }

  /** The session's CSRF secret; when there is none, `create` makes one (stored with the session), else `null`. */
  csrfSecret(create: boolean): Uint8Array | null {
    const bytes = csrfSecretBytes(this.#data.get(CSRF_KEY));
    if (bytes !== null || !create) return bytes;
    const text = newCsrfSecret();
    this.#remember(CSRF_KEY);
    this.#carried?.delete(CSRF_KEY);
    this.#data.set(CSRF_KEY, text);
    return csrfSecretBytes(text);
  }

  #dropCsrfSecret(): void {
    if (!this.#data.has(CSRF_KEY)) return;
    this.#remember(CSRF_KEY);
    this.#data.delete(CSRF_KEY);
  }

  issueLoginToken(): this {
    if (this.#context.loginTokens !== true) {
      throw new SessionError(
        "INVALID_CONFIG",
        formatMessage(undefined, "issueLoginToken() needs login tokens turned on: set the manager option `loginTokens` (e.g. `{}`)."),
      );
    }
    if (this.#owner === undefined) throw invalid("issueLoginToken() needs `session.owner` set first (the user the token logs back in).");
    this.loginTokenRequested = true;
    return this;
  }

  get restoredFromLoginToken(): boolean {
    return this.#login?.restored === true;
  }

  /** The selector of the login-token series this session's browser holds, if known. */
  get loginSeries(): string | undefined {
    return this.#login?.series;
  }

  /** Records the session's login-token bookkeeping (written with the record at the next commit). */
  markLogin(meta: LoginSessionMeta | undefined): void {
    this.#setLogin(meta);
  }

  #setLogin(meta: LoginSessionMeta | undefined): void {
    if (meta?.restored === this.#login?.restored && meta?.series === this.#login?.series) return;
    this.#login = meta;
    this.metaChanged = true;
  }

  // ---- for the manager ----

  /**
   * The record a pending move carried data from was already gone (destroyed or revoked by another
   * request): drops what came from it, keeping what the request set after `regenerate()`. A carried
   * object the request mutated in place since counts as set by the request.
   */
  dropCarried(): void {
    if (this.#carried !== undefined) {
      for (const [key, json] of this.#carried) {
        if (this.#data.has(key) && baselineOf(key, this.#data.get(key)) === json) this.#data.delete(key);
      }
    }
    if (this.#carriedOwner) this.#owner = undefined;
    if (this.#carriedRememberMe) this.#rememberMeSeconds = undefined;
    this.#carried = undefined;
    this.#carriedOwner = false;
    this.#carriedRememberMe = false;
  }

  /**
   * True when a data key the app touched (set, unset, or read an object) since the last write now
   * differs from what the store holds, compared by serialization as `changes()` does. Nothing is
   * cached: the app may still mutate the values before the commit. A value that cannot be
   * serialized counts as changed, so that the commit reports it.
   */
  hasChangedKeys(): boolean {
    for (const [key, before] of this.#baseline) {
      if (!this.#data.has(key)) {
        if (before !== undefined) return true;
        continue;
      }
      try {
        if (serializeValue(key, this.#data.get(key)) !== before) return true;
      } catch {
        return true;
      }
    }
    return false;
  }

  /** True when the session holds no data, no owner and no remember-me choice. */
  get isEmpty(): boolean {
    return this.#data.size === 0 && this.#owner === undefined && this.#rememberMeSeconds === undefined;
  }

  /**
   * Starts a write: hands over what changed so far (the baseline of touched keys and the meta
   * flags) and starts a fresh baseline, so changes the app makes while the write is in flight are
   * tracked for the next commit instead of being lost. Pass the result to `changes()`, and to
   * `abortWrite()` if the write fails.
   */
  beginWrite(): PendingWrite {
    const pending: PendingWrite = { baseline: this.#baseline, metaChanged: this.metaChanged, forceTouch: this.forceTouch };
    this.#baseline = new Map();
    this.#serializedNow.clear();
    this.metaChanged = false;
    this.forceTouch = false;
    return pending;
  }

  /** A write failed: what it carried is still unsaved. Its baseline wins (it is what the store holds). */
  abortWrite(pending: PendingWrite): void {
    for (const [key, before] of pending.baseline) this.#baseline.set(key, before);
    this.metaChanged ||= pending.metaChanged;
    this.forceTouch ||= pending.forceTouch;
  }

  /**
   * The keys whose serialized value differs from `pending`'s baseline, with their new values, or
   * `null` when nothing changed. Only keys the app touched are serialized.
   */
  changes(pending: PendingWrite): DataChanges | null {
    if (pending.baseline.size === 0) return null;
    let set: Record<string, unknown> | undefined;
    let unset: string[] | undefined;
    for (const [key, before] of pending.baseline) {
      const present = this.#data.has(key);
      const after = present ? this.#serialized(key) : undefined;
      if (after === before) continue;
      if (present) {
        set ??= Object.create(null) as Record<string, unknown>;
        set[key] = this.#data.get(key);
      } else {
        unset ??= [];
        unset.push(key);
      }
    }
    return set === undefined && unset === undefined ? null : { set: set ?? {}, unset: unset ?? [] };
  }

  /**
   * Bytes of the serialized data (UTF-8 of keys and JSON values). Reuses the serializations
   * `changes()` made, so a write serializes each key once.
   */
  payloadBytes(): number {
    let bytes = 2;
    for (const key of this.#data.keys()) bytes += utf8ByteLength(key) + utf8ByteLength(this.#serialized(key)) + 4;
    return bytes;
  }

  /**
   * The whole data object plus its serialized size in bytes. Keys are defined as own properties,
   * so `__proto__` stays data.
   */
  snapshot(): Record<string, unknown> {
    const data: Record<string, unknown> = {};
    for (const [key, value] of this.#data) {
      Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
    }
    if (this.#login !== undefined) data[LOGIN_SESSION_KEY] = { ...this.#login };
    return data;
  }

  /** Builds the record to store, recording activity at `now`. */
  toRecord(now: number): SessionRecord {
    this.lastSeenAt = now;
    return this.currentRecord();
  }

  /** The record as the current state describes it (no activity recorded). */
  currentRecord(): SessionRecord {
    const record: SessionRecord = {
      data: this.snapshot(),
      createdAt: this.createdAt,
      lastSeenAt: this.lastSeenAt,
      expiresAt: this.expiresAt,
    };
    if (this.#owner !== undefined) record.owner = this.#owner;
    if (this.#rememberMeSeconds !== undefined) record.rememberMeSeconds = this.#rememberMeSeconds;
    return record;
  }

  /** Replaces the ID (after a create collision). */
  reassignId(): void {
    this.#id = this.#context.newId();
  }

  /** Replaces the whole state with a record freshly read from the store (`reload`). */
  resetTo(record: SessionRecord): void {
    this.#data = new Map(Object.entries(record.data));
    this.#login = takeLoginSessionMeta(this.#data);
    this.#baseline.clear();
    this.createdAt = record.createdAt;
    this.lastSeenAt = record.lastSeenAt;
    this.#owner = record.owner;
    this.#rememberMeSeconds = record.rememberMeSeconds;
    this.metaChanged = false;
    this.forceTouch = false;
    this.stored = true;
  }

  /**
   * After a successful commit. The baseline is not cleared: since `beginWrite()` it only holds
   * keys touched while the write was in flight, which the next commit must still compare.
   */
  markCommitted(): void {
    this.#serializedNow.clear();
    this.#carried = undefined;
    this.#carriedOwner = false;
    this.#carriedRememberMe = false;
    this.pendingDestroy.length = 0;
    this.regeneratedFrom = undefined;
    this.clearToken = false;
    this.resign = undefined;
  }

  /** JSON of the current value of `key`, cached until the next commit (values are not mutated meanwhile). */
  #serialized(key: string): string {
    let json = this.#serializedNow.get(key);
    if (json === undefined) {
      json = serializeValue(key, this.#data.get(key));
      this.#serializedNow.set(key, json);
    }
    return json;
  }

  #remember(key: string): void {
    if (this.#baseline.has(key)) return;
    const present = this.#data.has(key);
    this.#baseline.set(key, present ? baselineOf(key, this.#data.get(key)) : undefined);
  }
}

/** Node's `util.inspect` hook, by its registry name (no `node:util` import: the core is Web-standard). */
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The {@link Session} the app holds: every member delegates to the session's state, which sits in a
 * private field, so logging, serializing or walking the object shows the session and nothing of
 * the manager (its secrets, its bookkeeping).
 */
export class SessionHandle<Data extends SessionData = SessionData> implements Session<Data> {
  readonly #state: SessionState<Data>;

  constructor(state: SessionState<Data>) {
    this.#state = state;
  }

  /** The state behind a handle this module made, or `undefined` for any other value. */
  static stateOf<Data extends SessionData>(value: unknown): SessionState<Data> | undefined {
    return value instanceof SessionHandle ? (value.#state as SessionState<Data>) : undefined;
  }

  get id(): string {
    return this.#state.id;
  }
  get isNew(): boolean {
    return this.#state.isNew;
  }
  get createdAt(): number {
    return this.#state.createdAt;
  }
  get lastSeenAt(): number {
    return this.#state.lastSeenAt;
  }
  get expiresAt(): number {
    return this.#state.expiresAt;
  }
  get isPersistent(): boolean {
    return this.#state.isPersistent;
  }
  get owner(): string | undefined {
    return this.#state.owner;
  }
  set owner(value: string | undefined) {
    this.#state.owner = value;
  }
  get<K extends keyof Data & string>(key: K): Data[K] | undefined {
    return this.#state.get(key);
  }
  set<K extends keyof Data & string>(key: K, value: Data[K] | undefined): this {
    this.#state.set(key, value);
    return this;
  }
  unset<K extends keyof Data & string>(key: K): this {
    this.#state.unset(key);
    return this;
  }
  has<K extends keyof Data & string>(key: K): boolean {
    return this.#state.has(key);
  }
  keys(): Array<keyof Data & string> {
    return this.#state.keys();
  }
  toJSON(): Partial<Data> {
    return this.#state.toJSON();
  }
  clear(): this {
    this.#state.clear();
    return this;
  }
  flash(key: string, value: unknown): this;
  flash<T = unknown>(key: string): T | undefined;
  flash<T = unknown>(key: string, ...value: [unknown?]): this | T | undefined {
    const result = this.#state.flash<T>(key, ...value);
    return value.length > 0 ? this : (result as T | undefined);
  }
  regenerate(options?: { keepData?: boolean }): this {
    this.#state.regenerate(options);
    return this;
  }
  destroy(): this {
    this.#state.destroy();
    // Only the app's destroy() is a logout; the manager's own (a lost write, a reload) is not.
    this.#state.loggedOut = true;
    return this;
  }
  rememberMe(value: boolean | number): this {
    this.#state.rememberMe(value);
    return this;
  }
  touch(): this {
    this.#state.touch();
    return this;
  }
  csrfToken(): string {
    return maskCsrfSecret(this.#state.csrfSecret(true) as Uint8Array);
  }
  issueLoginToken(): this {
    this.#state.issueLoginToken();
    return this;
  }
  get restoredFromLoginToken(): boolean {
    return this.#state.restoredFromLoginToken;
  }
  /** What `console.log(session)` shows: the public fields and the data. */
  [INSPECT](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    const state = this.#state;
    const shown = { isNew: state.isNew, owner: state.owner, expiresAt: new Date(state.expiresAt), data: state.toJSON() };
    return `Session ${typeof inspect === "function" ? inspect(shown, options) : JSON.stringify(shown)}`;
  }
}

/** Never equal to a serialization: a value that cannot be serialized always counts as changed. */
const UNSERIALIZABLE = "\u0000unserializable";

/**
 * The serialization remembered for a key before the app changes it. A value that cannot be
 * serialized (a store that handed back something JSON cannot hold) does not throw here, where the
 * app only reads: the commit reports it, naming the key.
 */
function baselineOf(key: string, value: unknown): string {
  try {
    return serializeValue(key, value);
  } catch {
    return UNSERIALIZABLE;
  }
}

function assertDataKey(key: string): void {
  if (typeof key !== "string" || key.length === 0) throw invalid("session keys must be non-empty strings.");
  const use = reservedKeyUse(key);
  if (use !== undefined) throw invalid(`the session key "${key}" is reserved for ${use}.`);
}

function invalid(message: string): SessionError {
  return new SessionError("INVALID_ARGUMENT", formatMessage(undefined, message));
}
