/**
 * Turning a request into a session: read the token, let the codec verify it, fetch the record
 * (unless the token carries it) and check its expiry. Every way a request ends up without a live
 * session goes through {@link SessionLoader.noLiveSession}.
 */
import { readCookie } from "./cookie-header.js";
import { formatMessage, SessionError } from "./errors.js";
import { type EventHub, sessionRef } from "./event-hub.js";
import { expiryReasonAt, idleWindowMs } from "./expiry.js";
import { isLoginTokenRecord } from "./login-token-series.js";
import type { ResolvedOptions } from "./options.js";
import type { RequestPort } from "./ports.js";
import { type Session, type SessionContext, type SessionData, SessionState, type TokenTransport } from "./session.js";
import type { OpenedToken, SessionTokenCodec } from "./session-token-codec.js";
import type { SessionRecord, Store } from "./store.js";
import type { StoreCaller } from "./store-call.js";

/** The token a request carries, and how it came. */
export interface FoundToken {
  readonly token: string;
  readonly transport: TokenTransport;
}

/**
 * Why a request has no live session: it sent no token (`none`), a token that failed verification
 * (`bad-signature`), a genuine one whose record is gone (`unknown-session`) or expired (`expired`).
 */
export type NoSessionReason = "none" | "bad-signature" | "unknown-session" | "expired";

/** What the loader works with. */
export interface SessionLoaderParts {
  readonly store: Store;
  readonly caller: StoreCaller;
  readonly events: EventHub;
  readonly codec: SessionTokenCodec;
  readonly options: ResolvedOptions;
  readonly context: SessionContext;
}

export class SessionLoader<Data extends SessionData> {
  readonly #parts: SessionLoaderParts;

  constructor(parts: SessionLoaderParts) {
    this.#parts = parts;
  }

  async load(request: RequestPort): Promise<Session<Data>> {
    const { caller, codec, events, options } = this.#parts;
    const at = options.now();
    const found = this.#readToken(request);
    if (found === null) return this.noLiveSession(at, request, null, "none").handle;
    const result = codec.open(found.token);
    // Signed IDs verify synchronously: awaiting them would add a microtask to every read.
    const opened: OpenedToken | null = result !== null && "then" in result ? await result : result;
    if (opened === null) {
      events.emit(() => ({ type: "invalid-token", at, reason: "bad-signature" }));
      return this.noLiveSession(at, request, found, "bad-signature").handle;
    }
    const id = opened.id;
    const record = opened.record ?? (await caller.call("get", (s) => s.get(id)));
    // A login-token series is no session, even under a correctly signed ID.
    if (record === null || isLoginTokenRecord(record)) {
      events.emit(() => ({ type: "invalid-token", at, reason: "unknown-session" }));
      return this.noLiveSession(at, request, found, "unknown-session").handle;
    }
    this.#assertRecord(record);
    const reason = expiryReasonAt(at, record, idleWindowMs(record.rememberMeSeconds, options.idleTimeoutMs), options.absoluteTimeoutMs);
    if (reason !== null) {
      events.emit(() => ({ type: "expired", at, sessionRef: sessionRef(id), reason }));
      const state = this.noLiveSession(at, request, found, "expired");
      state.pendingDestroy.push({ id, reason: "expired", movedFrom: false });
      return state.handle;
    }
    const state = new SessionState<Data>(this.#parts.context, id, record, at);
    // A record that came with the token is the only copy there is: `reload` goes back to it.
    if (opened.record !== undefined) state.loadedRecord = record;
    state.requestSecure = request.secure === true;
    state.tokenSent = true;
    state.transport = found.transport;
    if (opened.signedByOlderKey) state.resign = { fromKid: opened.kid };
    return state.handle;
  }

  /**
   * A fresh session for a request whose token (if any) led nowhere. Only a token that failed
   * verification is cleared: a valid one whose record is gone or expired may be older than the
   * cookie the browser holds by now (another request's regenerate answered meanwhile), so it is
   * left alone.
   */
  noLiveSession(at: number, request: RequestPort, found: FoundToken | null, reason: NoSessionReason): SessionState<Data> {
    const state = new SessionState<Data>(this.#parts.context, this.#parts.context.newId(), null, at);
    state.requestSecure = request.secure === true;
    if (found !== null) {
      state.tokenSent = true;
      state.clearToken = reason === "bad-signature";
      state.transport = found.transport;
    }
    return state;
  }

  /**
   * Re-reads `state`'s record, discarding uncommitted changes. `false` (the session left empty and
   * new) when the record is gone or expired.
   */
  async reload(state: SessionState<Data>): Promise<boolean> {
    const { caller, codec, options } = this.#parts;
    const id = state.id;
    // A record that travels in the token has no server copy: reloading goes back to what the request's token held.
    const record = !state.stored ? null : codec.carriesRecord ? (state.loadedRecord ?? null) : await caller.call("get", (s) => s.get(id));
    const at = options.now();
    if (
      record === null ||
      expiryReasonAt(at, record, idleWindowMs(record.rememberMeSeconds, options.idleTimeoutMs), options.absoluteTimeoutMs) !== null
    ) {
      state.stored = false;
      state.destroy();
      // As for a lost write: the browser may hold a newer cookie by now, so it is not cleared.
      state.clearToken = false;
      return false;
    }
    this.#assertRecord(record);
    state.resetTo(record);
    return true;
  }

  #readToken(request: RequestPort): FoundToken | null {
    const { options } = this.#parts;
    const headerName = options.headerName;
    if (headerName !== undefined && request.header) {
      const value = request.header(headerName);
      if (value) return { token: value, transport: "header" };
    }
    const cookie = readCookie(request.cookieHeader, options.cookie.name);
    return cookie === null ? null : { token: cookie, transport: "cookie" };
  }

  #assertRecord(record: SessionRecord): void {
    if (
      typeof record !== "object" ||
      typeof record.data !== "object" ||
      record.data === null ||
      !Number.isFinite(record.createdAt) ||
      !Number.isFinite(record.lastSeenAt)
    ) {
      throw new SessionError(
        "STORE_UNAVAILABLE",
        formatMessage(this.#parts.store.name, "get returned a malformed session record (a store bug)."),
      );
    }
  }
}
