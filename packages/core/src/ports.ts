/**
 * The two small ports an adapter implements to connect a framework to the core.
 * Everything else (cookie parsing, signing, expiry, store calls) happens in the core.
 */

/** What the core needs to know about the incoming request. */
export interface RequestPort {
  /** The raw `Cookie` request header, or `null` when absent. The core parses it. */
  readonly cookieHeader: string | null;
  /**
   * Whether the request arrived over HTTPS (after any trusted proxy). Used when the cookie option
   * `secure` is `"auto"`. Defaults to `false` when omitted.
   */
  readonly secure?: boolean;
  /**
   * Reads a request header (case-insensitive). Needed only when the manager option `headerName`
   * is set, so API clients can send the session token in a header instead of a cookie.
   */
  header?(name: string): string | null | undefined;
}

/** Where the core writes its response headers. */
export interface ResponsePort {
  /** Appends one serialized `Set-Cookie` line. Must never replace lines set by others. */
  appendSetCookie(line: string): void;
  /**
   * Sets a response header. Needed only when the manager option `headerName` is set: the session
   * token is then also returned in that header when it changes.
   */
  setHeader?(name: string, value: string): void;
}
