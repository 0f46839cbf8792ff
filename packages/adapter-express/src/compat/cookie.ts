/**
 * `session.Cookie`: express-session's cookie object, as stores see it inside a session record
 * (`sess.cookie`). Stores read `expires` or `maxAge` from it to compute their TTL, and
 * `JSON.stringify` stores its `data`.
 */

/** The attributes a {@link Cookie} is built from (express-session's `cookie` option or a stored `sess.cookie`). */
export interface CookieInit {
  /** Lifetime in ms; sets `expires` to now + `maxAge`. Default `null` (a browser-session cookie). */
  maxAge?: number | null;
  /** The lifetime the cookie was given, in ms. Default: `maxAge`. */
  originalMaxAge?: number | null;
  /** Expiry date. Default `null`. */
  expires?: Date | null;
  /** `HttpOnly`. Default `true`. */
  httpOnly?: boolean;
  /** `Path`. Default `"/"`. */
  path?: string;
  /** `Domain`. Default none. */
  domain?: string;
  /** `Secure`. Default none. */
  secure?: boolean | "auto";
  /** `SameSite`. Default none. */
  sameSite?: boolean | "lax" | "strict" | "none" | "auto";
  /** `Partitioned`. Default none. */
  partitioned?: boolean;
  /** `Priority`. Default none. */
  priority?: "low" | "medium" | "high";
  [attribute: string]: unknown;
}

/** What {@link Cookie.data} returns and a store serializes. */
export interface CookieData {
  originalMaxAge: number | null;
  partitioned: boolean | undefined;
  priority: "low" | "medium" | "high" | undefined;
  expires: Date | null | undefined;
  secure: boolean | "auto" | undefined;
  httpOnly: boolean | undefined;
  domain: string | undefined;
  path: string | undefined;
  sameSite: boolean | "lax" | "strict" | "none" | "auto" | undefined;
}

// RFC 6265 token characters: what a cookie name, domain or path may not break out of.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ATTRIBUTE_VALUE = /^[\u0021-\u003A\u003C-\u007E]*$/;

function checkedAttribute(name: string, value: string): string {
  if (!ATTRIBUTE_VALUE.test(value)) throw new TypeError(`cookie ${name} is invalid: ${JSON.stringify(value)}`);
  return value;
}

function sameSiteAttribute(value: CookieData["sameSite"]): string | undefined {
  if (value === true || value === "strict") return "Strict";
  if (value === "lax") return "Lax";
  if (value === "none") return "None";
  if (value === false || value === undefined) return undefined;
  throw new TypeError(`cookie sameSite is invalid: ${JSON.stringify(value)}`);
}

/** express-session's `Cookie`, with the same members and the same JSON. */
export class Cookie {
  path: string | undefined = "/";
  httpOnly: boolean | undefined = true;
  originalMaxAge: number | null = null;
  // Declared only: like express-session, the cookie has these properties once they are given.
  declare domain?: string;
  declare secure?: boolean | "auto";
  declare sameSite?: boolean | "lax" | "strict" | "none" | "auto";
  declare partitioned?: boolean;
  declare priority?: "low" | "medium" | "high";
  // express-session keeps the date under this name; JSON never shows it (toJSON returns `data`).
  _expires: Date | null | undefined = null;
  [attribute: string]: unknown;

  constructor(options?: CookieInit) {
    if (options !== undefined && options !== null) {
      if (typeof options !== "object") throw new TypeError("argument options must be a object");
      for (const key in options) {
        if (key !== "data") (this as Record<string, unknown>)[key] = options[key];
      }
    }
    if (this.originalMaxAge === undefined || this.originalMaxAge === null) this.originalMaxAge = this.maxAge ?? null;
  }

  /** Expiry date; setting it also records the lifetime left as `originalMaxAge`. */
  get expires(): Date | null | undefined {
    return this._expires;
  }

  set expires(date: Date | null | undefined) {
    this._expires = date;
    this.originalMaxAge = this.maxAge ?? null;
  }

  /** Milliseconds left until `expires` (`null` for a browser-session cookie); setting it sets `expires`. */
  get maxAge(): number | null | undefined {
    const expires = this._expires;
    return expires instanceof Date ? expires.valueOf() - Date.now() : expires;
  }

  set maxAge(ms: number | Date | null | undefined) {
    if (ms && typeof ms !== "number" && !(ms instanceof Date)) throw new TypeError("maxAge must be a number or Date");
    this.expires = typeof ms === "number" ? new Date(Date.now() + ms) : ms;
  }

  /** The attributes a store keeps: what `JSON.stringify` writes. */
  get data(): CookieData {
    return {
      originalMaxAge: this.originalMaxAge,
      partitioned: this.partitioned,
      priority: this.priority,
      expires: this._expires,
      secure: this.secure,
      httpOnly: this.httpOnly,
      domain: this.domain,
      path: this.path,
      sameSite: this.sameSite,
    };
  }

  /** A `Set-Cookie` value for `name=value` with this cookie's attributes (the value is URI-encoded). */
  serialize(name: string, value: string): string {
    if (!TOKEN.test(name)) throw new TypeError(`cookie name is invalid: ${JSON.stringify(name)}`);
    const parts = [`${name}=${encodeURIComponent(value)}`];
    const { domain, path, expires, httpOnly, secure, partitioned, priority, sameSite } = this.data;
    if (domain) parts.push(`Domain=${checkedAttribute("domain", domain)}`);
    if (path) parts.push(`Path=${checkedAttribute("path", path)}`);
    if (expires instanceof Date) {
      if (!Number.isFinite(expires.valueOf())) throw new TypeError("cookie expires is an invalid Date");
      parts.push(`Expires=${expires.toUTCString()}`);
    }
    if (httpOnly) parts.push("HttpOnly");
    if (secure) parts.push("Secure");
    if (partitioned) parts.push("Partitioned");
    if (priority) parts.push(`Priority=${priority[0]?.toUpperCase()}${priority.slice(1)}`);
    const site = sameSiteAttribute(sameSite);
    if (site !== undefined) parts.push(`SameSite=${site}`);
    return parts.join("; ");
  }

  /** What `JSON.stringify` writes: {@link Cookie.data}. */
  toJSON(): CookieData {
    return this.data;
  }
}
