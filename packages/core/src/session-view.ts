/**
 * `bindSession`: the session as a plain-looking object, for the frameworks whose users expect one
 * (express-session's `req.session.user = "ann"`, koa-session's `ctx.session.user`). Data keys read
 * and write through the session's `get`/`set`/`unset`, so per-key change tracking still applies;
 * the lifecycle methods persist at once and take an optional Node-style callback, returning a
 * promise without one. Commits made through a binding never overlap.
 */
import { formatMessage, SessionError } from "./errors.js";
import type { SessionManager } from "./manager.js";
import type { ResponsePort } from "./ports.js";
import type { Session, SessionData } from "./session.js";

/** A Node-style callback: `error` is `null` on success. */
export type SessionCallback<T = void> = (error: Error | null, result?: T) => void;

/**
 * The session cookie as express-session's `req.session.cookie` shows it. Lifetimes are in
 * milliseconds, as in express-session.
 */
export interface SessionCookieView {
  /**
   * Milliseconds until a persistent cookie expires, or `null` for a browser-session cookie.
   * Setting a number makes the cookie persistent with that lifetime (it is the session's
   * remember-me lifetime, capped by the absolute timeout); `null` makes it a browser-session cookie.
   */
  maxAge: number | null;
  /** When a persistent cookie expires, or `null`. Setting a `Date` is the same as setting `maxAge`. */
  expires: Date | null;
  /** The lifetime a persistent cookie is given when it is (re-)issued, in ms, or `null`. */
  readonly originalMaxAge: number | null;
  /** The attributes below are the manager's cookie options, the same for every session; assigning one throws `INVALID_ARGUMENT`. */
  readonly httpOnly: boolean;
  readonly path: string;
  readonly domain: string | undefined;
  readonly secure: boolean | "auto";
  readonly sameSite: "lax" | "strict" | "none" | "auto";
  readonly partitioned: boolean;
  readonly priority: "low" | "medium" | "high" | undefined;
}

/** The members a {@link SessionView} has besides the data keys. Their names cannot be data keys. */
export interface SessionViewMembers {
  /** The session ID (changes after `regenerate()` and `destroy()`). */
  readonly id: string;
  /** True until the session has been stored. */
  readonly isNew: boolean;
  /** The user the session belongs to (for `listSessions`/`revokeSessions`). Set it at login. */
  owner: string | undefined;
  /** Cookie lifetime and attributes; set `cookie.maxAge` (ms) for a persistent cookie. */
  readonly cookie: SessionCookieView;
  /**
   * Moves the session to a new ID and persists at once. The new session starts empty, as with
   * express-session; `{ keepData: true }` carries the data over (see `Session.regenerate`).
   */
  regenerate(options?: { keepData?: boolean }): Promise<void>;
  regenerate(callback: SessionCallback): this;
  regenerate(options: { keepData?: boolean }, callback: SessionCallback): this;
  /** Destroys the record and clears the cookie at once; the view then acts as a new empty session. */
  destroy(): Promise<void>;
  destroy(callback: SessionCallback): this;
  /** Persists the changes made so far (the response still commits later changes). */
  save(): Promise<void>;
  save(callback: SessionCallback): this;
  /** Re-reads the session from the store, dropping unsaved changes. Resolves `false` if it is gone. */
  reload(): Promise<boolean>;
  reload(callback: SessionCallback<boolean>): this;
  /** Refreshes the session's activity (and a persistent cookie's lifetime) when the response commits. */
  touch(): Promise<void>;
  touch(callback: SessionCallback): this;
  /** `true`/seconds: persistent cookie (remember me); `false`: browser-session cookie. */
  rememberMe(value: boolean | number): this;
  /**
   * Gives this browser a persistent login token when the response commits (see
   * `Session.issueLoginToken`): call it after the login, once `owner` is set.
   */
  issueLoginToken(): this;
  /** True when the session was created from a login token rather than by a login (until the next `regenerate()`). */
  readonly restoredFromLoginToken: boolean;
  /** Stores a value that the next `flash(key)` reads once. */
  flash(key: string, value: unknown): this;
  /** Reads and removes a flash value. */
  flash<T = unknown>(key: string): T | undefined;
  /** The data, as a plain object (flash values excluded). */
  toJSON(): Record<string, unknown>;
  /** A masked CSRF token for a form field or header (see `Session.csrfToken`); a new one on every call. */
  csrfToken(): string;
}

