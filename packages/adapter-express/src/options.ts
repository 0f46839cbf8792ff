/**
 * express-session's option names, with their meanings, translated to the core's options. Where
 * Tessera's default differs (it is the safer one), the JSDoc says so.
 */
import type { IncomingMessage } from "node:http";
import type { CsrfOptions, SessionManagerOptions, Store } from "@tessera/core";
import { checkOptionNames, configError, SHARED_ADAPTER_OPTION_NAMES } from "@tessera/core/internal";
import type { RecordCookieAttributes } from "./compat/record-codec.js";
import { type BridgedStore, bridgeOf, bridgeStore, type ExpressSessionStore, isExpressSessionStore } from "./compat/store-bridge.js";
import { type ExpressSessionSecret, expressSessionCookie } from "./express-session-cookie.js";

/** express-session's `cookie` option. Lifetimes in milliseconds, as in express-session. */
export interface ExpressCookieOptions {
  /**
   * Lifetime of the cookie in ms. Given, every session gets a persistent cookie (`Max-Age`) and,
   * unless `idleTimeoutSeconds` is also given, the session expires after this long unused.
   * Default `null`: a browser-session cookie; `req.session.cookie.maxAge = ms` makes one session
   * persistent ("remember me").
   * @default null
   */
  maxAge?: number | null;
  /**
   * A fixed expiry date; converted once, at startup, to `maxAge` (express-session keeps the date
   * for every session and also advises `maxAge` instead). Giving both is an error.
   * @default null
   */
  expires?: Date | null;
  /**
   * `HttpOnly`.
   * @default true
   */
  httpOnly?: boolean;
  /**
   * `Secure`: `true`, `false` or `"auto"` (when the request is HTTPS, see `proxy`). With `true`,
   * a plain-HTTP request gets no cookie and a session it starts is not stored, as express-session
   * sends no cookie then. Default `"auto"` (express-session: `false`), so HTTPS deployments get
   * `Secure` without config.
   * @default "auto"
   */
  secure?: boolean | "auto";
  /**
   * `SameSite`: `"lax"`, `"strict"`, `"none"`, `true` (= `"strict"`), `false`, or `"auto"` (`None`
   * on an HTTPS request, `Lax` on plain HTTP). Default `"lax"` (express-session: no attribute).
   * `false` also gives `"lax"`: browsers differ on a missing attribute, and Lax is what the major
   * one assumes.
   * @default "lax"
   */
  sameSite?: boolean | "lax" | "strict" | "none" | "auto";
  /**
   * `Domain`.
   * @default undefined (host-only)
   */
  domain?: string;
  /**
   * `Path`. As with express-session, a request whose path is outside it gets no session and no cookie.
   * @default "/"
   */
  path?: string;
  /**
   * `Partitioned` (CHIPS).
   * @default false
   */
  partitioned?: boolean;
  /**
   * `Priority`.
   * @default undefined
   */
  priority?: "low" | "medium" | "high";
}

/**
 * A function of the request. Declared through a method so that a function typed for Express's
 * `Request` (as express-session's types have it) fits as well as one taking Node's `IncomingMessage`.
 */
export type RequestFunction<T> = { bivariant(req: IncomingMessage): T }["bivariant"];

