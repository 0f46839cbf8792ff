/**
 * CSRF protection bound to the session: the decision the adapters' `csrf` option applies to every
 * request. An unsafe request passes when the browser does not call it cross-site (`Sec-Fetch-Site`,
 * else `Origin`) and it carries a token from `session.csrfToken()` (synchronizer token: the
 * secret lives in the session, never in a cookie of its own). Adapters only gather the inputs.
 */
import { csrfTokenMatches } from "./csrf-token.js";
import { configError, formatMessage, SessionError } from "./errors.js";
import { checkOptionNames } from "./option-names.js";
import { type Session, type SessionData, SessionHandle } from "./session.js";

/** Options of the adapters' `csrf` option (`csrf: true` takes every default). */
export interface CsrfOptions {
  /**
   * The request header a script sends the token in (`fetch(url, { headers: { "x-csrf-token": token } })`).
   * @default "x-csrf-token"
   */
  readonly headerName?: string;
  /**
   * The form field a page sends the token in (`<input type="hidden" name="_csrf" value="...">`),
   * read from `application/x-www-form-urlencoded` bodies when the header is absent.
   * @default "_csrf"
   */
  readonly fieldName?: string;
  /**
   * Methods that are never checked: they must not change state.
   * @default ["GET", "HEAD", "OPTIONS", "TRACE"]
   */
  readonly ignoreMethods?: readonly string[];
  /**
   * Paths (exact, without the query string) that are never checked, or a function of the path
   * returning `true` for them: for a webhook that authenticates otherwise, say.
   * @default []
   */
  readonly ignorePaths?: readonly string[] | ((path: string) => boolean);
  /**
   * Origins (`https://app.example.com`, no path) other than the request's own whose unsafe
   * requests are accepted; each still needs a valid token.
   * @default []
   */
  readonly trustedOrigins?: readonly string[];
}

/** What the check needs of one request. */
export interface CsrfRequest {
  /** The HTTP method. */
  readonly method: string;
  /** The absolute URL the request was made to (the scheme and host the browser used, and the path). */
  readonly url: string;
  /** The `Origin` header, or `null`. */
  readonly origin: string | null;
  /** The `Sec-Fetch-Site` header, or `null`. */
  readonly secFetchSite: string | null;
  /** The token from the header or the form field, or `null`. */
  readonly token: string | null;
}

/** Why a request was refused: another site sent it, it carried no token, or its token is not this session's. */
export type CsrfRejectReason = "cross-origin" | "missing-token" | "bad-token";

/** The outcome of {@link checkCsrf}. */
export type CsrfResult = { readonly ok: true } | { readonly ok: false; readonly reason: CsrfRejectReason };

/** The `SessionError` (code `CSRF_REJECTED`, status 403) an adapter fails a refused request with. */
export type CsrfRejection = SessionError & { readonly code: "CSRF_REJECTED"; readonly reason: CsrfRejectReason };

/** {@link CsrfOptions} with the defaults applied and checked (made once, by `csrfPolicy`). */
export interface CsrfPolicy {
  readonly headerName: string;
  readonly fieldName: string;
  /**
   * Whether a request with this method to this URL is checked at all: `url` is absolute or a
   * request target (`/path?query`). Adapters ask it before reading a form body for the token.
   */
  protects(method: string, url: string): boolean;
  /** Whether `origin` is one of `trustedOrigins`. */
  trusts(origin: string): boolean;
}

const OPTION_NAMES = ["headerName", "fieldName", "ignoreMethods", "ignorePaths", "trustedOrigins"];
const DEFAULT_IGNORED_METHODS = ["GET", "HEAD", "OPTIONS", "TRACE"];
/** A header name as `fetch` and Node accept it (RFC 9110 token characters). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const OK: CsrfResult = Object.freeze({ ok: true });
const POLICY = Symbol("tessera.csrfPolicy");

function nonEmptyString(value: unknown, name: string, source: string | undefined): string {
  if (typeof value !== "string" || value.length === 0) throw configError(`\`csrf.${name}\` must be a non-empty string.`, source);
  return value;
}

function stringList(value: unknown, name: string, source: string | undefined): string[] {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string" || item.length === 0)) {
    throw configError(`\`csrf.${name}\` must be an array of non-empty strings.`, source);
  }
  return value as string[];
}

/** `https://host[:port]` exactly as a browser's `Origin` header spells it, or an error naming the fix. */
function canonicalOrigin(value: string, source: string | undefined): string {
  let origin: string | undefined;
  try {
    origin = new URL(value).origin;
  } catch {
    origin = undefined;
  }
  if (origin === undefined || origin === "null" || origin !== value) {
    throw configError(
      `\`csrf.trustedOrigins\` takes origins as browsers send them (scheme and host, no path or trailing slash), got ${JSON.stringify(value)}${origin !== undefined && origin !== "null" ? `; did you mean ${JSON.stringify(origin)}?` : "."}`,
      source,
    );
  }
  return origin;
}

/**
 * Validates the `csrf` option once, at startup: `true` takes the defaults; an unknown option
 * name or a bad value throws `INVALID_CONFIG`. `source` names the adapter in messages.
 */
