/**
 * Options of `createSessionManager`, their defaults, and the eager validation that turns every
 * configuration mistake into an `INVALID_CONFIG` error at startup.
 */
import { configError } from "./errors.js";
import type { SessionEventListener } from "./events.js";
import { normalizeSecrets, type SecretSet, type SecretsOption } from "./keyring.js";
import { type LoginTokenOptions, type ResolvedLoginTokenOptions, resolveLoginTokenOptions } from "./login-token-options.js";
import type { Store } from "./store.js";
import { assertTokenFormat, type TokenFormat } from "./token-format.js";

/** Cookie attributes. Every field is optional; the defaults are the safe choice. */
export interface CookieOptions {
  /**
   * Cookie name. Default `"tessera.sid"`. A `__Host-` prefix (recommended in production) requires
   * `secure: true`, `path: "/"` and no `domain`; a `__Secure-` prefix requires `secure: true`.
   * @default "tessera.sid"
   */
  name?: string;
  /**
   * `Path` attribute. Default `"/"`. Narrow it only when several apps share one host.
   * @default "/"
   */
  path?: string;
  /**
   * `Domain` attribute. Default: none (host-only cookie), which is the narrowest scope.
   * @default undefined (host-only)
   */
  domain?: string;
  /**
   * `SameSite` attribute. Default `"lax"`: sent on top-level navigation, not on cross-site
   * subrequests. `"strict"` is safer for admin apps; `"none"` (for embedded third-party use)
   * requires `Secure`, so with `secure: "auto"` it is always sent with `Secure`, and
   * `secure: false` is refused at startup. `"auto"` (express-session's): `None` on an HTTPS request,
   * `Lax` on a plain-HTTP one; it cannot be combined with `secure: false`.
   * @default "lax"
   */
  sameSite?: "lax" | "strict" | "none" | "auto";
  /**
   * `Secure` attribute. Default `"auto"`: set when the request arrived over HTTPS (the adapter
   * reports it, honouring its trusted-proxy setting), and always with `sameSite: "none"` or
   * `partitioned: true`, which browsers reject without it (they accept `Secure` cookies from
   * `http://localhost`). Use `true` in production behind TLS.
   * @default "auto"
   */
  secure?: boolean | "auto";
  /**
   * `HttpOnly` attribute. Default `true`, so page scripts cannot read the session cookie.
   * @default true
   */
  httpOnly?: boolean;
  /**
   * With `secure: true`, a plain-HTTP request gets no session cookie, and a session it starts is
   * not stored (no one could ever send its cookie back); changes to a session whose cookie did
   * arrive are still saved. This is express-session's behaviour. Default `false`: the `Secure`
   * cookie is sent anyway, which browsers accept from `http://localhost`.
   * @default false
   */
  sendOnlyOverHttps?: boolean;
  /**
   * `Partitioned` attribute (CHIPS) for cookies used in third-party iframes. Default `false`.
   * Requires `Secure`, like `sameSite: "none"`.
   * @default false
   */
  partitioned?: boolean;
  /**
   * `Priority` attribute (Chromium). Default: none.
   * @default undefined (no Priority attribute)
   */
  priority?: "low" | "medium" | "high";
  /**
   * Whether sessions get a persistent cookie (`Max-Age`) by default. Default `false`: a
   * browser-session cookie, gone when the browser closes. `session.rememberMe()` overrides this
   * per session.
   * @default false
   */
  persistent?: boolean;
}