/** Options of `session()`: express-session's, plus Tessera's expiry options. */
export interface SessionOptions
  extends Pick<
    SessionManagerOptions,
    | "idleTimeoutSeconds"
    | "absoluteTimeoutSeconds"
    | "touchAfterSeconds"
    | "rememberMeSeconds"
    | "maxPayloadBytes"
    | "storeTimeoutMs"
    | "headerName"
    | "now"
    | "onEvent"
    | "tokenFormats"
    | "writeTokenFormat"
    | "loginTokens"
  > {
  /**
   * Secret(s) signing the cookie, current first: strings of at least 32 characters or Buffers of at
   * least 16 bytes (express-session sets no minimum). A cookie signed by an older one is accepted
   * and re-issued signed with the first (express-session never re-signs). For a rolling deploy
   * across several processes, `{ current, previous, next }` as in the core (see core's "Rotating
   * secrets"): a `next` secret is accepted but never signs. Required: express-session's fallback to
   * `req.secret` (deprecated there) is not supported.
   */
  secret: ExpressSessionSecret | readonly ExpressSessionSecret[] | ExpressSecretRotation;
  /**
   * Cookie name.
   * @default "connect.sid" (express-session's, so a switched app keeps its users' cookies)
   */
  name?: string;
  /**
   * express-session's deprecated alias of `name`, used when `name` is not given.
   * @deprecated use `name`.
   * @default undefined
   */
  key?: string;
  /**
   * Cookie attributes and lifetime, or a function of the request returning them (called on every
   * request, as express-session does).
   * @default {}
   */
  cookie?: ExpressCookieOptions | RequestFunction<ExpressCookieOptions>;
  /**
   * The format of the cookies written. express-session's signed `s:<id>.<signature>` cookies are
   * always read (signed with any of `secret`); `"express-session"` also writes them, for the phase
   * where express-session processes still serve some requests (see the migration guide).
   * @default "tessera"
   */
  cookieFormat?: "tessera" | "express-session";
  /**
   * Generates session IDs, called with the request as in express-session: 22–128 base64url
   * characters with at least 128 bits of randomness. Default: 32 random bytes.
   * @default undefined
   */
  genid?: RequestFunction<string>;
  /**
   * Trust the reverse proxy's `X-Forwarded-Proto` for `cookie.secure`: `true` trusts it,
   * `false` ignores it, `undefined` follows Express's `trust proxy` setting (`req.secure`).
   * @default undefined
   */
  proxy?: boolean;
  /**
   * Write the session back to the store on every request even when unchanged (a touch, or a whole
   * write on a store without `touch`); the cookie is not re-sent for it. Default `false`
   * (express-session's deprecated default is `true`): Tessera writes only changed keys and slides
   * the idle window itself, so this is only for a store whose TTL must be refreshed on every request.
   * @default false
   */
  resave?: boolean;
  /**
   * Refresh the session and re-send a persistent cookie (full `Max-Age` again) on every request.
   * Default `false`: Tessera already slides the idle window, writing at most once per
   * `touchAfterSeconds` and then re-sending a persistent cookie.
   * @default false
   */
  rolling?: boolean;
  /**
   * Store and send a cookie for a session that holds no data. Default `false` (express-session's
   * deprecated default is `true`): visitors and bots cost no store write and get no cookie.
   * @default false
   */
  saveUninitialized?: boolean;
  /**
   * A Tessera store (`memoryStore()`, `redisStore()` from `@tessera/store-redis`, `mongoStore()`
   * from `@tessera/store-mongo`, `@tessera/store-unstorage`), or an express-session store
   * (connect-redis, connect-pg-simple, connect-mongo, `new session.MemoryStore()`, ...), which is
   * wrapped by the store bridge: records in express-session's format, without per-key writes or
   * protection against a write resurrecting a destroyed session (see the README).
   * @default an in-process memory store
   */
  store?: Store | ExpressSessionStore;
  /**
   * What happens when the app sets `req.session = null` or deletes it: `"keep"` leaves the stored
   * session as it was and ignores this request's changes; `"destroy"` destroys it.
   * @default "keep"
   */
  unset?: "keep" | "destroy";
  /**
   * CSRF protection bound to the session (see docs/csrf.md): `true`, or options. Unsafe requests
   * then need a token from `req.session.csrfToken()` in the `x-csrf-token` header or the `_csrf`
   * field of a URL-encoded form, and are refused (403, a `SessionError` with code
   * `CSRF_REJECTED`, through `next(error)`) when another site sends them.
   * @default false
   */
  csrf?: boolean | CsrfOptions;
}

/** What `session()` needs besides the core's options. */
export interface ExpressSettings {
  readonly manager: SessionManagerOptions;
  readonly proxy: boolean | undefined;
  readonly unset: "keep" | "destroy";
  /** The bridge wrapping an express-session store, or `undefined` for a Tessera store. */
  readonly bridge: BridgedStore | undefined;
}

