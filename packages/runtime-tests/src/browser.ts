/**
 * A minimal browser for driving a Hono app through `app.request()`: it keeps the cookies the
 * responses set and sends them back, the way a real browser does for one site.
 */

/** Anything with Hono's `request` method. */
export interface RequestTarget {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** What one exchange returned. */
export interface Exchange<Body> {
  readonly status: number;
  readonly body: Body;
  /** The raw `Set-Cookie` lines of the response. */
  readonly setCookies: string[];
}

/** The `name=value` pair that starts a `Set-Cookie` line. */
export function cookiePair(line: string): { name: string; value: string } {
  const pair = line.split(";", 1)[0] ?? "";
  const equals = pair.indexOf("=");
  return { name: pair.slice(0, equals).trim(), value: pair.slice(equals + 1).trim() };
}

/** True when a `Set-Cookie` line removes its cookie (`Max-Age=0` or an `Expires` in the past). */
export function isClearing(line: string): boolean {
  if (/;\s*max-age=0(?:;|$)/i.test(line)) return true;
  const expires = /;\s*expires=([^;]+)/i.exec(line)?.[1];
  return expires !== undefined && Date.parse(expires) <= 0;
}

export class Browser {
  readonly #jar = new Map<string, string>();

  /** The `Cookie` header this browser would send, or `null` with an empty jar. */
  get cookieHeader(): string | null {
    if (this.#jar.size === 0) return null;
    return [...this.#jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** The value of cookie `name` in the jar. */
  cookie(name: string): string | undefined {
    return this.#jar.get(name);
  }

  /** Puts a cookie in the jar as is (to replay an old or tampered value). */
  setCookie(name: string, value: string): void {
    this.#jar.set(name, value);
  }

  /** Sends a request with the jar's cookies and stores the cookies of the response. */
  async send<Body = unknown>(target: RequestTarget, path: string, payload?: unknown): Promise<Exchange<Body>> {
    const headers = new Headers();
    const cookies = this.cookieHeader;
    if (cookies !== null) headers.set("cookie", cookies);
    const init: RequestInit = { method: payload === undefined ? "GET" : "POST", headers };
    if (payload !== undefined) {
      headers.set("content-type", "application/json");
      init.body = JSON.stringify(payload);
    }
    const response = await target.request(`http://app.test${path}`, init);
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) {
      const { name, value } = cookiePair(line);
      if (value === "" || isClearing(line)) this.#jar.delete(name);
      else this.#jar.set(name, value);
    }
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (an error page): keep the text, the assertions will show it.
    }
    return { status: response.status, body: body as Body, setCookies };
  }
}