/** Options of {@link createSessionManager}. Only `secrets` is required. */
export interface SessionManagerOptions {
  /**
   * Secrets that sign the session cookie: one string, `[current, ...previous]`, or
   * `{ current, previous, next }`. Each must be at least 32 characters and appear once. New cookies
   * are signed with `current`. A cookie signed with a `previous` secret is accepted and re-issued
   * signed with `current`, so a previous secret can be removed once its cookies have cycled (after
   * `absoluteTimeoutSeconds` at most). A cookie signed with a `next` secret is accepted as it is:
   * deploy a new secret as `next` on every process before any process makes it `current`, or
   * processes still on the old list log out the users of the promoted ones (see "Rotating secrets"
   * in the README). Required; there is no default.
   */
  secrets: SecretsOption;
  /**
   * Where sessions live. Default: a new in-process {@link memoryStore} — fine for demos, tests and
   * single-process apps; use a shared store (Redis, MongoDB, ...) with several processes. On
   * Workers and other isolate runtimes, always pass one: each isolate has its own memory.
   * @default memoryStore()
   */
  store?: Store;
  /**
   * Cookie name and attributes.
   * @default {} (every attribute at its own default)
   */
  cookie?: CookieOptions;
  /**
   * Idle (rolling) timeout: a session unused for this long expires. Default 86400 (1 day).
   * Lower it (e.g. 900–1800) for high-value apps, as OWASP recommends.
   * @default 86400
   */
  idleTimeoutSeconds?: number;
  /**
   * Absolute timeout: a session expires this long after it was created, however active.
   * Default 2592000 (30 days). Caps how long a stolen cookie can be kept alive.
   * @default 2592000 (or `idleTimeoutSeconds`, if that is longer)
   */
  absoluteTimeoutSeconds?: number;
  /**
   * A request that only reads the session writes nothing to the store until this much of the
   * session's idle window has passed since the last write. Default: a quarter of the idle window
   * (see `DEFAULT_TOUCH_FRACTION`). `0` touches on every request. Must be below the idle timeout.
   * @default undefined (a quarter of each session's idle window)
   */
  touchAfterSeconds?: number;
  /**
   * Lifetime given by `session.rememberMe(true)`: the cookie becomes persistent and the session's
   * idle window becomes this long. Default 1209600 (14 days). Must not exceed the absolute timeout.
   * @default 1209600 (or `absoluteTimeoutSeconds`, if that is shorter)
   */
  rememberMeSeconds?: number;
  /**
   * Store and send a cookie for a new session even when it holds no data. Default `false`: visitors
   * and bots that never get data cost no store write and no cookie.
   * @default false
   */
  saveUninitialized?: boolean;
  /**
   * Write the session back to the store on every request, even unchanged (express-session's
   * `resave`), e.g. to refresh a store's own TTL on each request. The cookie is not re-sent for
   * such a write: it goes out as without `resave` (new session, change to a persistent session,
   * or a touch that was due after `touchAfterSeconds`).
   * @default false
   */
  resave?: boolean;
  /**
   * Largest serialized session accepted, in bytes (UTF-8 of the JSON data). Default 65536.
   * A larger session fails with `PAYLOAD_TOO_LARGE` before anything is written.
   * @default 65536
   */
  maxPayloadBytes?: number;
  /**
   * How long a store call may take before it fails with `STORE_TIMEOUT`, in milliseconds.
   * Default 5000. `0` disables the core's timer (the store's own timeouts still apply).
   * @default 5000
   */
  storeTimeoutMs?: number;
  /**
   * Also accept the session token from this request header (for API clients without cookies),
   * and return a changed token in the same response header. Default: none (cookies only).
   * @default undefined (cookies only)
   */
  headerName?: string;
  /**
   * Custom session ID generator. It must return 22–128 base64url characters (`A-Z a-z 0-9 - _`)
   * with at least 128 bits of randomness. Default: 32 random bytes from `crypto.getRandomValues`.
   * @default undefined (32 random bytes from `crypto.getRandomValues`, base64url)
   */
  generateId?: () => string;
  /**
   * The clock, in epoch ms. Default `Date.now`. Inject one to test expiry without sleeping.
   * @default Date.now
   */
  now?: () => number;
  /**
   * Receives every lifecycle event (created, touched, expired, store-error, ...), e.g. for audit logs.
   * @default undefined (no listener; `subscribe` adds more)
   */
  onEvent?: SessionEventListener;
  /**
   * Token formats accepted besides Tessera's own `<kid>.<id>.<mac>` (always accepted), so the
   * users of the session library being replaced stay logged in: e.g. `expressSessionCookie(secrets)`
   * from `@tessera/adapter-express`. A session read from such a token is re-issued in the write
   * format on the same response (the migration), unless that is its format. Their IDs must be 22–128
   * base64url characters, or the token is rejected. Not with the sealed-cookie store.
   * @default []
   */
  tokenFormats?: readonly TokenFormat[];
  /**
   * The format of the tokens this manager issues (also accepted on read). Set a foreign one while
   * the old library still serves some requests, so its processes can read Tessera's cookies too;
   * remove it once they are gone. Default: Tessera's own format.
   * @default undefined
   */
  writeTokenFormat?: TokenFormat;
  /**
   * Persistent login tokens: `session.issueLoginToken()` after a login sets a separate, rotating
   * login cookie, and a request without a live session that carries it is logged back in (a new
   * session with the same owner); a token used twice revokes the owner's sessions (theft).
   * Needs a server-side store (not the sealed-cookie store). See docs/login-tokens.md.
   * @default undefined (off)
   */
  loginTokens?: LoginTokenOptions;
}

