/**
 * `session(options, app)` for Koa, as koa-session: loads the session before the downstream
 * middleware, exposes it as `ctx.session` (data keys as properties, koa-session's members, and the
 * core's `regenerate`, `destroy`, `reload`, ...), and commits after them. `ctx.session = null`
 * destroys it. koa-session's cookies are read once and moved to Tessera's.
 */
import {
  createSessionManager,
  csrfPolicy,
  type RequestPort,
  type ResponsePort,
  type Session,
  type SessionData,
  type SessionManager,
  type SessionView,
} from "@tessera/core";
import { bindSession, type SessionBinding } from "@tessera/core/internal";
import type { DefaultState, Middleware, ParameterizedContext } from "koa";
import { verifyCsrf } from "./csrf.js";
import { assignedEarly, EarlySession } from "./early-session.js";
import { type LegacySource, legacyMarker, readLegacySession } from "./legacy-cookie.js";
import { type KoaSessionOptions, type KoaSettings, resolveKoaOptions } from "./options.js";
import { RequestScope } from "./request-scope.js";
import { sessionOptionsPrototype, sessionOptionsView } from "./session-options-view.js";
import { type KoaSessionMembers, koaSessionView, setMaxAge } from "./session-view.js";

/** `ctx.session`: the data, the core's members and koa-session's. */
export type KoaSession<Data extends SessionData = SessionData> = SessionView<Data> & KoaSessionMembers;

/** What the middleware adds to Koa's context. */
export interface SessionContext<Data extends SessionData = SessionData> {
  /** The session (never `null` when read: after `ctx.session = null` it is a new, empty session). */
  get session(): KoaSession<Data>;
  /** `null` destroys the session (as in koa-session); an object replaces its data. */
  set session(value: KoaSession<Data> | Partial<Data> | null | undefined);
  /** The options for this request; `maxAge` can be changed per request (see `ctx.session.maxAge`). */
  readonly sessionOptions: Record<string, unknown>;
}

/** The middleware, with the session manager it uses (for `listSessions`, `revokeSessions`, ...). */
export type SessionMiddleware<Data extends SessionData = SessionData> = Middleware<DefaultState, SessionContext<Data>> & {
  readonly manager: SessionManager<Data>;
};

/** What `session(options, app)` needs of the app: its `keys` and its `context` prototype. */
export interface KoaApp {
  use(...args: never[]): unknown;
  keys?: unknown;
  context?: object;
}

type KoaContext = ParameterizedContext<DefaultState, object>;

/** Where a context keeps its request's session (see {@link RequestSession}). */
const SESSION = Symbol("tessera.session");
/** Where a context keeps what was set on `ctx.session` before the middleware ran. */
const EARLY = Symbol("tessera.earlySession");
/** The header name standing for koa-session's `externalKey` in the core's request and response ports. */
const EXTERNAL_KEY_HEADER = "x-tessera-external-key";

/** What every request of one middleware shares. */
interface Shared {
  readonly manager: SessionManager<SessionData>;
  readonly settings: KoaSettings;
  readonly hasStore: boolean;
  /** `<key>=`, the start of the session cookie's `Set-Cookie` lines. */
  readonly cookiePrefix: string;
  readonly optionsPrototype: object;
}

/**
 * One request's session: the core's request and response ports for `ctx`, and what `ctx.session`
 * reads and writes. One object per request, with no closures.
 */
class RequestSession implements RequestPort, ResponsePort {
  readonly cookieHeader: string | null;
  readonly secure: boolean;
  readonly ctx: KoaContext;
  readonly shared: Shared;
  session!: Session<SessionData>;
  binding!: SessionBinding<SessionData>;
  /** `ctx.session`, built on first read. */
  view: KoaSession | undefined;
  /** A koa-session store record this session was moved from, removed once the move is committed. */
  legacyKey: string | undefined;

  constructor(ctx: KoaContext, shared: Shared) {
    this.ctx = ctx;
    this.shared = shared;
    this.cookieHeader = ctx.req.headers.cookie ?? null;
    this.secure = ctx.secure;
  }

  header(name: string): string | null {
    const externalKey = this.shared.settings.externalKey;
    if (externalKey !== undefined && name === EXTERNAL_KEY_HEADER) return externalKey.get(this.ctx) || null;
    return this.ctx.get(name) || null;
  }

  appendSetCookie(line: string): void {
    const { settings, cookiePrefix } = this.shared;
    const ownCookie = line.startsWith(cookiePrefix);
    // With `externalKey`, the key travels there only, as with koa-session.
    if (ownCookie && settings.externalKey !== undefined) return;
    if (ownCookie && settings.overwrite) {
      const existing = this.ctx.response.get("set-cookie") as string | string[] | undefined;
      const lines = typeof existing === "string" ? [existing] : (existing ?? []);
      if (lines.some((l) => l.startsWith(cookiePrefix))) {
        this.ctx.set(
          "set-cookie",
          lines.filter((l) => !l.startsWith(cookiePrefix)),
        );
      }
    }
    this.ctx.append("set-cookie", line);
  }

