/**
 * koa-session's options, with koa-session's meanings, translated to the core's options. Where
 * Tessera differs on purpose (it is the safer choice), the JSDoc says so.
 */
import { type CsrfOptions, type SecretsOption, type SessionManagerOptions, type Store, sealedCookieStore } from "@tessera/core";
import { checkOptionNames, configError, encodeBase64url, SHARED_ADAPTER_OPTION_NAMES } from "@tessera/core/internal";
import { assertContextStore, bridgeKoaStore, type ContextStoreClass, isKoaSessionStore, type KoaSessionStore } from "./store-bridge.js";

const SOURCE = "koa";

/** koa-session's default cookie name. */
export const DEFAULT_KEY = "koa.sess";
/** koa-session's default `maxAge`: one day, in ms. */
export const DEFAULT_MAX_AGE_MS = 86_400_000;
/** The shortest secret the core accepts (see `secrets`). */
const MIN_SECRET_LENGTH = 32;
/** Characters allowed in an ID prefix: the ID is a store key and travels in a signed cookie. */
const ID_PREFIX = /^[A-Za-z0-9_-]*$/;
/** The longest ID the core accepts, and the length of the random part after a `prefix`. */
const MAX_ID_LENGTH = 128;
const RANDOM_ID_LENGTH = 43;

/** koa-session's `externalKey`: where the session key travels instead of the cookie. */
export interface ExternalKey {
  /** The key the request carries, or a falsy value. */
  get(ctx: unknown): string | null | undefined;
  /** Hands the key to the response (`""` when the session ended). */
  set(ctx: unknown, value: string): void;
}

/** Options of `session(options, app)`: koa-session's, plus Tessera's expiry options. */
export interface KoaSessionOptions
  extends Pick<
    SessionManagerOptions,
    | "idleTimeoutSeconds"
    | "absoluteTimeoutSeconds"
    | "touchAfterSeconds"
    | "rememberMeSeconds"
    | "saveUninitialized"
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
   * Secrets signing (or, without a store, sealing) the cookie: one string, `[current, ...previous]`
   * or `{ current, previous, next }` (see core's "Rotating secrets"), each at least 32 characters.
   * Default: the app's `app.keys` (as koa-session), when they are long enough.
   * @default app.keys
   */
  secrets?: SecretsOption;
  /** Cookie name. @default "koa.sess" */
  key?: string;
  /**
   * Lifetime in ms: a persistent cookie, and the session expires after this long unused (unless
   * `idleTimeoutSeconds` is given). `"session"`: a browser-session cookie. Per session:
   * `ctx.session.maxAge = ms | "session"`.
   * @default 86400000 (one day, as koa-session)
   */
  maxAge?: number | "session";
  /**
   * Commit the session (store write, `Set-Cookie`) after the downstream middleware. `false`: the
   * app calls `ctx.session.manuallyCommit()`.
   * @default true
   */
  autoCommit?: boolean;
  /**
   * Refresh the session and re-send the cookie on every response. Default `false`: Tessera slides
   * the idle window anyway, writing at most once per `touchAfterSeconds`.
   * @default false
   */
  rolling?: boolean;
  /**
   * Refresh the session (and cookie) once less than half its lifetime is left, as koa-session
   * does: the same as `touchAfterSeconds` at half of the idle window.
   * @default false
   */
  renew?: boolean;
  /**
   * Replace a `Set-Cookie` of the same name set earlier in the response (as the `cookies` library does).
   * @default true
   */
  overwrite?: boolean;
  /** `HttpOnly`. @default true */
  httpOnly?: boolean;
  /**
   * `true` only: Tessera always signs the cookie (or seals it without a store); `false` is refused,
   * as an unsigned cookie can be forged.
   * @default true
   */
  signed?: boolean;
  /** `Secure`. Default: when the request is HTTPS (`ctx.secure`, which follows `app.proxy`), as koa-session. @default "auto" */
  secure?: boolean;
  /**
   * `SameSite`: `"lax"`, `"strict"`, `"none"`, `true` (= `"strict"`) or `false`. Default `"lax"`
   * (koa-session: no attribute); `false` and `null` also give `"lax"`, what browsers assume.
   * @default "lax"
   */
  sameSite?: "lax" | "strict" | "none" | boolean | null;
  /** `Domain`. @default undefined (host-only) */
  domain?: string;
  /** `Path`. @default "/" */
  path?: string;
  /** `Partitioned` (CHIPS). @default false */
  partitioned?: boolean;
  /** `Priority`. @default undefined */
  priority?: "low" | "medium" | "high";
  /**
   * Where sessions live: a Tessera store (`redisStore()`, `memoryStore()`, ...), or a koa-session
   * store (`get`/`set`/`destroy`, e.g. koa-redis) run through the store bridge. Default: none, the
   * session travels in the cookie as with koa-session, but sealed (AES-GCM) and size-checked.
   * @default undefined (sealed cookie)
   */
  store?: Store | KoaSessionStore;
  /** koa-session's `ContextStore`: a store class built with each request's context. @default undefined */
  ContextStore?: ContextStoreClass;
  /**
   * The store holding sessions koa-session saved (its external keys), when `store` is a Tessera
   * store now: they are moved to `store` on first use. Default: `store` itself when it is a
   * koa-session store.
   * @default undefined
   */
  legacyStore?: KoaSessionStore;
  /** The session key travels through these instead of the cookie (requires a store). @default undefined */
  externalKey?: ExternalKey;
  /**
   * Decodes cookies koa-session wrote with a custom `encode`, so they are still read (and moved to
   * Tessera's cookie). Default: koa-session's base64 JSON.
   * @default base64 JSON
   */
  decode?: (value: string) => unknown;
  /**
   * Session IDs: called with the request's context, must return 22–128 base64url characters with
   * at least 128 bits of randomness. Default: 32 random bytes.
   * @default 32 random bytes, base64url
   */
  genid?: (ctx: unknown) => string;
  /** A prefix for generated IDs (base64url characters; ignored with `genid`, as koa-session). @default "" */
  prefix?: string;
  /**
   * Called with `(ctx, data)` for a stored session when it is loaded: a falsy result ends it
   * (Tessera also destroys its record) and the request gets a new one.
   * @default undefined
   */
  valid?: (ctx: unknown, data: Record<string, unknown>) => unknown;
  /** Called with `(ctx, session)` before a commit that writes. @default undefined */
  beforeSave?: (ctx: unknown, session: unknown) => void;
  /**
   * CSRF protection bound to the session (see docs/csrf.md): `true`, or options. Unsafe requests
   * then need a token from `ctx.session.csrfToken()` in the `x-csrf-token` header or the `_csrf`
   * field of a URL-encoded form, and are refused (a thrown 403 `SessionError` with code
   * `CSRF_REJECTED`) when another site sends them.
   * @default false
   */
  csrf?: boolean | CsrfOptions;
}