const SOURCE = "express";

/** express-session's cookie name. */
export const DEFAULT_COOKIE_NAME = "connect.sid";

const COOKIE_OPTION_NAMES = ["maxAge", "expires", "httpOnly", "secure", "sameSite", "domain", "path", "partitioned", "priority"];

const OPTION_NAMES = [
  "secret",
  "name",
  "key",
  "cookie",
  "cookieFormat",
  "genid",
  "proxy",
  "resave",
  "rolling",
  "saveUninitialized",
  "store",
  "unset",
  ...SHARED_ADAPTER_OPTION_NAMES,
];

const AN_ATTRIBUTE = "it is a cookie attribute: give it inside `cookie`, as in express-session.";

/** Names apps bring from other session libraries (and the core's), with what to write instead. */
const UNSUPPORTED_OPTIONS: Readonly<Record<string, string>> = {
  secrets: "the Express adapter takes express-session's `secret` (a string, a Buffer or a list of them).",
  generateId: "the Express adapter takes express-session's `genid(req)`.",
  maxAge: "the lifetime is `cookie.maxAge` (milliseconds), as in express-session, or `idleTimeoutSeconds`.",
  expires: "give `cookie.maxAge` (milliseconds), as in express-session.",
  httpOnly: AN_ATTRIBUTE,
  secure: AN_ATTRIBUTE,
  sameSite: AN_ATTRIBUTE,
  domain: AN_ATTRIBUTE,
  path: AN_ATTRIBUTE,
};

const UNSUPPORTED_COOKIE_OPTIONS: Readonly<Record<string, string>> = {
  name: "the cookie name is the top-level `name` option, as in express-session.",
  encode: "the cookie value is always the signed session ID; express-session ignores `encode` too.",
  signed: "the cookie is always signed with `secret`.",
  persistent: "give `cookie.maxAge` for a persistent cookie, as in express-session.",
};

/**
 * Refuses option names Tessera does not know (naming the closest one) and express-session options
 * it does not support (naming why), for the top level and for `cookie` given as an object.
 */
export function checkExpressOptionNames(options: SessionOptions): void {
  if (typeof options !== "object" || options === null)
    throw configError("session() needs an options object with at least `secret`.", SOURCE);
  checkOptionNames(options, { known: OPTION_NAMES, unsupported: UNSUPPORTED_OPTIONS, source: SOURCE });
  if (typeof options.cookie === "object" && options.cookie !== null) checkCookieOptionNames(options.cookie);
}

/** The check for a `cookie` object (also what a `cookie(req)` function returns). */
export function checkCookieOptionNames(cookie: object): void {
  checkOptionNames(cookie, { known: COOKIE_OPTION_NAMES, unsupported: UNSUPPORTED_COOKIE_OPTIONS, source: `${SOURCE} cookie` });
}

function toSameSite(value: ExpressCookieOptions["sameSite"]): "lax" | "strict" | "none" | "auto" | undefined {
  if (value === true) return "strict";
  if (value === false) return "lax";
  return value;
}

/** The cookie attributes the bridge writes into records, for express-session to read back. */
function recordCookie(
  attributes: Omit<ExpressCookieOptions, "maxAge" | "expires" | "sameSite">,
  sameSite: ExpressCookieOptions["sameSite"],
): RecordCookieAttributes {
  const { secure, ...rest } = attributes;
  // "auto" depends on the request, which a stored record does not know: express-session then omits it.
  return {
    ...rest,
    ...(typeof secure === "boolean" ? { secure } : {}),
    ...(sameSite !== undefined && sameSite !== "auto" ? { sameSite } : {}),
  };
}

/** The core's `{ current, previous, next }` rotation, with express-session's secret forms. */
export interface ExpressSecretRotation {
  /** Signs every new or re-issued cookie. */
  readonly current: ExpressSessionSecret;
  /**
   * Retired secrets: their cookies are still accepted and re-issued signed with `current`.
   * @default []
   */
  readonly previous?: ExpressSessionSecret | readonly ExpressSessionSecret[];
  /**
   * Verify-only secrets about to become current: their cookies are accepted as they are, never re-issued.
   * @default []
   */
  readonly next?: ExpressSessionSecret | readonly ExpressSessionSecret[];
}