/**
 * A session as an object: data keys as properties, plus {@link SessionViewMembers}. `Data` may be
 * an interface (adapters let apps declare their data by interface merging).
 */
export type SessionView<Data extends object = SessionData> = Partial<Data> & SessionViewMembers;

/** What {@link bindSession} returns. */
export interface SessionBinding<Data extends SessionData = SessionData> {
  /** The object the app uses (`req.session`, `ctx.session`). */
  readonly view: SessionView<Data>;
  /** Commits now, after any commit the view started; the adapter calls it when the response is ready. */
  commit(): Promise<void>;
}

const MEMBERS: ReadonlySet<string> = new Set([
  "id",
  "isNew",
  "owner",
  "cookie",
  "regenerate",
  "destroy",
  "save",
  "reload",
  "touch",
  "rememberMe",
  "flash",
  "toJSON",
  "issueLoginToken",
  "restoredFromLoginToken",
  "csrfToken",
]);

function invalid(message: string): SessionError {
  return new SessionError("INVALID_ARGUMENT", formatMessage(undefined, message));
}

/**
 * One binding's state. It lives in a private field of the view's Proxy target, so no trap, no
 * property walk and no inspection (which reads a Proxy's target directly) can reach the manager.
 * The cookie view and the methods are built on first use, so a request that only reads and writes
 * data allocates nothing else.
 */
interface BindingState<Data extends SessionData> {
  readonly manager: SessionManager<Data>;
  readonly session: Session<Data>;
  readonly response: ResponsePort;
  /** The proxy over this state (set right after it is created). */
  view: SessionView<Data>;
  /** The last commit or reload started through the binding; `undefined` until the first. */
  tail: Promise<unknown> | undefined;
  cookie: SessionCookieView | undefined;
  members: Record<string, unknown> | undefined;
}

type AnyState = BindingState<SessionData>;

/** Node's `util.inspect` hook, by its registry name (no `node:util` import: the core is Web-standard). */
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * The Proxy target of a view: the handler below is shared by every view and reads the state from
 * here. String keys are answered by the session and by `Object.prototype` only; symbol keys live on
 * the target as on any object.
 */
class ViewTarget {
  readonly #state: AnyState;

  constructor(state: AnyState) {
    this.#state = state;
  }

  static stateOf(target: ViewTarget): AnyState {
    return target.#state;
  }

  /**
   * What `console.log(req.session)` shows: the data. Node calls it with the Proxy as `this` (it
   * inspects a Proxy's target directly), or with the target itself under `showProxy`.
   */
  [INSPECT](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    const data = #state in this ? this.#state.session.toJSON() : (this as unknown as { toJSON(): unknown }).toJSON();
    return `Session ${typeof inspect === "function" ? inspect(data, options) : JSON.stringify(data)}`;
  }
}

const stateOf = ViewTarget.stateOf;

/**
 * Runs `task` after every task queued before it, and never in the caller's tick: a method's commit
 * also carries the changes made right after the call (`view.save(); view.user = "ann"`).
 */
function serialized<T>(state: AnyState, task: () => Promise<T>): Promise<T> {
  const previous = state.tail;
  const run = () => task();
  // The chain only orders tasks; each task's failure goes to its own caller through `result`.
  const result = previous === undefined ? Promise.resolve().then(run) : previous.then(run, run);
  state.tail = result;
  return result;
}

