/**
 * Reading the session token from a `Cookie` header, and writing `Set-Cookie` lines (their
 * attributes serialized once by the `cookie` package, jshttp, which is edge-safe).
 */
import { stringifySetCookie } from "cookie";
import type { ResolvedCookieOptions } from "./options.js";

/**
 * Returns the value of cookie `name` in a `Cookie` header (the first one, as the `cookie` package
 * does), or `null`. Never throws.
 *
 * Every request runs this, so it scans for `name=` at a cookie boundary instead of parsing every
 * cookie in the header; a property test checks it reads every header as the `cookie` package does.
 */
export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (cookieHeader === null) return null;
  let from = 0;
  for (;;) {
    const at = cookieHeader.indexOf(name, from);
    if (at === -1) return null;
    from = at + 1;
    let before = at - 1;
    while (before >= 0 && isSpace(cookieHeader.charCodeAt(before))) before--;
    if (before >= 0 && cookieHeader.charCodeAt(before) !== SEMICOLON) continue;
    let equals = at + name.length;
    while (equals < cookieHeader.length && isSpace(cookieHeader.charCodeAt(equals))) equals++;
    if (cookieHeader.charCodeAt(equals) !== EQUALS) continue;
    let start = equals + 1;
    let end = cookieHeader.indexOf(";", start);
    if (end === -1) end = cookieHeader.length;
    // Only spaces and tabs are trimmed, as the cookie package does: String#trim would also drop
    // U+00A0, U+2028, U+FEFF and other Unicode spaces that belong to the value.
    while (start < end && isSpace(cookieHeader.charCodeAt(start))) start++;
    while (end > start && isSpace(cookieHeader.charCodeAt(end - 1))) end--;
    return start === end ? null : cookieHeader.slice(start, end);
  }
}

const SEMICOLON = 59;
const EQUALS = 61;

function isSpace(code: number): boolean {
  return code === 32 || code === 9;
}

/**
 * Serializes `Set-Cookie` lines for one cookie configuration. The attribute part is serialized by
 * the `cookie` package once per `Secure` variant at startup (which also validates it); each line
 * then only joins the token (our own base64url, nothing to escape) and Max-Age to it.
 */
export class SetCookieWriter {
  readonly #name: string;
  /** The attribute part for an HTTPS request and for a plain-HTTP one (`secure` and `sameSite` may depend on it). */
  readonly #attributes: { https: string; http: string };
  readonly #clear: { https: string; http: string };

  constructor(options: ResolvedCookieOptions) {
    this.#name = options.name;
    // Browsers drop a SameSite=None or Partitioned cookie without Secure, and accept Secure ones
    // from http://localhost, so "auto" sends Secure with them even on a plain-HTTP request.
    const secure = options.secure === "auto" && (options.sameSite === "none" || options.partitioned) ? true : options.secure;
    const attributesOf = (requestIsSecure: boolean, clear: boolean): string => {
      // express-session's sameSite "auto": None where the request is HTTPS (so Secure is set too), Lax otherwise.
      const sameSite = options.sameSite !== "auto" ? options.sameSite : requestIsSecure ? "none" : "lax";
      const line = stringifySetCookie(options.name, "v", {
        path: options.path,
        domain: options.domain,
        httpOnly: options.httpOnly,
        sameSite,
        secure: secure === "auto" ? requestIsSecure : secure,
        partitioned: options.partitioned,
        priority: options.priority,
        ...(clear ? { maxAge: 0, expires: new Date(0) } : {}),
      });
      return line.slice(options.name.length + 2);
    };
    this.#attributes = { https: attributesOf(true, false), http: attributesOf(false, false) };
    this.#clear = { https: attributesOf(true, true), http: attributesOf(false, true) };
  }

  /**
   * The line that sets the session cookie. `maxAgeSeconds` undefined gives a browser-session
   * cookie. `requestIsSecure` is used when `secure` or `sameSite` is `"auto"`.
   */
  line(token: string, maxAgeSeconds: number | undefined, requestIsSecure: boolean): string {
    const attributes = requestIsSecure ? this.#attributes.https : this.#attributes.http;
    const maxAge = maxAgeSeconds === undefined ? "" : `; Max-Age=${Math.floor(maxAgeSeconds)}`;
    return `${this.#name}=${token}${maxAge}${attributes}`;
  }

  /** The line that removes the session cookie from the browser (same Path and Domain, expired). */
  clearLine(requestIsSecure: boolean): string {
    return `${this.#name}=${requestIsSecure ? this.#clear.https : this.#clear.http}`;
  }
}