/** Smallest Buffer secret: 16 bytes (128 bits), hex-encoded to Tessera's 32-character minimum. */
const MIN_SECRET_BYTES = 16;

/** Secrets by role, as given (strings and Buffers). */
interface SecretRoles {
  readonly current: ExpressSessionSecret;
  readonly previous: readonly ExpressSessionSecret[];
  readonly next: readonly ExpressSessionSecret[];
}

function isRotation(secret: SessionOptions["secret"]): secret is ExpressSecretRotation {
  return typeof secret === "object" && secret !== null && !Array.isArray(secret) && !(secret instanceof Uint8Array);
}

/** The secrets by role: a rotation object as given, a list as `[current, ...previous]`. */
function secretRoles(secret: SessionOptions["secret"]): SecretRoles {
  if (isRotation(secret)) {
    const asList = (value: ExpressSessionSecret | readonly ExpressSessionSecret[] | undefined) =>
      value === undefined ? [] : typeof value === "string" || value instanceof Uint8Array ? [value] : [...value];
    return { current: secret.current, previous: asList(secret.previous), next: asList(secret.next) };
  }
  const [current, ...previous] = secretList(secret);
  return { current: current as ExpressSessionSecret, previous, next: [] };
}

/** The secret list as given (strings and Buffers), current first. */
function secretList(secret: SessionOptions["secret"]): readonly ExpressSessionSecret[] {
  if (secret === undefined)
    throw configError(
      "`secret` is required: a random string of at least 32 characters (or an array, current first); express-session's fallback to `req.secret` (deprecated there) is not supported.",
      SOURCE,
    );
  const list = typeof secret === "string" || secret instanceof Uint8Array ? [secret] : secret;
  if (!Array.isArray(list) || list.length === 0)
    throw configError("`secret` must be a string, a Buffer, or a non-empty array of them (current first).", SOURCE);
  return list;
}

/** A secret as the core's keyring takes it: strings as given, Buffers as hex. */
function tesseraSecret(secret: unknown, index: number): string {
  if (!(secret instanceof Uint8Array)) return secret as string; // the core validates strings (and refuses anything else)
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw configError(`a Buffer secret needs at least ${MIN_SECRET_BYTES} random bytes; secret ${index} has ${secret.byteLength}.`, SOURCE);
  }
  return Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength).toString("hex");
}

/** The token formats: express-session's cookies always read, and written with `cookieFormat: "express-session"`. */
function tokenOptions(
  options: SessionOptions,
  secrets: readonly ExpressSessionSecret[],
  store: Store | undefined,
): Pick<SessionManagerOptions, "tokenFormats" | "writeTokenFormat"> {
  const { cookieFormat = "tessera", tokenFormats = [], writeTokenFormat } = options;
  if (cookieFormat !== "tessera" && cookieFormat !== "express-session")
    throw configError(`\`cookieFormat\` must be "tessera" or "express-session", got ${JSON.stringify(cookieFormat)}.`, SOURCE);
  if (cookieFormat === "express-session" && writeTokenFormat !== undefined)
    throw configError('give `cookieFormat: "express-session"` or `writeTokenFormat`, not both.', SOURCE);
  // The sealed-cookie store keeps no records, so there is nothing a legacy cookie's ID could find.
  if ((store as { kind?: unknown } | undefined)?.kind === "sealed-cookie") {
    if (cookieFormat === "express-session") throw configError('`cookieFormat: "express-session"` needs a server-side store.', SOURCE);
    return { tokenFormats, writeTokenFormat };
  }
  const legacy = expressSessionCookie(secrets);
  return {
    tokenFormats: [legacy, ...tokenFormats],
    writeTokenFormat: cookieFormat === "express-session" ? legacy : writeTokenFormat,
  };
}