/** Every option name `session()` understands. */
const KNOWN = [
  "secrets",
  "key",
  "maxAge",
  "autoCommit",
  "rolling",
  "renew",
  "overwrite",
  "httpOnly",
  "signed",
  "secure",
  "sameSite",
  "domain",
  "path",
  "partitioned",
  "priority",
  "store",
  "ContextStore",
  "legacyStore",
  "externalKey",
  "decode",
  "genid",
  "prefix",
  "valid",
  "beforeSave",
  "saveUninitialized",
  ...SHARED_ADAPTER_OPTION_NAMES,
];

/** Options of koa-session (and koa-generic-session) that Tessera recognises but does not take. */
const UNSUPPORTED: Record<string, string> = {
  maxage: "koa-session renamed it `maxAge` (milliseconds); use `maxAge`.",
  encode:
    "Tessera seals the cookie (AES-GCM) instead of encoding readable data, so a custom encoding is not used; remove `encode` and keep `decode`, which reads the cookies koa-session wrote.",
  expires: "a fixed expiry date for every cookie; use `maxAge` (milliseconds).",
  cookie:
    "koa-session's cookie attributes are top-level options: `key`, `httpOnly`, `secure`, `sameSite`, `domain`, `path`, `partitioned`, `priority`, `maxAge`.",
  ttl: "koa-generic-session's; use `maxAge` (milliseconds).",
  defer: "koa-generic-session's lazy loading; `ctx.session` is loaded before the downstream middleware.",
  allowEmpty: "an empty session is never stored (no store write, no cookie for a visitor without data).",
  sessionIdStore: "koa-generic-session's; use `externalKey` ({ get(ctx), set(ctx, key) }).",
  reconnectTimeout: "a store outage fails the request with a 503 `SessionError` instead of waiting.",
  errorHandler: "store errors reach Koa's error handling as a `SessionError` (status 503).",
  generateId: "use koa-session's `genid(ctx)` (or `prefix`).",
};