export function csrfPolicy(options: true | CsrfOptions, source?: string): CsrfPolicy {
  if (options === true) options = {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw configError("`csrf` takes true, false or an object of CSRF options.", source);
  }
  if ((options as { [POLICY]?: unknown })[POLICY] === true) return options as unknown as CsrfPolicy;
  checkOptionNames(options, { known: OPTION_NAMES, source: source === undefined ? "csrf" : `${source} csrf` });
  const headerName = nonEmptyString(options.headerName ?? "x-csrf-token", "headerName", source).toLowerCase();
  if (!HEADER_NAME.test(headerName))
    throw configError(`\`csrf.headerName\` is not a valid header name: ${JSON.stringify(headerName)}.`, source);
  const fieldName = nonEmptyString(options.fieldName ?? "_csrf", "fieldName", source);
  const ignoredMethods = new Set(
    stringList(options.ignoreMethods ?? DEFAULT_IGNORED_METHODS, "ignoreMethods", source).map((m) => m.toUpperCase()),
  );
  const ignorePaths = options.ignorePaths ?? [];
  let ignoredPath: (path: string) => boolean;
  if (typeof ignorePaths === "function") ignoredPath = (path) => ignorePaths(path) === true;
  else {
    const paths = new Set(stringList(ignorePaths, "ignorePaths", source));
    for (const path of paths) {
      if (!path.startsWith("/") || /[?#]/.test(path))
        throw configError(`\`csrf.ignorePaths\` takes paths such as "/webhook" (no query), got ${JSON.stringify(path)}.`, source);
    }
    ignoredPath = (path) => paths.has(path);
  }
  const trusted = new Set(stringList(options.trustedOrigins ?? [], "trustedOrigins", source).map((o) => canonicalOrigin(o, source)));
  return Object.freeze({
    [POLICY]: true,
    headerName,
    fieldName,
    protects: (method: string, url: string) => !ignoredMethods.has(method.toUpperCase()) && !ignoredPath(pathOf(url)),
    trusts: (origin: string) => trusted.has(origin),
  }) as CsrfPolicy;
}

/** The path of an absolute URL or of a request target, without query or fragment. */
function pathOf(url: string): string {
  const start = url.startsWith("/") ? 0 : url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

/** `scheme://host[:port]` of an absolute URL, or `null`. */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Whether the browser, or failing that the `Origin` header, says the request came from another origin. */
function isCrossOrigin(request: CsrfRequest, policy: CsrfPolicy): boolean {
  const { origin, secFetchSite } = request;
  const trusted = origin !== null && policy.trusts(origin);
  if (secFetchSite !== null) {
    const site = secFetchSite.toLowerCase();
    // "same-origin" and "none" (the user typed the address, or a bookmark) are the browser's own judgment.
    if (site === "same-origin" || site === "none") return false;
    return !trusted;
  }
  if (origin === null) return false; // not a browser, or one that sends neither: the token decides
  return !trusted && origin !== originOf(request.url);
}

/**
 * The CSRF decision for one request on `session` (the core `Session` the adapter loaded):
 * unchecked methods and paths pass; an unsafe request that the browser marks cross-site or
 * same-site (`Sec-Fetch-Site`), or whose `Origin` is neither its own nor trusted, is refused as
 * `"cross-origin"`; otherwise its token must unmask to the session's secret. Never throws for
 * a request; reads the secret without creating one.
 */
export function checkCsrf<Data extends SessionData>(
  request: CsrfRequest,
  session: Session<Data>,
  options: true | CsrfOptions | CsrfPolicy = true,
): CsrfResult {
  const state = SessionHandle.stateOf(session);
  if (state === undefined) {
    throw new SessionError("INVALID_ARGUMENT", formatMessage(undefined, "checkCsrf() takes the Session that manager.load() returned."));
  }
  const policy = csrfPolicy(options as CsrfOptions);
  if (!policy.protects(request.method, request.url)) return OK;
  if (isCrossOrigin(request, policy)) return { ok: false, reason: "cross-origin" };
  const token = request.token;
  if (token === null || token === "") return { ok: false, reason: "missing-token" };
  const secret = state.csrfSecret(false);
  if (secret === null || !csrfTokenMatches(secret, token)) return { ok: false, reason: "bad-token" };
  return OK;
}

const MESSAGES: Readonly<Record<CsrfRejectReason, string>> = {
  "cross-origin": "CSRF check refused the request: it came from another site (Sec-Fetch-Site or Origin).",
  "missing-token": "CSRF check refused the request: no CSRF token in the header or the form field.",
  "bad-token": "CSRF check refused the request: its CSRF token does not belong to this session.",
};

/** The error an adapter fails a refused request with: code `CSRF_REJECTED`, status 403, and the reason. */
export function csrfRejection(reason: CsrfRejectReason, source?: string): CsrfRejection {
  const error = new SessionError("CSRF_REJECTED", formatMessage(source, MESSAGES[reason]));
  Object.defineProperty(error, "reason", { value: reason, enumerable: true });
  return error as CsrfRejection;
}
