/**
 * `createSessionManager`: the whole session lifecycle against the two ports. `load` turns a request
 * into a `Session`; `commit` does the least work the changes need and emits `Set-Cookie` lines.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { encodeBase64url } from "./base64url.js";
import { BoundedCache } from "./bounded-cache.js";
import { readCookie, SetCookieWriter } from "./cookie-header.js";
import { configError, formatMessage, SessionError } from "./errors.js";
import type { SessionEvent, SessionEventListener } from "./events.js";
import { computeExpiresAt, expiryReasonAt, idleWindowMs, isTouchDue } from "./expiry.js";
import { Keyring } from "./keyring.js";
import { LoginTokenFlow, withLoginTokens } from "./login-token-flow.js";
import { memoryStore } from "./memory-store.js";
import { type ResolvedOptions, resolveOptions, type SessionManagerOptions } from "./options.js";
import type { RequestPort, ResponsePort } from "./ports.js";
import { cookieTooLarge, isSealedCookieStore, Sealer } from "./sealed-cookie-store.js";
import { utf8ByteLength } from "./serialize.js";
import {
  FLASH_KEY,
  type PendingWrite,
  type Session,
  type SessionContext,
  type SessionData,
  SessionHandle,
  SessionState,
} from "./session.js";
import { generateSessionId, isSessionIdShape } from "./session-id.js";
import type { SessionRecord, Store } from "./store.js";
import { StoreCaller } from "./store-call.js";
import { assertStore } from "./store-validation.js";
import { CUSTOM_ID_SHAPE, TokenCodec } from "./token-format.js";

/** One of an owner's sessions, as `listSessions` returns it. */
export interface SessionSummary<Data extends SessionData = SessionData> {
  /** The session ID (no signature: it cannot be used as a cookie). Pass it to `destroySession`. */
  readonly id: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly expiresAt: number;
  /** Whether the session has a persistent (remember-me) cookie. */
  readonly persistent: boolean;
  readonly data: Partial<Data>;
}

/** What `createSessionManager` returns. */
export interface SessionManager<Data extends SessionData = SessionData> {
  /** The validated options, defaults applied (durations in ms). Adapters read cookie settings here. */
  readonly options: ResolvedOptions;
  /** The store in use. */
  readonly store: Store;
  /**
   * Reads the token from the request, verifies it, fetches and expiry-checks the record, and
   * returns the session. A missing, malformed, tampered or expired token gives a new empty session.
   * Rejects only with a `SessionError` from the store.
   */
  load(request: RequestPort): Promise<Session<Data>>;
  /**
   * Writes what changed (nothing, a touch, a per-key patch, a replace, a create or a destroy) and
   * appends the `Set-Cookie` lines the response needs. Safe to call more than once per request:
   * a second call writes only what changed since the first.
   */
  commit(session: Session<Data>, response: ResponsePort): Promise<void>;
  /**
   * Whether `commit(session)` has anything to do now (a store write, a cookie to send) or a
   * commit of this session is still in flight. Adapters that must hold the response while a
   * commit runs (Express) ask this synchronously, so a read-only request is never held.
   */
  needsCommit(session: Session<Data>): boolean;
  /**
   * Re-reads the session from the store, discarding uncommitted changes. Resolves `false` (and
   * leaves the session empty and new) when the record is gone or expired.
   */
  reload(session: Session<Data>): Promise<boolean>;
  /** The signed token for a session (what the cookie carries), e.g. for an API login response. */
  tokenFor(session: Session<Data>): string;
  /** The live sessions of `owner`. Needs a store with an owner index. */
  listSessions(owner: string): Promise<Array<SessionSummary<Data>>>;
  /**
   * Destroys every session of `owner` except `except` ("log out everywhere else"). Resolves how
   * many were destroyed. Needs a store with an owner index.
   */
  revokeSessions(owner: string, options?: { except?: string | Session<Data> }): Promise<number>;
  /** Destroys one session by ID (from `listSessions`). */
  destroySession(id: string): Promise<void>;
  /** Adds a lifecycle event listener; returns a function that removes it. */
  subscribe(listener: SessionEventListener): () => void;
}

/** Sessions whose last write time a manager remembers for touch de-duplication (about 100 bytes each). */
const RECENT_WRITES_SIZE = 10_000;
/** The settled promise an idle commit returns. */
const DONE: Promise<void> = Promise.resolve();
/** How many fresh IDs `create` tries before giving up (a collision means a broken random source). */
const MAX_CREATE_ATTEMPTS = 3;