/**
 * Validates express-session style options and translates them into the core's. `cookie` must be an
 * object here: a function of the request is resolved per request before (see `request-scope.ts`),
 * and `genid` is then called with the request that request scope provides.
 */
export function resolveExpressOptions(options: SessionOptions): ExpressSettings {
  checkExpressOptionNames(options);
  const {
    secret,
    name,
    key,
    cookie = {},
    cookieFormat: _cookieFormat,
    tokenFormats: _tokenFormats,
    writeTokenFormat: _writeTokenFormat,
    genid,
    proxy,
    resave,
    rolling,
    saveUninitialized,
    store,
    unset = "keep",
    ...tessera
  } = options;
  const roles = secretRoles(secret);
  // express-session's cookies are verified with every secret, current first.
  const secrets = [roles.current, ...roles.previous, ...roles.next];
  if (unset !== "keep" && unset !== "destroy")
    throw configError(`\`unset\` must be "keep" or "destroy", got ${JSON.stringify(unset)}.`, SOURCE);
  if (proxy !== undefined && typeof proxy !== "boolean") throw configError("`proxy` must be true, false or undefined.", SOURCE);
  if (genid !== undefined && typeof genid !== "function") throw configError("`genid` must be a function returning a string.", SOURCE);
  if (key !== undefined && typeof key !== "string") throw configError("`key` (the cookie name) must be a string.", SOURCE);
  if (typeof cookie !== "object" || cookie === null) throw configError("`cookie` must be an object of cookie attributes.", SOURCE);

  const { maxAge: givenMaxAge, expires, sameSite, ...attributes } = cookie;
  if (givenMaxAge != null && expires != null) throw configError("give `cookie.maxAge` or `cookie.expires`, not both.", SOURCE);
  const now = tessera.now ?? Date.now;
  const maxAgeMs = expires instanceof Date ? expires.getTime() - now() : givenMaxAge;
  if (maxAgeMs != null && !(typeof maxAgeMs === "number" && maxAgeMs > 0)) {
    throw configError(
      `\`cookie.maxAge\` must be a positive number of milliseconds (and \`cookie.expires\` a future Date), got ${String(maxAgeMs)}.`,
      SOURCE,
    );
  }
  if (rolling === true && tessera.touchAfterSeconds !== undefined && tessera.touchAfterSeconds !== 0) {
    throw configError("`rolling` writes on every request, which contradicts `touchAfterSeconds`; give one of them.", SOURCE);
  }

  const manager: SessionManagerOptions = {
    ...tessera,
    ...tokenOptions(options, secrets, isExpressSessionStore(store) ? undefined : store),
    secrets: {
      current: tesseraSecret(roles.current, 0),
      previous: roles.previous.map((s, i) => tesseraSecret(s, i + 1)),
      next: roles.next.map((s, i) => tesseraSecret(s, i + 1 + roles.previous.length)),
    },
    cookie: {
      ...attributes,
      name: name ?? key ?? DEFAULT_COOKIE_NAME,
      sameSite: toSameSite(sameSite),
      persistent: maxAgeMs != null,
      // express-session sends no cookie over plain HTTP when it is Secure.
      sendOnlyOverHttps: attributes.secure === true,
    },
  };
  // A store bridged before (by `cookie(req)`'s shared store, or by the app) still reports its connection.
  const bridge = isExpressSessionStore(store)
    ? bridgeStore(store, { cookie: recordCookie(attributes, toSameSite(sameSite)) })
    : bridgeOf(store as Store | undefined);
  if (store !== undefined) manager.store = bridge ?? (store as Store);
  if (saveUninitialized !== undefined) manager.saveUninitialized = saveUninitialized;
  if (resave !== undefined) manager.resave = resave;
  if (genid !== undefined) manager.generateId = () => (genid as () => string)();
  if (maxAgeMs != null && tessera.idleTimeoutSeconds === undefined) manager.idleTimeoutSeconds = maxAgeMs / 1000;
  if (rolling === true) manager.touchAfterSeconds = 0;
  return { manager, proxy, unset, bridge };
}