  setHeader(name: string, value: string): void {
    const externalKey = this.shared.settings.externalKey;
    if (externalKey !== undefined && name === EXTERNAL_KEY_HEADER) externalKey.set(this.ctx, value);
    else this.ctx.set(name, value);
  }

  get hasStore(): boolean {
    return this.shared.hasStore;
  }

  /** `ctx.session`. */
  get koaView(): KoaSession {
    this.view ??= koaSessionView(this) as KoaSession;
    return this.view;
  }

  /** The view the Koa members wrap (the core's). */
  get coreView(): SessionView {
    return this.binding.view;
  }

  /** The commit: `beforeSave`, the core's commit, then the removal of a moved koa-session record. */
  async commit(): Promise<void> {
    const { manager, settings } = this.shared;
    if (settings.beforeSave !== undefined && manager.needsCommit(this.session)) settings.beforeSave(this.ctx, this.koaView);
    await this.binding.commit();
    const legacyKey = this.legacyKey;
    if (legacyKey !== undefined && !this.session.isNew && settings.legacyStore !== undefined) {
      this.legacyKey = undefined;
      await settings.legacyStore.destroy(legacyKey, { ctx: this.ctx });
    }
  }
}

type WithSession = KoaContext & { [SESSION]?: RequestSession; [EARLY]?: EarlySession };

function readSession(this: WithSession): KoaSession | EarlySession {
  const request = this[SESSION];
  if (request !== undefined) return request.koaView;
  // Before the middleware: a session object to set (and read back), as koa-session gives.
  let early = this[EARLY];
  if (early === undefined) {
    early = new EarlySession();
    this[EARLY] = early;
  }
  return early;
}

function writeSession(this: WithSession, value: unknown): void {
  const request = this[SESSION];
  if (request === undefined) {
    this[EARLY] = assignedEarly(value);
    return;
  }
  if (value === null || value === undefined) request.session.destroy();
  else if (value !== request.view && typeof value === "object") {
    request.session.clear();
    Object.assign(request.koaView, value);
  } else if (value !== request.view) {
    assignedEarly(value); // throws INVALID_ARGUMENT, as koa-session refuses anything else
  }
}

/** `ctx.session`: the same two functions for every context, reading the request's session from it. */
const SESSION_PROPERTY: PropertyDescriptor = { configurable: true, enumerable: true, get: readSession, set: writeSession };

/** Where a context's `ctx.sessionOptions` finds the options of the middleware that served it last. */
const OPTIONS_PROTOTYPE = Symbol("tessera.sessionOptionsPrototype");

function readSessionOptions(this: WithSession & { [OPTIONS_PROTOTYPE]?: object }): Record<string, unknown> | undefined {
  const request = this[SESSION];
  if (request !== undefined) return sessionOptionsView(request.shared.optionsPrototype, request.session);
  const prototype = this[OPTIONS_PROTOTYPE];
  return prototype === undefined ? undefined : sessionOptionsView(prototype, undefined);
}

const SESSION_OPTIONS_PROPERTY: PropertyDescriptor = { configurable: true, enumerable: false, get: readSessionOptions };

/**
 * Makes `ctx.session` and `ctx.sessionOptions` read the request's session. Koa builds every
 * context from `app.context`, so the accessors are defined there once per app; a context built
 * some other way, or an app whose `app.context` already has a `session` of someone else's, gets
 * them on the context itself. Returns the prototype that now has them, to be skipped next time.
 */
function exposeSession(target: object, onContext: boolean): boolean {
  const existing = Object.getOwnPropertyDescriptor(target, "session");
  if (!onContext && existing !== undefined && existing.get !== readSession) return false;
  if (existing === undefined || existing.get !== readSession) Object.defineProperty(target, "session", SESSION_PROPERTY);
  if (Object.getOwnPropertyDescriptor(target, "sessionOptions") === undefined) {
    Object.defineProperty(target, "sessionOptions", SESSION_OPTIONS_PROPERTY);
  }
  return true;
}

/** Exposes the accessors for `ctx`; returns the prototype that has them, if that is where they went. */
function exposeFor(ctx: KoaContext): object | undefined {
  const prototype = Object.getPrototypeOf(ctx) as object | null;
  const appContext = (ctx.app as { context?: object } | undefined)?.context;
  if (prototype !== null && prototype === appContext && exposeSession(prototype, false)) {
    const own = Object.getOwnPropertyDescriptor(ctx, "session");
    // A plain `session` set on the context before the accessor existed: taken as an early session.
    if (own !== undefined && "value" in own) {
      delete (ctx as { session?: unknown }).session;
      (ctx as WithSession)[EARLY] = assignedEarly(own.value);
    }
    return prototype;
  }
  exposeSession(ctx, true);
  return undefined;
}

/** Applies what was set on `ctx.session` before the middleware ran. */
function applyEarly(request: RequestSession, early: EarlySession): void {
  const { replaced, destroyed, maxAge, data } = EarlySession.changes(early);
  if (destroyed) request.session.destroy();
  else if (replaced) request.session.clear();
  if (maxAge !== undefined) setMaxAge(request.session, maxAge);
  Object.assign(request.koaView, data);
}