/**
 * Default share of the idle window after which a read-only request refreshes `lastSeenAt`.
 * A quarter keeps store writes rare (at most four per idle window for a session that is only
 * read) while a session can expire at most a quarter of the window earlier than a per-request
 * touch would allow. Raising it saves writes; lowering it makes expiry more precise.
 */
export const DEFAULT_TOUCH_FRACTION = 0.25;

export const DEFAULT_COOKIE_NAME = "tessera.sid";
export const DEFAULT_IDLE_TIMEOUT_SECONDS = 86_400;
export const DEFAULT_ABSOLUTE_TIMEOUT_SECONDS = 2_592_000;
export const DEFAULT_REMEMBER_ME_SECONDS = 1_209_600;
export const DEFAULT_MAX_PAYLOAD_BYTES = 65_536;
export const DEFAULT_STORE_TIMEOUT_MS = 5_000;

/** The cookie options after defaults, validated. */
export interface ResolvedCookieOptions {
  readonly name: string;
  readonly path: string;
  readonly domain: string | undefined;
  readonly sameSite: "lax" | "strict" | "none" | "auto";
  readonly secure: boolean | "auto";
  readonly httpOnly: boolean;
  readonly sendOnlyOverHttps: boolean;
  readonly partitioned: boolean;
  readonly priority: "low" | "medium" | "high" | undefined;
  readonly persistent: boolean;
}

/** All options after defaults, validated. Durations converted to milliseconds. */
export interface ResolvedOptions {
  readonly secrets: SecretSet;
  readonly cookie: ResolvedCookieOptions;
  readonly idleTimeoutMs: number;
  readonly absoluteTimeoutMs: number;
  /** `undefined`: a share of each session's idle window. */
  readonly touchAfterMs: number | undefined;
  readonly rememberMeSeconds: number;
  readonly saveUninitialized: boolean;
  readonly resave: boolean;
  readonly maxPayloadBytes: number;
  readonly storeTimeoutMs: number;
  readonly headerName: string | undefined;
  readonly generateId: (() => string) | undefined;
  readonly now: () => number;
  /** Foreign formats accepted on read, the write format among them. */
  readonly tokenFormats: readonly TokenFormat[];
  /** `undefined`: Tessera's own format. */
  readonly writeTokenFormat: TokenFormat | undefined;
  /** `undefined`: login tokens are off. */
  readonly loginTokens: ResolvedLoginTokenOptions | undefined;
}

/** RFC 6265 cookie-name token characters. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 7230 header-name token characters. */
const HEADER_NAME = COOKIE_NAME;
/** Characters allowed in Path and Domain attribute values (no `;`, no control characters). */
const ATTRIBUTE_VALUE = /^[\u0021-\u003a\u003c-\u007e]+$/;

function positiveSeconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw configError(`\`${name}\` must be a positive number of seconds, got ${String(value)}.`);
  }
  return value;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === "string" && (allowed as readonly string[]).includes(value.toLowerCase())) {
    return value.toLowerCase() as T;
  }
  throw configError(`\`${name}\` must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value)}.`);
}