/** What `session()` needs besides the core's options. */
export interface KoaSettings {
  readonly manager: SessionManagerOptions;
  readonly key: string;
  readonly autoCommit: boolean;
  readonly overwrite: boolean;
  /** The `maxAge` option as given (koa-session passes it to its store). */
  readonly maxAge: number | "session" | undefined;
  readonly rolling: boolean;
  /** The store koa-session's external keys point into, or `undefined`. */
  readonly legacyStore: KoaSessionStore | undefined;
  readonly externalKey: ExternalKey | undefined;
  readonly decode: ((value: string) => unknown) | undefined;
  readonly valid: KoaSessionOptions["valid"];
  readonly beforeSave: KoaSessionOptions["beforeSave"];
  /** The request's context is needed by the store or by `genid`. */
  readonly needsScope: boolean;
  /** The options as `ctx.sessionOptions` shows them. */
  readonly publicOptions: Readonly<Record<string, unknown>>;
}

/** The secrets: the option, else the app's keys (each long enough, or an explanation of what to do). */
function resolveSecrets(given: KoaSessionOptions["secrets"], appKeys: unknown): SecretsOption {
  if (given !== undefined) return given;
  if (appKeys === undefined || appKeys === null) {
    throw configError(
      "no secrets: set `app.keys` before calling `session(options, app)` (as koa-session needs), or give `secrets` (at least 32 characters each).",
      SOURCE,
    );
  }
  if (!Array.isArray(appKeys) || !appKeys.every((key) => typeof key === "string")) {
    throw configError(
      "`app.keys` is not an array of strings (a Keygrip instance?), so Tessera cannot derive its keys from it; give `secrets` (at least 32 characters each). `app.keys` still verifies the cookies koa-session signed.",
      SOURCE,
    );
  }
  const keys = appKeys as string[];
  const short = keys.findIndex((key) => key.length < MIN_SECRET_LENGTH);
  if (keys.length === 0 || short >= 0) {
    throw configError(
      `${keys.length === 0 ? "`app.keys` is empty" : `app.keys[${short}] is ${keys[short]?.length} characters`}: Tessera needs secrets of at least ${MIN_SECRET_LENGTH} characters, since a short key can be guessed offline from a single cookie. Give \`secrets: [a new random secret of 32+ characters]\` and leave \`app.keys\` as it is: the old keys then still verify the cookies koa-session signed, so nobody is logged out, and they are moved to Tessera's cookie on first use.`,
      SOURCE,
    );
  }
  return keys;
}

function toSameSite(value: KoaSessionOptions["sameSite"]): "lax" | "strict" | "none" | undefined {
  if (value === true) return "strict";
  if (value === false || value === null || value === undefined) return undefined;
  if (typeof value !== "string")
    throw configError(`\`sameSite\` must be "lax", "strict", "none", true or false, got ${String(value)}.`, SOURCE);
  return value.toLowerCase() as "lax" | "strict" | "none";
}

function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw configError(`\`${name}\` must be true or false, got ${JSON.stringify(value)}.`, SOURCE);
  return value;
}

function assertFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") throw configError(`\`${name}\` must be a function.`, SOURCE);
}