/** Fingerprint of a session ID for events: never the ID itself. */
function sessionRef(id: string): string {
  return encodeBase64url(sha256(new TextEncoder().encode(id))).slice(0, 12);
}

/**
 * Creates a session manager. Validates every option now, so configuration mistakes throw
 * `INVALID_CONFIG` at startup, and prepares the signing keys once.
 */
export function createSessionManager<Data extends SessionData = SessionData>(options: SessionManagerOptions): SessionManager<Data> {
  const resolved = resolveOptions(options);
  const store = options.store ?? memoryStore({ now: resolved.now });
  assertStore(store);
  const keyring = new Keyring(resolved.secrets);
  const cookies = new SetCookieWriter(resolved.cookie);
  /** Set when the records travel sealed in the cookie instead of living in a store. */
  const sealer = isSealedCookieStore(store) ? new Sealer(resolved.secrets, resolved.cookie.name, store.maxCookieBytes) : undefined;
  const maxCookieBytes = isSealedCookieStore(store) ? store.maxCookieBytes : Number.POSITIVE_INFINITY;
  if (sealer && resolved.tokenFormats.length > 0) {
    throw configError(
      "`tokenFormats` and `writeTokenFormat` need a server-side store: a foreign token carries only a session ID, and the sealed-cookie store keeps no records.",
      store.name,
    );
  }
  /**
   * When this process last wrote each recently written session (epoch ms), so that concurrent
   * read-only requests touch a session once per `touchAfterSeconds`, not once each. Not for sealed
   * cookies: there every response carries its own copy.
   */
  const recentWrites = sealer ? undefined : new BoundedCache<string, number>(RECENT_WRITES_SIZE);
  const now = resolved.now;
  const listeners: SessionEventListener[] = [];
  if (options.onEvent) listeners.push(options.onEvent);

  const emit = (build: () => SessionEvent): void => {
    if (listeners.length === 0) return;
    const event = build();
    for (const listener of listeners.slice()) listener(event);
  };
  // An in-process store cannot hang, so its calls skip the timeout machinery (a Promise and a timer check each).
  const timeoutMs = store.capabilities.inProcess === true ? 0 : resolved.storeTimeoutMs;
  const caller = new StoreCaller(store, timeoutMs, (operation, error) =>
    emit(() => ({ type: "store-error", at: now(), operation, error })),
  );
  const logins = LoginTokenFlow.create({ store, caller, emit, options: resolved, carriesRecord: sealer !== undefined });

  const generateId = resolved.generateId;
  // Sessions carried over from a foreign token keep their ID, so their Tessera tokens carry it too.
  const isIdShape = generateId || resolved.tokenFormats.length > 0 ? (id: string) => CUSTOM_ID_SHAPE.test(id) : isSessionIdShape;
  const tokens = new TokenCodec(keyring, isIdShape, resolved.tokenFormats, resolved.writeTokenFormat);
  const newId = generateId
    ? () => {
        const id = generateId();
        if (typeof id !== "string" || !CUSTOM_ID_SHAPE.test(id)) {
          throw configError("`generateId` must return 22–128 base64url characters (A-Z a-z 0-9 - _).");
        }
        return id;
      }
    : generateSessionId;

  const context: SessionContext = {
    idleTimeoutMs: resolved.idleTimeoutMs,
    absoluteTimeoutMs: resolved.absoluteTimeoutMs,
    rememberMeSeconds: resolved.rememberMeSeconds,
    persistentByDefault: resolved.cookie.persistent,
    newId,
    loginTokens: logins !== undefined,
  };

  function stateOf(session: Session<Data>): SessionState<Data> {
    const state = SessionHandle.stateOf<Data>(session);
    if (state === undefined) {
      throw new SessionError("INVALID_ARGUMENT", formatMessage(undefined, "expected a session returned by this manager's load()."));
    }
    return state;
  }

  function fresh(at: number, request: RequestPort): SessionState<Data> {
    const state = new SessionState<Data>(context, newId(), null, at);
    state.requestSecure = request.secure === true;
    return state;
  }

  function readToken(request: RequestPort): { token: string; transport: "cookie" | "header" } | null {
    const headerName = resolved.headerName;
    if (headerName !== undefined && request.header) {
      const value = request.header(headerName);
      if (value) return { token: value, transport: "header" };
    }
    const cookie = readCookie(request.cookieHeader, resolved.cookie.name);
    return cookie === null ? null : { token: cookie, transport: "cookie" };
  }

  function assertPayloadFits(state: SessionState<Data>): void {
    const bytes = state.payloadBytes();
    if (bytes > resolved.maxPayloadBytes) {
      throw new SessionError(
        "PAYLOAD_TOO_LARGE",
        formatMessage(
          undefined,
          `the session serializes to ${bytes} bytes, over the ${resolved.maxPayloadBytes}-byte limit (maxPayloadBytes); nothing was written. Keep large data elsewhere and store a reference.`,
        ),
      );
    }
  }

  async function issueToken(state: SessionState<Data>, response: ResponsePort, at: number): Promise<void> {
    const token = sealer ? await sealer.seal(state.id, state.currentRecord()) : tokens.sign(state.id);
    const maxAge = state.isPersistent ? Math.max(0, Math.floor((state.expiresAt - at) / 1000)) : undefined;
    const line = cookies.line(token, maxAge, state.requestSecure);
    if (sealer) {
      const bytes = utf8ByteLength(line);
      if (bytes > maxCookieBytes) throw cookieTooLarge(bytes, maxCookieBytes);
    }
    state.tokenIssued = true;
    if (resolved.headerName !== undefined && response.setHeader) response.setHeader(resolved.headerName, token);
    if (state.transport === "header") return;
    response.appendSetCookie(line);
  }

  function clearToken(state: SessionState<Data>, response: ResponsePort): void {
    if (state.transport === "header") {
      if (resolved.headerName !== undefined && response.setHeader) response.setHeader(resolved.headerName, "");
      return;
    }
    response.appendSetCookie(cookies.clearLine(state.requestSecure));
  }

  async function createRecord(state: SessionState<Data>, at: number): Promise<void> {
    assertPayloadFits(state);
    for (let attempt = 1; ; attempt++) {
      const record = state.toRecord(at);
      const id = state.id;
      if (await caller.call("create", (s) => s.create(id, record))) return;
      if (attempt === MAX_CREATE_ATTEMPTS) {
        throw new SessionError(
          "ID_COLLISION",
          formatMessage(
            store.name,
            `${MAX_CREATE_ATTEMPTS} freshly generated session IDs already existed; check the random source (generateId).`,
          ),
        );
      }
      state.reassignId();
    }
  }

  /**
   * Runs a write to an existing session after noting it in `recentWrites` — before, not after, so
   * that concurrent requests already see it — and takes the note back if the write did not happen.
   */
  async function claimedWrite(id: string, at: number, run: () => Promise<boolean>): Promise<boolean> {
    const previous = recentWrites?.get(id);
    recentWrites?.set(id, at);
    let written = false;
    try {
      written = await run();
      return written;
    } finally {
      if (!written) {
        if (previous === undefined) recentWrites?.delete(id);
        else recentWrites?.set(id, previous);
      }
    }
  }

  /** A write found the record gone: it was destroyed or expired meanwhile. Never bring it back. */
  function lost(state: SessionState<Data>, at: number): void {
    emit(() => ({ type: "write-skipped", at, sessionRef: sessionRef(state.id) }));
    // The session is gone; the object becomes a new empty one (as after destroy()), so a later
    // commit in this request cannot create the old ID again with the old data.
    state.stored = false;
    state.destroy();
    // But the cookie stays: the browser may already hold a newer one (another request's
    // regenerate), and a logout's own response has cleared it already.
    state.clearToken = false;
  }

  /**
   * A `regenerate()` found the record it moves from already gone: another request logged the user
   * out (or revoked the session) first. Nothing carried from it may live on under the new ID, and
   * the cookie stays as it is: that request's response cleared it, or issued a newer one.
   */
  function movedFromGone(state: SessionState<Data>, at: number): void {
    emit(() => ({ type: "write-skipped", at, sessionRef: sessionRef(state.regeneratedFrom ?? state.id) }));
    state.dropCarried();
    if (state.regeneratedFrom !== undefined) state.clearToken = false;
  }

  /**
   * True when a commit has nothing to write and nothing to send — the common read-only request —
   * so it can finish without the async machinery.
   */
  function isIdle(state: SessionState<Data>, at: number): boolean {
    if (state.pendingDestroy.length > 0 || state.clearToken || state.resign !== undefined) return false;
    if (state.metaChanged || state.forceTouch || state.hasChangedKeys()) return false;
    if (!state.stored) return (state.isEmpty && !resolved.saveUninitialized) || cookieWithheld(state);
    return !resolved.resave && !touchIsDue(state, at);
  }

  /** `sendOnlyOverHttps` and a plain-HTTP request: no cookie goes out, so no new session is stored either. */
  function cookieWithheld(state: SessionState<Data>): boolean {
    return resolved.cookie.sendOnlyOverHttps && !state.requestSecure && state.transport === "cookie";
  }

  /** Whether a read-only request should touch: the threshold passed, and no other request touched it meanwhile. */
  function touchIsDue(state: SessionState<Data>, at: number): boolean {
    const window = state.idleWindowMs;
    if (!isTouchDue(at, state.lastSeenAt, window, resolved.touchAfterMs)) return false;
    // Concurrent requests that loaded the same stale lastSeenAt would each touch; the first one
    // this process made is remembered, so the others skip theirs.
    const touchedAt = recentWrites?.get(state.id);
    return touchedAt === undefined || isTouchDue(at, touchedAt, window, resolved.touchAfterMs);
  }

  function commit(session: Session<Data>, response: ResponsePort): Promise<void> {
    const state = stateOf(session);
    const at = now();
    if (isIdle(state, at)) {
      state.markCommitted();
      return DONE;
    }
    return commitWork(state, response, at);
  }

  function needsCommit(session: Session<Data>): boolean {
    const state = stateOf(session);
    return state.commitsInFlight > 0 || !isIdle(state, now());
  }

  async function commitWork(state: SessionState<Data>, response: ResponsePort, at: number): Promise<void> {
    state.commitsInFlight++;
    try {
      // A move destroys the old record before creating the new one, so refuse what cannot be
      // written (a value JSON would change, a payload over the limit) before anything is destroyed.
      if (state.pendingDestroy.length > 0 && !state.isEmpty) assertPayloadFits(state);
      for (const { id, reason, movedFrom } of state.pendingDestroy) {
        const removed = await caller.call("destroy", (s) => s.destroy(id));
        emit(() => ({ type: "destroyed", at, sessionRef: sessionRef(id), reason }));
        if (movedFrom && removed !== true) movedFromGone(state, at);
      }
      state.pendingDestroy.length = 0;

      const pending = state.beginWrite();
      try {
        await write(state, pending, response, at);
      } catch (error) {
        state.abortWrite(pending);
        throw error;
      }
      state.markCommitted();
    } finally {
      state.commitsInFlight--;
    }
  }

  /** The store write (if any) and the cookie a commit needs, from what `pending` carries. */
  async function write(state: SessionState<Data>, pending: PendingWrite, response: ResponsePort, at: number): Promise<void> {
    let issue = false;
    /** A record was written: a sealed cookie carries the record, so it must be re-sealed. */
    let wrote = false;
    if (!state.stored) {
      if ((!state.isEmpty || resolved.saveUninitialized) && !cookieWithheld(state)) {
        await createRecord(state, at);
        recentWrites?.set(state.id, at);
        state.stored = true;
        issue = true;
        wrote = true;
        const from = state.regeneratedFrom;
        if (from !== undefined) {
          emit(() => ({ type: "regenerated", at, sessionRef: sessionRef(state.id), previousRef: sessionRef(from) }));
        } else {
          emit(() => ({ type: "created", at, sessionRef: sessionRef(state.id), owner: state.owner }));
        }
      }
    } else {
      const changes = state.changes(pending);
      const id = state.id;
      if (changes !== null || pending.metaChanged) {
        assertPayloadFits(state);
        // A remember-me change alters the cookie itself (persistent or not), so re-issue it.
        const cookieChanged = pending.metaChanged;
        let written: boolean;
        if (pending.metaChanged || !store.capabilities.patch) {
          const record = state.toRecord(at);
          written = await claimedWrite(id, at, () => caller.call("replace", (s) => s.replace(id, record)));
        } else {
          const expiresAt = computeExpiresAt(
            { createdAt: state.createdAt, lastSeenAt: at },
            state.idleWindowMs,
            resolved.absoluteTimeoutMs,
          );
          const patch = { set: changes?.set ?? {}, unset: changes?.unset ?? [], lastSeenAt: at, expiresAt };
          written = await claimedWrite(id, at, () => caller.call("patch", (s) => (s.patch as NonNullable<Store["patch"]>)(id, patch)));
          if (written) state.lastSeenAt = at;
        }
        if (written) {
          issue = state.isPersistent || cookieChanged;
          wrote = true;
        } else lost(state, at);
      } else if (pending.forceTouch || resolved.resave || touchIsDue(state, at)) {
        // `resave` writes on every request, but the cookie goes out only when a touch was due anyway.
        const cookieDue = pending.forceTouch || touchIsDue(state, at);
        let written: boolean;
        if (store.capabilities.touch) {
          const activity = {
            lastSeenAt: at,
            expiresAt: computeExpiresAt({ createdAt: state.createdAt, lastSeenAt: at }, state.idleWindowMs, resolved.absoluteTimeoutMs),
          };
          written = await claimedWrite(id, at, () => caller.call("touch", (s) => (s.touch as NonNullable<Store["touch"]>)(id, activity)));
          if (written) state.lastSeenAt = at;
        } else {
          const record = state.toRecord(at);
          written = await claimedWrite(id, at, () => caller.call("replace", (s) => s.replace(id, record)));
        }
        if (written) {
          issue = state.isPersistent && cookieDue;
          wrote = true;
          emit(() => ({ type: "touched", at, sessionRef: sessionRef(id) }));
        } else lost(state, at);
      }
    }

    const resign = state.resign;
    if (resign !== undefined && state.stored) {
      issue = true;
      emit(() => ({ type: "re-signed", at, sessionRef: sessionRef(state.id), fromKid: resign.fromKid, toKid: tokens.writeKid }));
    }
    if (sealer !== undefined && wrote) issue = true;
    if (cookieWithheld(state)) return;
    if (issue) await issueToken(state, response, at);
    else if (state.clearToken && (state.tokenSent || state.tokenIssued)) clearToken(state, response);
  }

  async function load(request: RequestPort): Promise<Session<Data>> {
    const at = now();
    const found = readToken(request);
    if (found === null) return fresh(at, request).handle;
    let verified: { id: string; kid: string; signedByOlderKey: boolean } | null;
    let record: SessionRecord | null;
    if (sealer) {
      const opened = await sealer.open(found.token);
      verified =
        opened !== null && isIdShape(opened.id) ? { id: opened.id, kid: opened.kid, signedByOlderKey: opened.sealedByOlderKey } : null;
      record = opened?.record ?? null;
    } else {
      verified = tokens.verify(found.token);
      record = null;
    }
    if (verified === null) {
      emit(() => ({ type: "invalid-token", at, reason: "bad-signature" }));
      return rejected(at, request, found.transport, true).handle;
    }
    const id = verified.id;
    if (!sealer) record = await caller.call("get", (s) => s.get(id));
    if (record === null) {
      emit(() => ({ type: "invalid-token", at, reason: "unknown-session" }));
      return rejected(at, request, found.transport, false).handle;
    }
    assertRecord(record);
    const reason = expiryReasonAt(at, record, idleWindowMs(record.rememberMeSeconds, resolved.idleTimeoutMs), resolved.absoluteTimeoutMs);
    if (reason !== null) {
      emit(() => ({ type: "expired", at, sessionRef: sessionRef(verified.id), reason }));
      const state = rejected(at, request, found.transport, false);
      state.pendingDestroy.push({ id: verified.id, reason: "expired", movedFrom: false });
      return state.handle;
    }
    const state = new SessionState<Data>(context, verified.id, record, at);
    if (sealer) state.loadedRecord = record;
    state.requestSecure = request.secure === true;
    state.tokenSent = true;
    state.transport = found.transport;
    if (verified.signedByOlderKey) state.resign = { fromKid: verified.kid };
    return state.handle;
  }

  /**
   * A fresh session for a request whose token led nowhere. Only a token that failed verification
   * is cleared: a valid one whose record is gone or expired may be older than the cookie the
   * browser holds by now (another request's regenerate answered meanwhile), so it is left alone.
   */
  function rejected(at: number, request: RequestPort, transport: "cookie" | "header", clear: boolean): SessionState<Data> {
    const state = fresh(at, request);
    state.tokenSent = true;
    state.clearToken = clear;
    state.transport = transport;
    return state;
  }

  function assertRecord(record: SessionRecord): void {
    if (
      typeof record !== "object" ||
      typeof record.data !== "object" ||
      record.data === null ||
      !Number.isFinite(record.createdAt) ||
      !Number.isFinite(record.lastSeenAt)
    ) {
      throw new SessionError("STORE_UNAVAILABLE", formatMessage(store.name, "get returned a malformed session record (a store bug)."));
    }
  }

  async function reload(session: Session<Data>): Promise<boolean> {
    const state = stateOf(session);
    const id = state.id;
    // A sealed session has no server copy: reloading goes back to what the request's cookie held.
    const record = !state.stored ? null : sealer ? (state.loadedRecord ?? null) : await caller.call("get", (s) => s.get(id));
    const at = now();
    if (
      record === null ||
      expiryReasonAt(at, record, idleWindowMs(record.rememberMeSeconds, resolved.idleTimeoutMs), resolved.absoluteTimeoutMs) !== null
    ) {
      state.stored = false;
      state.destroy();
      // As for a lost write: the browser may hold a newer cookie by now, so it is not cleared.
      state.clearToken = false;
      return false;
    }
    assertRecord(record);
    state.resetTo(record);
    return true;
  }

  function requireOwnerIndex(method: string): void {
    if (!store.capabilities.ownerIndex || !store.listByOwner || !store.destroyByOwner) {
      throw new SessionError(
        "INVALID_CONFIG",
        formatMessage(store.name, `${method} needs a store with an owner index; this store does not declare capabilities.ownerIndex.`),
      );
    }
  }

  function assertOwner(owner: unknown): asserts owner is string {
    if (typeof owner !== "string" || owner.length === 0) {
      throw new SessionError("INVALID_ARGUMENT", formatMessage(undefined, "owner must be a non-empty string."));
    }
  }

  return withLoginTokens(logins, stateOf, {
    options: resolved,
    store,
    load,
    commit,
    needsCommit,
    reload,
    tokenFor: (session) => tokens.sign(stateOf(session).id),
    async listSessions(owner) {
      assertOwner(owner);
      requireOwnerIndex("listSessions");
      const owned = await caller.call("listByOwner", (s) => (s.listByOwner as NonNullable<Store["listByOwner"]>)(owner));
      const at = now();
      const out: Array<SessionSummary<Data>> = [];
      for (const { id, record } of owned) {
        const window = idleWindowMs(record.rememberMeSeconds, resolved.idleTimeoutMs);
        if (expiryReasonAt(at, record, window, resolved.absoluteTimeoutMs) !== null) continue;
        const { [FLASH_KEY]: _flash, ...data } = record.data;
        out.push({
          id,
          createdAt: record.createdAt,
          lastSeenAt: record.lastSeenAt,
          expiresAt: computeExpiresAt(record, window, resolved.absoluteTimeoutMs),
          persistent: record.rememberMeSeconds === undefined ? resolved.cookie.persistent : record.rememberMeSeconds > 0,
          data: data as Partial<Data>,
        });
      }
      return out.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    },
    async revokeSessions(owner, revokeOptions) {
      assertOwner(owner);
      requireOwnerIndex("revokeSessions");
      const except = revokeOptions?.except;
      const exceptId = except === undefined ? undefined : typeof except === "string" ? except : stateOf(except).id;
      const count = await caller.call("destroyByOwner", (s) =>
        (s.destroyByOwner as NonNullable<Store["destroyByOwner"]>)(owner, exceptId === undefined ? {} : { except: exceptId }),
      );
      emit(() => ({ type: "revoked", at: now(), owner, count }));
      return count;
    },
    async destroySession(id) {
      if (sealer) {
        throw new SessionError(
          "INVALID_CONFIG",
          formatMessage(
            store.name,
            "sealed-cookie sessions live only in the browser and cannot be destroyed on the server; use a server-side store to revoke sessions.",
          ),
        );
      }
      if (typeof id !== "string" || !isIdShape(id)) {
        throw new SessionError(
          "INVALID_ARGUMENT",
          formatMessage(undefined, "destroySession() needs a session ID as returned by listSessions()."),
        );
      }
      await caller.call("destroy", (s) => s.destroy(id));
      emit(() => ({ type: "destroyed", at: now(), sessionRef: sessionRef(id), reason: "revoked" }));
    },
    subscribe(listener) {
      listeners.push(listener);
      return () => {
        const index = listeners.indexOf(listener);
        if (index >= 0) listeners.splice(index, 1);
      };
    },
  });
}
