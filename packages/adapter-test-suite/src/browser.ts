/**
 * A client that keeps the session cookie between requests the way a browser does: the last
 * `Set-Cookie` line for the cookie wins, and an empty value or `Max-Age=0` removes it.
 */
import type { RunningApp } from "./contract.js";
import { isClearing } from "./cookie-jar.js";

/** One response, read. */
export interface Reply<Body = Record<string, unknown>> {
  status: number;
  body: Body;
  /** Every `Set-Cookie` line of the response. */
  setCookies: string[];
  /** The last `Set-Cookie` line for the session cookie, if any. */
  sessionLine: string | undefined;
}

export const COOKIE_NAME = "tessera.sid";

export class Browser {
  /** The `name=value` pair the browser would send, or `null`. */
  cookie: string | null = null;

  constructor(private app: RunningApp) {}

  /** Points the browser at another app (same cookie jar), e.g. after a restart with new secrets. */
  use(app: RunningApp): void {
    this.app = app;
  }

  async request<Body = Record<string, unknown>>(method: string, path: string): Promise<Reply<Body>> {
    const headers: Record<string, string> = {};
    if (this.cookie !== null) headers.cookie = this.cookie;
    const response = await this.app.fetch(path, { method, headers });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    const setCookies = response.headers.getSetCookie();
    const sessionLines = setCookies.filter((line) => line.startsWith(`${COOKIE_NAME}=`));
    const sessionLine = sessionLines.at(-1);
    if (sessionLine !== undefined) this.cookie = isClearing(sessionLine) ? null : (sessionLine.split(";")[0] as string);
    return { status: response.status, body: body as Body, setCookies, sessionLine };
  }
}