/** Moves a session koa-session issued (its cookie, or its store record) into the loaded new session. */
async function adoptLegacy(request: RequestSession, source: LegacySource, now: number): Promise<void> {
  const legacy = await readLegacySession(request.ctx as never, source, now);
  // koa-session's signature cookie is never Tessera's: it goes, whatever the cookie held.
  const { path = "/", domain } = request.shared.settings.manager.cookie ?? {};
  request.ctx.cookies.set(`${source.key}.sig`, null, { signed: false, overwrite: true, path, domain });
  if (legacy === null) return;
  const { valid } = request.shared.settings;
  if (valid !== undefined && !valid(request.ctx, legacy.data)) return;
  if (legacy.maxAge !== undefined) setMaxAge(request.session, legacy.maxAge);
  Object.assign(request.koaView, legacy.data);
  request.legacyKey = legacy.externalKey;
}

function isKoaApp(value: unknown): value is KoaApp {
  return typeof value === "object" && value !== null && typeof (value as { use?: unknown }).use === "function";
}

/**
 * Creates the middleware: `session(options, app)` or `session(app, options)` as koa-session, or
 * `session(options)` with `secrets`. `app.keys` are the secrets when `secrets` is not given.
 * Validates the options now: a mistake throws `INVALID_CONFIG` at startup. Given the app,
 * `ctx.session` exists from then on, also before the middleware runs (for tests that mock it).
 */
export function session<Data extends SessionData = SessionData>(options?: KoaSessionOptions, app?: KoaApp): SessionMiddleware<Data>;
export function session<Data extends SessionData = SessionData>(app: KoaApp, options?: KoaSessionOptions): SessionMiddleware<Data>;
export function session<Data extends SessionData = SessionData>(
  first?: KoaSessionOptions | KoaApp,
  second?: KoaApp | KoaSessionOptions,
): SessionMiddleware<Data> {
  const [options, app] = isKoaApp(first) ? [second as KoaSessionOptions | undefined, first] : [first, second as KoaApp | undefined];
  const scope = new RequestScope();
  const { csrf = false, ...sessionOptions } = options ?? {};
  const csrfChecks = csrf === false ? undefined : csrfPolicy(csrf, "koa");
  const settings = resolveKoaOptions(sessionOptions, app?.keys, () => scope.current());
  const manager = createSessionManager<Data>(
    settings.externalKey === undefined ? settings.manager : { ...settings.manager, headerName: EXTERNAL_KEY_HEADER },
  );
  const shared: Shared = {
    manager: manager as unknown as SessionManager<SessionData>,
    settings,
    hasStore: (manager.store as { kind?: string }).kind !== "sealed-cookie",
    cookiePrefix: `${settings.key}=`,
    optionsPrototype: sessionOptionsPrototype(settings.publicOptions),
  };
  const legacySource: LegacySource = {
    key: settings.key,
    store: settings.legacyStore,
    decode: settings.decode,
    maxAge: settings.maxAge,
    rolling: settings.rolling,
  };
  const marker = legacyMarker(settings.key);
  const now = settings.manager.now ?? Date.now;
  /** The `app.context` that already has the accessors (the usual single app: checked by identity). */
  let exposedOn: object | undefined;
  if (app?.context !== undefined && exposeSession(app.context, false)) {
    exposedOn = app.context;
    (app.context as { [OPTIONS_PROTOTYPE]?: object })[OPTIONS_PROTOTYPE] = shared.optionsPrototype;
  }

  const handle = async (context: WithSession, next: () => Promise<unknown>): Promise<void> => {
    const request = new RequestSession(context, shared);
    const loaded = await manager.load(request);
    request.session = loaded as unknown as Session<SessionData>;
    request.binding = bindSession(manager, loaded, request) as unknown as SessionBinding<SessionData>;
    if (Object.getPrototypeOf(context) !== exposedOn || Object.hasOwn(context, "session")) {
      exposedOn = exposeFor(context) ?? exposedOn;
    }
    context[SESSION] = request;
    const early = context[EARLY];
    if (loaded.isNew && request.cookieHeader?.includes(marker)) await adoptLegacy(request, legacySource, now());
    else if (!loaded.isNew && settings.valid !== undefined && !settings.valid(context, loaded.toJSON())) {
      context.app.emit("session:invalid", { key: settings.key, value: loaded.toJSON(), ctx: context });
      loaded.destroy();
    }
    if (early !== undefined) {
      context[EARLY] = undefined;
      applyEarly(request, early);
    }
    if (csrfChecks !== undefined) await verifyCsrf(context, loaded as unknown as Session<SessionData>, csrfChecks);
    // A downstream error skips the commit: Koa answers it with fresh headers, so a cookie set now
    // would be lost while the store kept the change.
    await next();
    if (settings.autoCommit) await request.commit();
  };

  const middleware: Middleware<DefaultState, SessionContext<Data>> = settings.needsScope
    ? (ctx, next) => scope.run(ctx, () => handle(ctx as unknown as WithSession, next))
    : (ctx, next) => handle(ctx as unknown as WithSession, next);
  return Object.assign(middleware, { manager });
}
