/**
 * `createSessionManager`: wires the parts of the session lifecycle together and hands out the public
 * object. Loading lives in `session-load.ts`; what a commit does is decided by `planCommit`
 * (`commit-plan.ts`) and carried out by `commit-executor.ts`; owner-wide operations are in
 * `owner-admin.ts`; how the session travels in the cookie is the `SessionTokenCodec`.
 */
import { BoundedCache } from "./bounded-cache.js";
import { CommitExecutor } from "./commit-executor.js";
import { type CommitPolicy, planCommit } from "./commit-plan.js";
import { SetCookieWriter } from "./cookie-header.js";
import { configError, formatMessage, SessionError } from "./errors.js";
import { EventHub } from "./event-hub.js";
import type { SessionEventListener } from "./events.js";
import { Keyring } from "./keyring.js";
import { LoginTokenFlow, withLoginTokens } from "./login-token-flow.js";
import { memoryStore } from "./memory-store.js";
import { type ResolvedOptions, resolveOptions, type SessionManagerOptions } from "./options.js";
import { OwnerAdmin, type SessionSummary } from "./owner-admin.js";
import type { RequestPort, ResponsePort } from "./ports.js";
import { warnAboutDefaultStore } from "./runtime-warnings.js";
import { type Session, type SessionContext, type SessionData, SessionHandle, type SessionState } from "./session.js";
import { generateSessionId, isSessionIdShape } from "./session-id.js";
import { SessionLoader } from "./session-load.js";
import { sessionTokenCodecFor } from "./session-token-codec.js";
import type { Store } from "./store.js";
import { StoreCaller } from "./store-call.js";
import { assertStore } from "./store-validation.js";
import { CUSTOM_ID_SHAPE, TokenCodec } from "./token-format.js";

export type { SessionSummary } from "./owner-admin.js";

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

/** Sessions whose last write time a manager remembers for touch de-duplication (a small entry each). */
const RECENT_WRITES_SIZE = 10_000;
/** The settled promise an idle commit returns. */
const DONE: Promise<void> = Promise.resolve();

/**
 * Creates a session manager. Validates every option now, so configuration mistakes throw
 * `INVALID_CONFIG` at startup, and prepares the signing keys once.
 */
export function createSessionManager<Data extends SessionData = SessionData>(options: SessionManagerOptions): SessionManager<Data> {
  const resolved = resolveOptions(options);
  const store = options.store ?? memoryStore({ now: resolved.now });
  assertStore(store);
  const keyring = new Keyring(resolved.secrets);
  const now = resolved.now;
  const generateId = resolved.generateId;
  // Sessions carried over from a foreign token keep their ID, so their Tessera tokens carry it too.
  const isIdShape = generateId || resolved.tokenFormats.length > 0 ? (id: string) => CUSTOM_ID_SHAPE.test(id) : isSessionIdShape;
  const tokens = new TokenCodec(keyring, isIdShape, resolved.tokenFormats, resolved.writeTokenFormat);
  const codec = sessionTokenCodecFor(store, resolved, keyring, tokens, isIdShape);
  const events = new EventHub(options.onEvent);
  // An in-process store cannot hang, so its calls skip the timeout machinery.
  const timeoutMs = store.capabilities.inProcess === true ? 0 : resolved.storeTimeoutMs;
  const caller = new StoreCaller(store, timeoutMs, (operation, error) =>
    events.emit(() => ({ type: "store-error", at: now(), operation, error })),
  );
  const logins = LoginTokenFlow.create({
    store,
    caller,
    emit: (build) => events.emit(build),
    options: resolved,
    carriesRecord: codec.carriesRecord,
  });
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

  /**
   * When this process last wrote each recently written session (epoch ms), so that concurrent
   * read-only requests touch a session once per `touchAfterSeconds`, not once each. Not when the
   * token carries the record: there every response carries its own copy.
   */
  const recentWrites = codec.carriesRecord ? undefined : new BoundedCache<string, number>(RECENT_WRITES_SIZE);
  const policy: CommitPolicy = {
    saveUninitialized: resolved.saveUninitialized,
    resave: resolved.resave,
    touchAfterMs: resolved.touchAfterMs,
    sendOnlyOverHttps: resolved.cookie.sendOnlyOverHttps,
    storePatches: Boolean(store.capabilities.patch),
    storeTouches: Boolean(store.capabilities.touch),
    reissueOnWrite: codec.carriesRecord,
    lastWriteAt: (id) => recentWrites?.get(id),
  };
  const loader = new SessionLoader<Data>({ store, caller, events, codec, options: resolved, context });
  const executor = new CommitExecutor({
    store,
    caller,
    events,
    codec,
    cookies: new SetCookieWriter(resolved.cookie),
    options: resolved,
    policy,
    recentWrites,
  });
  const admin = new OwnerAdmin<Data>({ store, caller, events, codec, options: resolved, isIdShape });

  function stateOf(session: Session<Data>): SessionState<Data> {
    const state = SessionHandle.stateOf<Data>(session);
    if (state === undefined) {
      throw new SessionError("INVALID_ARGUMENT", formatMessage(undefined, "expected a session returned by this manager's load()."));
    }
    return state;
  }

  warnAboutDefaultStore(options.store !== undefined, now(), (build) => events.emit(build));

  return withLoginTokens(logins, stateOf, {
    options: resolved,
    store,
    load: (request) => loader.load(request),
    commit(session, response) {
      const state = stateOf(session);
      const at = now();
      const plan = planCommit(state, at, policy);
      if (plan === null) {
        state.markCommitted();
        return DONE;
      }
      return executor.run(state, plan, response, at);
    },
    needsCommit(session) {
      const state = stateOf(session);
      return state.commitsInFlight > 0 || planCommit(state, now(), policy) !== null;
    },
    async reload(session) {
      return loader.reload(stateOf(session));
    },
    tokenFor: (session) => tokens.sign(stateOf(session).id),
    listSessions: (owner) => admin.listSessions(owner),
    revokeSessions: (owner, revokeOptions) => admin.revokeSessions(owner, revokeOptions?.except, (session) => stateOf(session).id),
    destroySession: (id) => admin.destroySession(id),
    subscribe: (listener) => events.subscribe(listener),
  });
}