/** IDs from `genid(ctx)` or `prefix` + 32 random bytes; `contextOf` gives the request's context. */
function idGenerator(options: KoaSessionOptions, contextOf: () => object | undefined): (() => string) | undefined {
  const { genid, prefix } = options;
  if (genid !== undefined) return () => genid(contextOf());
  if (prefix === undefined || prefix === "") return undefined;
  if (typeof prefix !== "string" || !ID_PREFIX.test(prefix) || prefix.length + RANDOM_ID_LENGTH > MAX_ID_LENGTH) {
    throw configError(
      `\`prefix\` ${JSON.stringify(prefix)} must be at most ${MAX_ID_LENGTH - RANDOM_ID_LENGTH} characters among A-Z a-z 0-9 - _: the ID is a store key and travels in a signed cookie. For a store-side namespace such as "sess:", set the store's own prefix (koa-redis: ioredis \`keyPrefix\`).`,
      SOURCE,
    );
  }
  return () => prefix + encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** Validates koa-session style options and translates them into the core's. */
export function resolveKoaOptions(options: KoaSessionOptions, appKeys: unknown, contextOf: () => object | undefined): KoaSettings {
  if (typeof options !== "object" || options === null) throw configError("session() takes an options object (or none).", SOURCE);
  checkOptionNames(options, { known: KNOWN, unsupported: UNSUPPORTED, source: SOURCE });
  const {
    secrets,
    key = DEFAULT_KEY,
    maxAge,
    autoCommit,
    rolling,
    renew,
    overwrite,
    httpOnly,
    signed,
    secure,
    sameSite,
    domain,
    path,
    partitioned,
    priority,
    store,
    ContextStore,
    legacyStore,
    externalKey,
    decode,
    genid,
    prefix: _prefix,
    valid,
    beforeSave,
    ...tessera
  } = options;
  if (signed === false) {
    throw configError(
      "`signed: false` is not supported: Tessera always signs the cookie (or seals it without a store), as an unsigned cookie can be forged. Remove it; unsigned koa-session cookies cannot be carried over, since they prove nothing.",
      SOURCE,
    );
  }
  if (maxAge !== undefined && maxAge !== "session" && !(typeof maxAge === "number" && Number.isFinite(maxAge) && maxAge > 0)) {
    throw configError(`\`maxAge\` must be a positive number of milliseconds or "session", got ${JSON.stringify(maxAge)}.`, SOURCE);
  }
  if (secure !== undefined && typeof secure !== "boolean") throw configError("`secure` must be true, false or undefined.", SOURCE);
  for (const [name, value] of [
    ["decode", decode],
    ["genid", genid],
    ["valid", valid],
    ["beforeSave", beforeSave],
  ] as const) {
    assertFunction(name, value);
  }
  if (externalKey !== undefined && (typeof externalKey?.get !== "function" || typeof externalKey?.set !== "function")) {
    throw configError("`externalKey` must be an object with `get(ctx)` and `set(ctx, key)` functions.", SOURCE);
  }
  if (legacyStore !== undefined && !isKoaSessionStore(legacyStore)) {
    throw configError("`legacyStore` must be a koa-session store (get, set, destroy).", SOURCE);
  }
  if (ContextStore !== undefined) {
    assertContextStore(ContextStore);
    if (store !== undefined) throw configError("give `store` or `ContextStore`, not both.", SOURCE);
  }
  const isRolling = booleanOption("rolling", rolling, false);
  const isRenewing = booleanOption("renew", renew, false);
  if ((isRolling || isRenewing) && tessera.touchAfterSeconds !== undefined) {
    throw configError("`rolling`/`renew` decide when the session is refreshed, as `touchAfterSeconds` does; give one of them.", SOURCE);
  }

  const lifetimeMs = maxAge === undefined ? DEFAULT_MAX_AGE_MS : maxAge;
  const persistent = lifetimeMs !== "session";
  const manager: SessionManagerOptions = {
    ...(tessera as Omit<SessionManagerOptions, "secrets">),
    secrets: resolveSecrets(secrets, appKeys),
    cookie: {
      name: key,
      httpOnly: booleanOption("httpOnly", httpOnly, true),
      secure: secure ?? "auto",
      sameSite: toSameSite(sameSite),
      domain,
      path,
      partitioned,
      priority,
      persistent,
    },
  };
  if (persistent && tessera.idleTimeoutSeconds === undefined) manager.idleTimeoutSeconds = lifetimeMs / 1000;
  const idleSeconds = manager.idleTimeoutSeconds ?? DEFAULT_MAX_AGE_MS / 1000;
  if (isRolling) manager.touchAfterSeconds = 0;
  else if (isRenewing) manager.touchAfterSeconds = idleSeconds / 2;
  const generateId = idGenerator(options, contextOf);
  if (generateId !== undefined) manager.generateId = generateId;

  const koaStore = ContextStore ?? (isKoaSessionStore(store) ? store : undefined);
  if (koaStore !== undefined) {
    manager.store = bridgeKoaStore(koaStore, { maxAge, rolling: isRolling, persistentByDefault: persistent, contextOf });
  } else if (store !== undefined) manager.store = store as Store;
  else if (externalKey !== undefined) {
    throw configError("`externalKey` needs a `store`: without one, the session travels in the cookie itself.", SOURCE);
  } else manager.store = sealedCookieStore();

  return {
    manager,
    key,
    autoCommit: booleanOption("autoCommit", autoCommit, true),
    overwrite: booleanOption("overwrite", overwrite, true),
    maxAge,
    rolling: isRolling,
    legacyStore: legacyStore ?? (isKoaSessionStore(store) ? store : undefined),
    externalKey,
    decode,
    valid,
    beforeSave,
    needsScope: koaStore !== undefined || legacyStore !== undefined || genid !== undefined,
    publicOptions: Object.freeze({
      key,
      maxAge: lifetimeMs,
      autoCommit: booleanOption("autoCommit", autoCommit, true),
      overwrite: booleanOption("overwrite", overwrite, true),
      httpOnly: manager.cookie?.httpOnly,
      signed: true,
      rolling: isRolling,
      renew: isRenewing,
      secure,
      sameSite: manager.cookie?.sameSite ?? "lax",
      domain,
      path: path ?? "/",
    }),
  };
}