function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw configError(`\`${name}\` must be true or false, got ${JSON.stringify(value)}.`);
  return value;
}

function resolveCookie(input: CookieOptions | undefined): ResolvedCookieOptions {
  const options = input ?? {};
  if (typeof options !== "object") throw configError("`cookie` must be an object of cookie attributes.");
  const name = options.name ?? DEFAULT_COOKIE_NAME;
  if (typeof name !== "string" || !COOKIE_NAME.test(name)) {
    throw configError(
      `\`cookie.name\` ${JSON.stringify(name)} is not a valid cookie name; use letters, digits and ! # $ % & ' * + - . ^ _ \` | ~ only.`,
    );
  }
  const path = options.path ?? "/";
  if (typeof path !== "string" || !path.startsWith("/") || !ATTRIBUTE_VALUE.test(path)) {
    throw configError(`\`cookie.path\` must start with "/" and contain no ";" or spaces, got ${JSON.stringify(path)}.`);
  }
  const domain = options.domain;
  if (domain !== undefined && (typeof domain !== "string" || !ATTRIBUTE_VALUE.test(domain))) {
    throw configError(`\`cookie.domain\` must be a host name such as "example.com", got ${JSON.stringify(domain)}.`);
  }
  const secure = options.secure ?? "auto";
  if (secure !== true && secure !== false && secure !== "auto") {
    throw configError(`\`cookie.secure\` must be true, false or "auto", got ${JSON.stringify(secure)}.`);
  }
  const sameSite =
    typeof options.sameSite === "string" && options.sameSite.toLowerCase() === "auto"
      ? "auto"
      : oneOf("cookie.sameSite", options.sameSite, ["lax", "strict", "none"], "lax");
  if (sameSite === "none" && secure === false) {
    throw configError('`cookie.sameSite: "none"` requires `cookie.secure: true` (browsers reject it otherwise).');
  }
  if (sameSite === "auto" && secure === false) {
    throw configError(
      '`cookie.sameSite: "auto"` gives SameSite=None on HTTPS, which browsers reject without Secure: use `cookie.secure` true or "auto".',
    );
  }
  const sendOnlyOverHttps = booleanOption("cookie.sendOnlyOverHttps", options.sendOnlyOverHttps, false);
  if (sendOnlyOverHttps && secure !== true) {
    throw configError("`cookie.sendOnlyOverHttps: true` requires `cookie.secure: true`.");
  }
  const priority =
    options.priority === undefined ? undefined : oneOf("cookie.priority", options.priority, ["low", "medium", "high"], "medium");
  const partitioned = booleanOption("cookie.partitioned", options.partitioned, false);
  if (partitioned && secure === false) {
    throw configError("`cookie.partitioned: true` requires `cookie.secure: true` (browsers reject it otherwise).");
  }
  if (name.startsWith("__Host-")) {
    const problems: string[] = [];
    if (secure !== true) problems.push("`secure: true`");
    if (path !== "/") problems.push('`path: "/"`');
    if (domain !== undefined) problems.push("no `domain`");
    if (problems.length > 0) {
      throw configError(`cookie name "${name}" has the __Host- prefix, which requires ${problems.join(", ")}.`);
    }
  } else if (name.startsWith("__Secure-") && secure !== true) {
    throw configError(`cookie name "${name}" has the __Secure- prefix, which requires \`secure: true\`.`);
  }
  return {
    name,
    path,
    domain,
    sameSite,
    secure,
    httpOnly: booleanOption("cookie.httpOnly", options.httpOnly, true),
    sendOnlyOverHttps,
    partitioned,
    priority,
    persistent: booleanOption("cookie.persistent", options.persistent, false),
  };
}

