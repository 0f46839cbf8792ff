/**
 * A small fleet for the rolling-deploy test: two app processes (rolling-deploy-app.mjs) on one
 * Redis behind a round-robin balancer, and browsers that keep their cookie and count their
 * requests, so a request that comes back with a restarted counter is a logout.
 */
import { fileURLToPath } from "node:url";
import { type AppProcess as App, cookieAfter, startAppProcess, stopAppProcess } from "@tessera/adapter-test-suite/app-fleet";

const APP = fileURLToPath(new URL("./rolling-deploy-app.mjs", import.meta.url));

/** The `secrets` option of one process, as it would be deployed. */
export type SecretsConfig = string[] | { current: string; previous?: string | string[]; next?: string | string[] };

function startApp(redisUrl: string, prefix: string, secrets: SecretsConfig): Promise<App> {
  return startAppProcess({
    name: "app",
    script: APP,
    args: [redisUrl],
    env: { SESSION_SECRETS: JSON.stringify(secrets), SESSION_PREFIX: prefix },
  });
}

/** One browser: its cookie jar (the session cookie only) and how many requests its session has counted. */
export interface Browser {
  cookie: string;
  count: number;
}

/** What one stage of requests did. */
export interface StageResult {
  /** Requests that carried a session cookie but came back with a new session. */
  readonly logouts: number;
  /** Browsers logged out at least once. */
  readonly browsersLoggedOut: number;
  /** Responses with a `Set-Cookie` line, per process (index 0 and 1). */
  readonly setCookies: [number, number];
}

/** A deterministic pseudo-random sequence (mulberry32), so every run sends the same requests in the same order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two app processes on one Redis key prefix, behind a round-robin balancer. */
export class Fleet {
  readonly #redisUrl: string;
  readonly #prefix: string;
  readonly #apps: (App | undefined)[] = [undefined, undefined];
  #turn = 0;
  readonly #random = seededRandom(0x5e55);

  constructor(redisUrl: string, prefix: string) {
    this.#redisUrl = redisUrl;
    this.#prefix = prefix;
  }

  /** Replaces process `index` (0 or 1) with one running `secrets`, as a rolling deploy does. */
  async deploy(index: 0 | 1, secrets: SecretsConfig): Promise<void> {
    const running = this.#apps[index];
    if (running) await stopAppProcess(running);
    this.#apps[index] = await startApp(this.#redisUrl, this.#prefix, secrets);
  }

  async stop(): Promise<void> {
    await Promise.all(this.#apps.map((app) => (app ? stopAppProcess(app) : undefined)));
  }

  /**
   * Sends `requests` requests in rounds: in each, every browser sends one request, in a shuffled
   * order (so no browser sticks to one process), each to the balancer's next process. A round's
   * requests run concurrently; they belong to different sessions, and each one's process is chosen
   * before any is sent, so the outcome does not depend on timing.
   */
  async run(browsers: Browser[], requests: number): Promise<StageResult> {
    let logouts = 0;
    const loggedOut = new Set<Browser>();
    const setCookies: [number, number] = [0, 0];
    const send = async (browser: Browser, index: 0 | 1): Promise<void> => {
      const app = this.#apps[index] as App;
      const response = await fetch(`http://127.0.0.1:${app.port}/`, { headers: browser.cookie ? { cookie: browser.cookie } : {} });
      if (response.status !== 200) throw new Error(`process ${index} answered ${response.status}: ${await response.text()}`);
      const reply = (await response.json()) as { count: number };
      const lines = response.headers.getSetCookie();
      if (lines.length > 0) setCookies[index]++;
      browser.cookie = cookieAfter(browser.cookie, lines);
      if (browser.count > 0 && reply.count !== browser.count + 1) {
        logouts++;
        loggedOut.add(browser);
      }
      browser.count = reply.count;
    };
    for (let sent = 0; sent < requests; ) {
      const round = this.#shuffled(browsers).slice(0, requests - sent);
      sent += round.length;
      await Promise.all(round.map((browser) => send(browser, (this.#turn++ % 2) as 0 | 1)));
    }
    return { logouts, browsersLoggedOut: loggedOut.size, setCookies };
  }

  #shuffled<T>(items: T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy;
  }
}

/** `count` browsers without cookies. */
export function newBrowsers(count: number): Browser[] {
  return Array.from({ length: count }, () => ({ cookie: "", count: 0 }));
}

/** The key id at the start of a session cookie's value (`<kid>.<id>.<mac>`). */
export function kidOf(browser: Browser): string {
  return browser.cookie.slice(browser.cookie.indexOf("=") + 1).split(".")[0] ?? "";
}
