/**
 * express-session's option names, with their meanings, translated to the core's options. Where
 * Tessera's default differs (it is the safer one), the JSDoc says so.
 */
import { configError, type SessionManagerOptions, type Store } from "@tessera/core";
import type { RecordCookieAttributes } from "./compat/record-codec.js";
import { type BridgedStore, bridgeStore, type ExpressSessionStore, isExpressSessionStore } from "./compat/store-bridge.js";

/** express-session's `cookie` option. Lifetimes in milliseconds, as in express-session. */
export interface ExpressCookieOptions {
  /**
   * Lifetime of the cookie in ms. Given, every session gets a persistent cookie (`Max-Age`) and,
   * unless `idleTimeoutSeconds` is also given, the session expires after this long unused.
   * Default `null`: a browser-session cookie; `req.session.cookie.maxAge = ms` makes one session
   * persistent ("remember me").
   */
  maxAge?: number | null;
  /**
   * A fixed expiry date; converted once, at startup, to `maxAge`. express-session also advises
   * `maxAge` instead. Giving both is an error.
   */
  expires?: Date | null;
  /** `HttpOnly`. Default `true`. */
  httpOnly?: boolean;
  /**
   * `Secure`: `true`, `false` or `"auto"` (when the request is HTTPS, see `proxy`).
   * Default `"auto"` (express-session: `false`), so HTTPS deployments get `Secure` without config.
   */
  secure?: boolean | "auto";
  /**
   * `SameSite`: `"lax"`, `"strict"`, `"none"`, `true` (= `"strict"`) or `false`. Default `"lax"`
   * (express-session: no attribute). `false` also gives `"lax"`: browsers differ on a missing
   * attribute, and Lax is what the major one assumes. express-session's `"auto"` is not supported.
   */
  sameSite?: boolean | "lax" | "strict" | "none";
  /** `Domain`. Default none (host-only). */
  domain?: string;
  /** `Path`. Default `"/"`. */
  path?: string;
  /** `Partitioned` (CHIPS). Default `false`. */
  partitioned?: boolean;
  /** `Priority`. Default none. */
  priority?: "low" | "medium" | "high";
}

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
  > {
  /**
   * Secret(s) signing the cookie, current first: a cookie signed by an older one is accepted and
   * re-issued signed with the first (express-session never re-signs). Each at least 32 characters.
   */
  secret: string | readonly string[];
  /** Cookie name. Default `"tessera.sid"` (express-session: `"connect.sid"`). */
  name?: string;
  /** Cookie attributes and lifetime. */
  cookie?: ExpressCookieOptions;
  /**
   * Generates session IDs: 22–128 base64url characters with at least 128 bits of randomness.
   * Called without the request (express-session passes `req`). Default: 32 random bytes.
   */
  genid?: () => string;
  /**
   * Trust the reverse proxy's `X-Forwarded-Proto` for `cookie.secure: "auto"`: `true` trusts it,
   * `false` ignores it, `undefined` (default) follows Express's `trust proxy` setting (`req.secure`).
   */
  proxy?: boolean;
  /**
   * Write the session back on every request even when unchanged. Default `false` (express-session's
   * deprecated default is `true`). Tessera writes only changed keys and never loses a concurrent
   * change, so this only forces a touch on every request.
   */
  resave?: boolean;
  /**
   * Refresh the session and a persistent cookie's `Max-Age` on every request. Default `false`:
   * Tessera already slides the idle window, writing at most once per `touchAfterSeconds`.
   */
  rolling?: boolean;
  /**
   * Store and send a cookie for a session that holds no data. Default `false` (express-session's
   * deprecated default is `true`): visitors and bots cost no store write and get no cookie.
   */
  saveUninitialized?: boolean;
  /**
   * A Tessera store (`memoryStore()`, `redisStore()` from `@tessera/store-redis`, `mongoStore()`
   * from `@tessera/store-mongo`, `@tessera/store-unstorage`), or an express-session store
   * (connect-redis, connect-pg-simple, connect-mongo, `new session.MemoryStore()`, ...), which is
   * wrapped by the store bridge: records in express-session's format, without per-key writes or
   * protection against a write resurrecting a destroyed session (see the README).
   * Default: an in-process memory store.
   */
  store?: Store | ExpressSessionStore;
  /**
   * What happens when the app sets `req.session = null` or deletes it: `"keep"` (default) leaves
   * the stored session as it was and ignores this request's changes; `"destroy"` destroys it.
   */
  unset?: "keep" | "destroy";
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

function toSameSite(value: ExpressCookieOptions["sameSite"]): "lax" | "strict" | "none" | undefined {
  if (value === true) return "strict";
  if (value === false) return "lax";
  if ((value as unknown) === "auto") {
    throw configError('`cookie.sameSite: "auto"` is not supported; use "lax" (or "none" with `cookie.secure: true`).', SOURCE);
  }
  return value;
}

/** The cookie attributes the bridge writes into records, for express-session to read back. */
function recordCookie(
  attributes: Omit<ExpressCookieOptions, "maxAge" | "expires" | "sameSite">,
  sameSite: RecordCookieAttributes["sameSite"],
): RecordCookieAttributes {
  const { secure, ...rest } = attributes;
  // "auto" depends on the request, which a stored record does not know: express-session then omits it.
  return { ...rest, ...(typeof secure === "boolean" ? { secure } : {}), ...(sameSite !== undefined ? { sameSite } : {}) };
}

/** Validates express-session style options and translates them into the core's. */
export function resolveExpressOptions(options: SessionOptions): ExpressSettings {
  if (typeof options !== "object" || options === null)
    throw configError("session() needs an options object with at least `secret`.", SOURCE);
  const { secret, name, cookie = {}, genid, proxy, resave, rolling, saveUninitialized, store, unset = "keep", ...tessera } = options;
  if (secret === undefined)
    throw configError("`secret` is required: a random string of at least 32 characters (or an array, current first).", SOURCE);
  if (unset !== "keep" && unset !== "destroy")
    throw configError(`\`unset\` must be "keep" or "destroy", got ${JSON.stringify(unset)}.`, SOURCE);
  if (proxy !== undefined && typeof proxy !== "boolean") throw configError("`proxy` must be true, false or undefined.", SOURCE);
  if (genid !== undefined && typeof genid !== "function") throw configError("`genid` must be a function returning a string.", SOURCE);

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
  const everyRequest = resave === true || rolling === true;
  if (everyRequest && tessera.touchAfterSeconds !== undefined && tessera.touchAfterSeconds !== 0) {
    throw configError("`resave`/`rolling` write on every request, which contradicts `touchAfterSeconds`; give one of them.", SOURCE);
  }

  const manager: SessionManagerOptions = {
    ...tessera,
    secrets: secret,
    cookie: { ...attributes, name, sameSite: toSameSite(sameSite), persistent: maxAgeMs != null },
  };
  const bridge = isExpressSessionStore(store)
    ? bridgeStore(store, { cookie: recordCookie(attributes, manager.cookie?.sameSite) })
    : undefined;
  if (store !== undefined) manager.store = bridge ?? (store as Store);
  if (saveUninitialized !== undefined) manager.saveUninitialized = saveUninitialized;
  if (genid !== undefined) manager.generateId = () => genid();
  if (maxAgeMs != null && tessera.idleTimeoutSeconds === undefined) manager.idleTimeoutSeconds = maxAgeMs / 1000;
  if (everyRequest) manager.touchAfterSeconds = 0;
  return { manager, proxy, unset, bridge };
}