function resolveTokenFormats(
  formats: unknown,
  write: unknown,
): { tokenFormats: readonly TokenFormat[]; writeTokenFormat: TokenFormat | undefined } {
  if (formats !== undefined && !Array.isArray(formats)) {
    throw configError("`tokenFormats` must be an array of token formats.");
  }
  const list = (formats ?? []) as unknown[];
  for (const [index, format] of list.entries()) assertTokenFormat(`tokenFormats[${index}]`, format, false);
  if (write === undefined) return { tokenFormats: list as TokenFormat[], writeTokenFormat: undefined };
  assertTokenFormat("writeTokenFormat", write, true);
  const read = list as TokenFormat[];
  // The write format is read too: its name marks tokens that need no migration.
  return { tokenFormats: read.some((format) => format.name === write.name) ? read : [...read, write], writeTokenFormat: write };
}

/** Applies defaults and validates every option. Throws `INVALID_CONFIG` on the first mistake. */
export function resolveOptions(options: SessionManagerOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw configError("createSessionManager needs an options object with at least `secrets`.");
  }
  const secrets = normalizeSecrets(options.secrets);
  const idleSeconds = positiveSeconds("idleTimeoutSeconds", options.idleTimeoutSeconds, DEFAULT_IDLE_TIMEOUT_SECONDS);
  const absoluteSeconds = positiveSeconds(
    "absoluteTimeoutSeconds",
    options.absoluteTimeoutSeconds,
    Math.max(DEFAULT_ABSOLUTE_TIMEOUT_SECONDS, idleSeconds),
  );
  const rememberMeSeconds = positiveSeconds(
    "rememberMeSeconds",
    options.rememberMeSeconds,
    Math.min(DEFAULT_REMEMBER_ME_SECONDS, absoluteSeconds),
  );
  if (rememberMeSeconds > absoluteSeconds) {
    throw configError(
      `\`rememberMeSeconds\` (${rememberMeSeconds}) exceeds \`absoluteTimeoutSeconds\` (${absoluteSeconds}); a remembered session still ends at the absolute timeout, so raise the absolute timeout or lower rememberMeSeconds.`,
    );
  }
  let touchAfterMs: number | undefined;
  if (options.touchAfterSeconds !== undefined) {
    const value = options.touchAfterSeconds;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw configError(`\`touchAfterSeconds\` must be a number of seconds >= 0, got ${String(value)}.`);
    }
    if (value >= idleSeconds) {
      throw configError(
        `\`touchAfterSeconds\` (${value}) must be below \`idleTimeoutSeconds\` (${idleSeconds}), or read-only sessions would expire before they are ever touched.`,
      );
    }
    touchAfterMs = value * 1000;
  }
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if (!Number.isInteger(maxPayloadBytes) || maxPayloadBytes <= 0) {
    throw configError(`\`maxPayloadBytes\` must be a positive integer, got ${String(maxPayloadBytes)}.`);
  }
  const storeTimeoutMs = options.storeTimeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  if (typeof storeTimeoutMs !== "number" || !Number.isFinite(storeTimeoutMs) || storeTimeoutMs < 0) {
    throw configError(`\`storeTimeoutMs\` must be a number of milliseconds >= 0, got ${String(storeTimeoutMs)}.`);
  }
  const headerName = options.headerName;
  if (headerName !== undefined && (typeof headerName !== "string" || !HEADER_NAME.test(headerName))) {
    throw configError(`\`headerName\` must be a valid HTTP header name, got ${JSON.stringify(headerName)}.`);
  }
  for (const key of ["generateId", "now", "onEvent"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "function") {
      throw configError(`\`${key}\` must be a function.`);
    }
  }
  const cookie = resolveCookie(options.cookie);
  return {
    secrets,
    ...resolveTokenFormats(options.tokenFormats, options.writeTokenFormat),
    cookie,
    loginTokens: resolveLoginTokenOptions(options.loginTokens, cookie),
    idleTimeoutMs: idleSeconds * 1000,
    absoluteTimeoutMs: absoluteSeconds * 1000,
    touchAfterMs,
    rememberMeSeconds,
    saveUninitialized: booleanOption("saveUninitialized", options.saveUninitialized, false),
    resave: booleanOption("resave", options.resave, false),
    maxPayloadBytes,
    storeTimeoutMs,
    headerName: headerName?.toLowerCase(),
    generateId: options.generateId,
    now: options.now ?? Date.now,
  };
}