/**
 * The adapter's commit. When nothing was queued through the binding (the usual request), it calls
 * the manager at once: an idle commit then returns an already-settled promise without any chaining.
 */
function commitBinding(state: AnyState): Promise<void> {
  if (state.tail !== undefined) return serialized(state, () => state.manager.commit(state.session, state.response));
  let result: Promise<void>;
  try {
    result = state.manager.commit(state.session, state.response);
  } catch (error) {
    result = Promise.reject(error);
  }
  state.tail = result;
  return result;
}

/** Without a callback: the promise. With one: the callback gets the outcome, outside the promise chain. */
function settle<T>(state: AnyState, task: Promise<T>, callback: SessionCallback<T> | undefined): Promise<T> | SessionView {
  if (callback === undefined) return task;
  if (typeof callback !== "function") throw invalid("the callback must be a function.");
  task.then(
    (result) => queueMicrotask(() => callback(null, result)),
    (error: Error) => queueMicrotask(() => callback(error)),
  );
  return state.view;
}

/** The cookie attributes a view shows: the manager's, the same for every session (read-only). */
const COOKIE_ATTRIBUTES = ["httpOnly", "path", "domain", "secure", "sameSite", "partitioned", "priority"] as const;

function cookieView(state: AnyState): SessionCookieView {
  const session = state.session;
  const now = state.manager.options.now;
  const attributes = state.manager.options.cookie;
  const view = {
    get maxAge() {
      return session.isPersistent ? Math.max(0, session.expiresAt - now()) : null;
    },
    set maxAge(ms: number | null) {
      if (ms === null || ms === undefined) session.rememberMe(false);
      else session.rememberMe(ms / 1000);
    },
    get expires() {
      return session.isPersistent ? new Date(session.expiresAt) : null;
    },
    set expires(date: Date | null) {
      if (date === null || date === undefined || (date as unknown) === false) session.rememberMe(false);
      else if (date instanceof Date) session.rememberMe((date.getTime() - now()) / 1000);
      else throw invalid("`cookie.expires` takes a Date or null.");
    },
    get originalMaxAge() {
      return session.isPersistent ? session.expiresAt - session.lastSeenAt : null;
    },
  } as SessionCookieView;
  for (const name of COOKIE_ATTRIBUTES) {
    Object.defineProperty(view, name, {
      enumerable: true,
      get: () => attributes[name],
      set: () => {
        // Silently ignoring it would send other attributes than the app asked for.
        throw invalid(
          `\`session.cookie.${name}\` cannot be set per session: the store keeps no cookie attributes per session; set it in the cookie options.`,
        );
      },
    });
  }
  return view;
}

/** The lifecycle methods, bound to the state (they work detached too, e.g. `const { save } = view`). */
function methods(state: AnyState): Record<string, unknown> {
  const { manager, session, response } = state;
  const commit = () => manager.commit(session, response);
  return {
    regenerate(options?: { keepData?: boolean } | SessionCallback, callback?: SessionCallback) {
      const [opts, cb] = typeof options === "function" ? [undefined, options] : [options, callback];
      session.regenerate(opts);
      return settle(state, serialized(state, commit), cb);
    },
    destroy(callback?: SessionCallback) {
      session.destroy();
      return settle(state, serialized(state, commit), callback);
    },
    save(callback?: SessionCallback) {
      return settle(state, serialized(state, commit), callback);
    },
    reload(callback?: SessionCallback<boolean>) {
      return settle(
        state,
        serialized(state, () => manager.reload(session)),
        callback,
      );
    },
    touch(callback?: SessionCallback) {
      session.touch();
      return settle(state, Promise.resolve(), callback);
    },
    rememberMe(value: boolean | number) {
      session.rememberMe(value);
      return state.view;
    },
    flash(key: string, ...value: [unknown?]) {
      if (value.length === 0) return session.flash(key);
      session.flash(key, value[0]);
      return state.view;
    },
    toJSON: () => session.toJSON(),
    csrfToken: () => session.csrfToken(),
    issueLoginToken() {
      session.issueLoginToken();
      return state.view;
    },
  };
}

