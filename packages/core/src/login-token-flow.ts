/**
 * Login tokens in the request lifecycle: after `load`, a request without a live session that
 * carries the login cookie is logged back in (a new session with the series' owner, marked
 * restored); at commit, `issueLoginToken()` starts a series, a logout ends the browser's series,
 * and the login cookie is set, rotated or cleared. The series logic itself is `LoginTokenSeries`.
 */
import { readCookie, SetCookieWriter } from "./cookie-header.js";
import { configError, formatMessage, SessionError } from "./errors.js";
import type { SessionEvent } from "./events.js";
import { loginSeriesOf } from "./login-session-meta.js";
import { parseLoginToken, seriesRef } from "./login-token.js";
import type { ResolvedLoginTokenOptions } from "./login-token-options.js";
import { type IssuedLoginToken, LoginTokenSeries } from "./login-token-series.js";
import type { SessionManager } from "./manager.js";
import type { ResolvedOptions } from "./options.js";
import type { RequestPort, ResponsePort } from "./ports.js";
import type { Session, SessionData, SessionState } from "./session.js";
import type { SessionRecord, Store } from "./store.js";
import type { StoreCaller } from "./store-call.js";

/** What the flow works with. */
export interface LoginTokenFlowParts {
  readonly store: Store;
  readonly caller: StoreCaller;
  /** Reports an event to the manager's listeners (`build` runs only when someone listens). */
  readonly emit: (build: () => SessionEvent) => void;
  readonly options: ResolvedOptions;
  /** The session token travels in the record itself (sealed cookies): no server record to check a token against. */
  readonly carriesRecord: boolean;
}

/** What a commit must do with the login cookie of one request. */
type CookieAction = { readonly kind: "issue"; readonly issued: IssuedLoginToken } | { readonly kind: "clear" };

/** Per-request bookkeeping, kept out of the session object. */
interface RequestLogin {
  /** The series this browser holds, as known at load (carried cookie or the session's record). */
  readonly loadedSeries: string | undefined;
  cookie: CookieAction | undefined;
  /** A login cookie was set earlier in this response (by an earlier commit). */
  sent: boolean;
}

export class LoginTokenFlow {
  readonly #parts: LoginTokenFlowParts;
  readonly #settings: ResolvedLoginTokenOptions;
  readonly #series: LoginTokenSeries;
  readonly #cookies: SetCookieWriter;
  readonly #requests = new WeakMap<object, RequestLogin>();

  /** The flow for the manager's options, or `undefined` when login tokens are off. Throws `INVALID_CONFIG`. */
  static create(parts: LoginTokenFlowParts): LoginTokenFlow | undefined {
    const settings = parts.options.loginTokens;
    if (settings === undefined) return undefined;
    if (parts.carriesRecord) {
      throw configError(
        "`loginTokens` needs a server-side store: theft detection compares each token with a record kept on the server, and the sealed-cookie store keeps none. Use a store such as Redis, PostgreSQL or the memory store.",
        parts.store.name,
      );
    }
    return new LoginTokenFlow(parts, settings);
  }

