/**
 * Every cookie of one browser by name, as a browser keeps them across responses: the last
 * `Set-Cookie` line for a name wins, a clearing line removes it, and `restart()` drops the
 * browser-session cookies (what closing the browser does), keeping the persistent ones.
 */

/** Whether a `Set-Cookie` line removes the cookie (empty value, `Max-Age=0` or an expiry in the past). */
export function isClearing(line: string): boolean {
  const value = (line.split(";")[0] as string).split("=").slice(1).join("=");
  return value === "" || /;\s*max-age=0\b/i.test(line) || /;\s*expires=Thu, 01 Jan 1970/i.test(line);
}

export class CookieJar {
  readonly #cookies = new Map<string, { value: string; persistent: boolean }>();

  /** Takes in a response's `Set-Cookie` lines. */
  receive(lines: readonly string[]): void {
    for (const line of lines) {
      const pair = line.split(";")[0] as string;
      const name = pair.slice(0, pair.indexOf("="));
      if (isClearing(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, { value: pair.slice(name.length + 1), persistent: /;\s*max-age=/i.test(line) });
    }
  }

  /** The `Cookie` header the browser would send, or `null` when it holds none. */
  get header(): string | null {
    return this.#cookies.size === 0 ? null : [...this.#cookies].map(([name, { value }]) => `${name}=${value}`).join("; ");
  }

  /** The value of one cookie. */
  get(name: string): string | undefined {
    return this.#cookies.get(name)?.value;
  }

  /** Whether the browser holds a cookie of that name. */
  has(name: string): boolean {
    return this.#cookies.has(name);
  }

  /** Closing and reopening the browser: browser-session cookies are gone. */
  restart(): void {
    for (const [name, cookie] of this.#cookies) if (!cookie.persistent) this.#cookies.delete(name);
  }

  /** Another browser holding copies of these cookies (a stolen cookie file). */
  copy(): CookieJar {
    const other = new CookieJar();
    for (const [name, cookie] of this.#cookies) other.#cookies.set(name, { ...cookie });
    return other;
  }
}