function member(state: AnyState, name: string): unknown {
  if (name === "id") return state.session.id;
  if (name === "isNew") return state.session.isNew;
  if (name === "owner") return state.session.owner;
  if (name === "restoredFromLoginToken") return state.session.restoredFromLoginToken;
  if (name === "cookie") {
    state.cookie ??= cookieView(state);
    return state.cookie;
  }
  state.members ??= methods(state);
  return state.members[name];
}

/** What a non-data string key reads: `Object.prototype`'s members, as on a plain object. */
function inherited(target: ViewTarget, key: string): unknown {
  return Reflect.get(Object.prototype, key, target);
}

/** The one handler every view shares; `target` holds the view's {@link BindingState}. */
const handler: ProxyHandler<ViewTarget> = {
  get(target, key) {
    if (typeof key !== "string") return Reflect.get(target, key);
    const state = stateOf(target);
    if (MEMBERS.has(key)) return member(state, key);
    const session = state.session;
    return session.has(key) ? session.get(key) : inherited(target, key);
  },
  set(target, key, value) {
    if (typeof key !== "string") return Reflect.set(target, key, value);
    if (key === "owner") stateOf(target).session.owner = value;
    else if (MEMBERS.has(key)) throw invalid(`\`session.${key}\` is a session member, not a data key; it cannot be assigned.`);
    else stateOf(target).session.set(key, value);
    return true;
  },
  deleteProperty(target, key) {
    if (typeof key !== "string") return Reflect.deleteProperty(target, key);
    if (key === "owner") stateOf(target).session.owner = undefined;
    else if (MEMBERS.has(key)) throw invalid(`\`session.${key}\` is a session member, not a data key; it cannot be deleted.`);
    else stateOf(target).session.unset(key);
    return true;
  },
  has(target, key) {
    if (typeof key !== "string") return Reflect.has(target, key);
    return MEMBERS.has(key) || stateOf(target).session.has(key);
  },
  ownKeys(target) {
    return [...stateOf(target).session.keys(), ...Reflect.ownKeys(target).filter((key) => typeof key !== "string")];
  },
  getOwnPropertyDescriptor(target, key) {
    if (typeof key !== "string") return Reflect.getOwnPropertyDescriptor(target, key);
    const session = stateOf(target).session;
    if (MEMBERS.has(key) || !session.has(key)) return undefined;
    return { value: session.get(key), writable: true, enumerable: true, configurable: true };
  },
  defineProperty(target, key, descriptor) {
    if (typeof key !== "string") return Reflect.defineProperty(target, key, descriptor);
    if (!("value" in descriptor)) throw invalid("session data properties cannot be accessors.");
    if (MEMBERS.has(key)) throw invalid(`\`session.${key}\` is a session member, not a data key.`);
    stateOf(target).session.set(key, descriptor.value);
    return true;
  },
};

/**
 * Binds `session` to the response it will be committed to and returns its object view.
 * Adapters call it once per request, after `manager.load`.
 */
export function bindSession<Data extends SessionData>(
  manager: SessionManager<Data>,
  session: Session<Data>,
  response: ResponsePort,
): SessionBinding<Data> {
  const state: BindingState<Data> = {
    manager,
    session,
    response,
    view: undefined as unknown as SessionView<Data>,
    tail: undefined,
    cookie: undefined,
    members: undefined,
  };
  const anyState = state as unknown as AnyState;
  // The target inherits from Object.prototype, so `toString` or `hasOwnProperty` work as on any object.
  const view = new Proxy(new ViewTarget(anyState), handler) as unknown as SessionView<Data>;
  state.view = view;
  return { view, commit: () => commitBinding(anyState) };
}