  private constructor(parts: LoginTokenFlowParts, settings: ResolvedLoginTokenOptions) {
    this.#parts = parts;
    this.#settings = settings;
    this.#series = new LoginTokenSeries(parts.store, {
      lifetimeSeconds: settings.lifetimeSeconds,
      graceSeconds: settings.graceSeconds,
      now: parts.options.now,
      run: (operation, run) => parts.caller.call(operation, run),
    });
    // The session cookie's Path, Domain, SameSite and Secure rules; always HttpOnly.
    this.#cookies = new SetCookieWriter({ ...parts.options.cookie, name: settings.cookieName, httpOnly: true });
  }

  /**
   * Called right after the session was loaded: notes the login cookie, and redeems it when the
   * request has no live session, turning the fresh session into the owner's restored one.
   */
  async afterLoad<Data extends SessionData>(state: SessionState<Data>, request: RequestPort): Promise<void> {
    const carried = readCookie(request.cookieHeader, this.#settings.cookieName) ?? undefined;
    state.loginTokenCarried = carried;
    const carriedSelector = carried === undefined ? undefined : parseLoginToken(carried)?.selector;
    const entry: RequestLogin = { loadedSeries: state.loginSeries ?? carriedSelector, cookie: undefined, sent: false };
    if (carried !== undefined || state.loginSeries !== undefined) this.#requests.set(state, entry);
    // With `sendOnlyOverHttps`, a plain-HTTP response could not carry the rotated token: redeeming would strand the browser.
    if (carried === undefined || state.stored || this.#withheld(state)) return;
    const { emit, options } = this.#parts;
    const result = await this.#series.redeem(carried);
    const at = options.now();
    if (result.verdict === "redeemed") {
      state.owner = result.owner;
      state.markLogin({ restored: true, series: result.issued.selector });
      entry.cookie = { kind: "issue", issued: result.issued };
      emit(() => ({
        type: "login-token-redeemed",
        at,
        sessionRef: seriesRef(state.id),
        seriesRef: seriesRef(result.selector),
        owner: result.owner,
        rotated: result.rotated,
      }));
      return;
    }
    entry.cookie = { kind: "clear" };
    if (result.verdict === "theft-suspected") {
      emit(() => ({
        type: "login-token-revoked",
        at,
        reason: "theft-suspected",
        seriesRef: seriesRef(result.selector),
        owner: result.owner,
        ownerRevoked: result.ownerRevoked,
      }));
      if (result.ownerRevoked) emit(() => ({ type: "revoked", at, owner: result.owner, count: result.revokedCount }));
    } else {
      const selector = result.selector;
      emit(() => ({
        type: "login-token-revoked",
        at,
        reason: result.verdict,
        seriesRef: selector === undefined ? undefined : seriesRef(selector),
        owner: undefined,
      }));
    }
  }

  /** Whether the next commit has login-cookie work (a synchronous check for `needsCommit`). */
  pending<Data extends SessionData>(state: SessionState<Data>): boolean {
    return state.loginTokenRequested || (state.loggedOut && this.#requests.has(state)) || this.#requests.get(state)?.cookie !== undefined;
  }

  /**
   * Runs before the session's own commit: starts a requested series, ends the browser's series on a
   * logout, and sends the login cookie. The cookie goes out first, so a failing session write never
   * leaves the browser without the token its series was rotated to.
   */
  async beforeCommit<Data extends SessionData>(state: SessionState<Data>, response: ResponsePort): Promise<void> {
    const { emit, options } = this.#parts;
    let entry = this.#requests.get(state);
    // A logout ends this browser's series: the one it carried, and the one its session knew.
    if (state.loggedOut) {
      state.loggedOut = false;
      if (entry !== undefined) {
        for (const selector of new Set([entry.loadedSeries, parseLoginToken(state.loginTokenCarried ?? "")?.selector])) {
          if (selector === undefined) continue;
          const removed = await this.#series.revokeSelector(selector);
          if (removed) {
            emit(() => ({
              type: "login-token-revoked",
              at: options.now(),
              reason: "logout",
              seriesRef: seriesRef(selector),
              owner: undefined,
            }));
          }
        }
        entry.cookie = { kind: "clear" };
      }
    }
    if (state.loginTokenRequested) {
      state.loginTokenRequested = false;
      const owner = state.owner;
      if (owner === undefined) {
        throw new SessionError(
          "INVALID_ARGUMENT",
          formatMessage(
            undefined,
            "issueLoginToken() was called, but the session has no owner at commit: set `session.owner` and keep it.",
          ),
        );
      }
      if (!this.#withheld(state)) {
        const issued = await this.#series.issue(owner);
        // The browser's previous token is replaced by this one: its series would only linger.
        const replaced = entry?.loadedSeries;
        if (replaced !== undefined && replaced !== issued.selector) await this.#series.revokeSelector(replaced);
        state.markLogin(state.restoredFromLoginToken ? { restored: true, series: issued.selector } : { series: issued.selector });
        entry = { loadedSeries: issued.selector, cookie: { kind: "issue", issued }, sent: entry?.sent ?? false };
        this.#requests.set(state, entry);
        emit(() => ({ type: "login-token-issued", at: options.now(), seriesRef: seriesRef(issued.selector), owner }));
      }
    }
    if (entry === undefined || entry.cookie === undefined) return;
    const cookie = entry.cookie;
    entry.cookie = undefined;
    if (this.#withheld(state)) return;
    if (cookie.kind === "issue") {
      response.appendSetCookie(this.#cookies.line(cookie.issued.token, cookie.issued.maxAgeSeconds, state.requestSecure));
      entry.sent = true;
    } else if (state.loginTokenCarried !== undefined || entry.sent) {
      response.appendSetCookie(this.#cookies.clearLine(state.requestSecure));
      state.loginTokenCarried = undefined;
      entry.sent = false;
    }
  }

  /**
   * Revokes an owner's sessions except one (`revoke` does it) without taking the login token of
   * that session's browser with them: its series is read first and put back after.
   */
  async revokeKeeping(except: { series: string | undefined } | { id: string }, revoke: () => Promise<number>): Promise<number> {
    const { caller } = this.#parts;
    let selector: string | undefined;
    if ("series" in except) selector = except.series;
    else {
      const id = except.id;
      const record: SessionRecord | null = await caller.call("get", (s) => s.get(id));
      selector = record === null || typeof record.data !== "object" || record.data === null ? undefined : loginSeriesOf(record.data);
    }
    const saved = selector === undefined ? null : await this.#series.read(selector);
    const count = await revoke();
    if (saved !== null && selector !== undefined && (await this.#series.restore(selector, saved))) return Math.max(0, count - 1);
    return count;
  }

  /** The series a session's browser holds (for `revokeKeeping`). */
  seriesOf<Data extends SessionData>(state: SessionState<Data>): string | undefined {
    return state.loginSeries ?? this.#requests.get(state)?.loadedSeries;
  }

  #withheld<Data extends SessionData>(state: SessionState<Data>): boolean {
    return this.#parts.options.cookie.sendOnlyOverHttps && !state.requestSecure;
  }
}

/**
 * The manager with login tokens: `load` redeems, `commit` issues/rotates/clears the login cookie,
 * and `revokeSessions` with `except` keeps that session's login token. (The loader treats a series
 * record as an unknown session, and `listSessions` skips series.) Without login tokens it is
 * `manager` itself, so apps that do not use them pay nothing.
 */
export function withLoginTokens<Data extends SessionData>(
  logins: LoginTokenFlow | undefined,
  stateOf: (session: Session<Data>) => SessionState<Data>,
  manager: SessionManager<Data>,
): SessionManager<Data> {
  if (logins === undefined) return manager;
  return {
    ...manager,
    async load(request) {
      const session = await manager.load(request);
      await logins.afterLoad(stateOf(session), request);
      return session;
    },
    commit(session, response) {
      const state = stateOf(session);
      if (!logins.pending(state)) return manager.commit(session, response);
      return logins.beforeCommit(state, response).then(() => manager.commit(session, response));
    },
    needsCommit: (session) => manager.needsCommit(session) || logins.pending(stateOf(session)),
    revokeSessions(owner, options) {
      const except = options?.except;
      if (except === undefined) return manager.revokeSessions(owner, options);
      const keep = typeof except === "string" ? { id: except } : { series: logins.seriesOf(stateOf(except)) };
      return logins.revokeKeeping(keep, () => manager.revokeSessions(owner, options));
    },
  };
}
