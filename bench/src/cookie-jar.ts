/** A minimal cookie jar for the verification requests: name → value, updated from `Set-Cookie`. */

export class CookieJar {
  readonly #values = new Map<string, string>();

  /** Applies `Set-Cookie` lines; a line with `Max-Age=0`, an empty value or a past `Expires` removes the cookie. */
  update(setCookieLines: readonly string[]): void {
    for (const line of setCookieLines) {
      const [pair = "", ...attributes] = line.split(";");
      const equals = pair.indexOf("=");
      if (equals <= 0) continue;
      const name = pair.slice(0, equals).trim();
      const value = pair.slice(equals + 1).trim();
      const removed =
        value === "" ||
        attributes.some((attribute) => {
          const [key = "", attributeValue = ""] = attribute.split("=", 2).map((part) => part.trim());
          if (key.toLowerCase() === "max-age") return Number(attributeValue) <= 0;
          if (key.toLowerCase() === "expires") return Date.parse(attributeValue) <= Date.now();
          return false;
        });
      if (removed) this.#values.delete(name);
      else this.#values.set(name, value);
    }
  }

  get size(): number {
    return this.#values.size;
  }

  /** The `Cookie` request header for everything in the jar, or `null` when it is empty. */
  header(): string | null {
    if (this.#values.size === 0) return null;
    return [...this.#values].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}
