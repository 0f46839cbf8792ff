/**
 * Rotating the secret during a rolling deploy: two app processes on one Redis, behind a
 * round-robin balancer, 50 browsers, 1,000 requests while the two processes run different
 * configurations and 200 while they run the same one (each request reads and increments a
 * counter). The processes run the built packages (plain node cannot load TypeScript): build first.
 *
 * - Naive order: one process on [k1], the other already on [k2, k1]. The second re-signs cookies
 *   with k2 and the first cannot verify them: users are logged out.
 * - Two-phase order: { current: k1, next: k2 } everywhere, then { current: k2, previous: k1 },
 *   then [k2]. No stage, mixed or not, logs anyone out, and a cookie once re-signed with k2 is never
 *   signed back with k1.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import "@tessera/test-redis/vitest";
import { inject } from "vitest";
import { uniquePrefix } from "./clients.js";
import { type Browser, Fleet, kidOf, newBrowsers, type SecretsConfig, type StageResult } from "./rolling-deploy-fleet.js";

const K1 = "rolling-deploy-secret-one-0123456789abcdef";
const K2 = "rolling-deploy-secret-two-0123456789abcdef";
const BROWSERS = 50;
/** Requests while the processes run different configurations: where a logout can happen. */
const MIXED_REQUESTS = 1_000;
/** Requests while both run the same configuration (enough for every browser to visit both). */
const STEADY_REQUESTS = 200;
const TIMEOUT_MS = 240_000;

const NO_LOGOUT = { logouts: 0, browsersLoggedOut: 0 };

describe("rotating the secret during a rolling deploy (two processes, one Redis)", () => {
  let fleet: Fleet | undefined;

  beforeAll(() => {
    for (const dist of ["../dist/index.js", "../node_modules/@tessera/core/dist/index.js"]) {
      if (!existsSync(fileURLToPath(new URL(dist, import.meta.url)))) throw new Error(`missing ${dist}: run \`pnpm build\` first`);
    }
  });
  afterEach(async () => {
    await fleet?.stop();
    fleet = undefined;
  });

  async function startFleet(secrets: SecretsConfig): Promise<Fleet> {
    fleet = new Fleet(inject("redisUrl"), uniquePrefix("rolling-deploy"));
    await Promise.all([fleet.deploy(0, secrets), fleet.deploy(1, secrets)]);
    return fleet;
  }

  /** Every browser gets a session signed with k1 (and a counter at 20). */
  async function establish(current: Fleet, browsers: Browser[]): Promise<string> {
    expect(await current.run(browsers, STEADY_REQUESTS)).toEqual({ ...NO_LOGOUT, setCookies: [expect.any(Number), expect.any(Number)] });
    const kids = new Set(browsers.map(kidOf));
    expect(kids.size).toBe(1);
    return [...kids][0] as string;
  }

  it(
    "naive order: [k1] next to [k2, k1] logs users out",
    async () => {
      const current = await startFleet([K1]);
      const browsers = newBrowsers(BROWSERS);
      await establish(current, browsers);
      await current.deploy(1, [K2, K1]);
      const mixed = await current.run(browsers, MIXED_REQUESTS);
      console.info(
        `naive rotation, [k1] and [k2, k1] side by side: ${mixed.browsersLoggedOut}/${BROWSERS} browsers logged out, ${mixed.logouts} of ${MIXED_REQUESTS} requests lost their session`,
      );
      expect(mixed.logouts).toBeGreaterThan(0);
      expect(mixed.browsersLoggedOut).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it(
    "two-phase order: k2 verify-only everywhere, then promoted, then k1 dropped, logs no one out",
    async () => {
      const current = await startFleet([K1]);
      const browsers = newBrowsers(BROWSERS);
      const kid1 = await establish(current, browsers);
      const stages: Array<{ stage: string; requests: number; result: StageResult }> = [];
      const stage = async (name: string, requests: number): Promise<StageResult> => {
        const result = await current.run(browsers, requests);
        stages.push({ stage: name, requests, result });
        return result;
      };

      // Phase 1: add k2 as verify-only. Nothing is signed with it yet, so nothing changes.
      await current.deploy(1, { current: K1, next: K2 });
      expect(await stage("[k1] | {k1, next k2}", MIXED_REQUESTS)).toEqual({ ...NO_LOGOUT, setCookies: [0, 0] });
      await current.deploy(0, { current: K1, next: K2 });
      expect(await stage("{k1, next k2} everywhere", STEADY_REQUESTS)).toEqual({ ...NO_LOGOUT, setCookies: [0, 0] });

      // Phase 2: promote k2. The promoted process re-signs each cookie once; the other accepts k2
      // cookies as they are, so no cookie goes back to k1.
      await current.deploy(1, { current: K2, previous: K1 });
      expect(await stage("{k1, next k2} | {k2, previous k1}", MIXED_REQUESTS)).toEqual({ ...NO_LOGOUT, setCookies: [0, BROWSERS] });
      const kids = new Set(browsers.map(kidOf));
      expect(kids.size).toBe(1);
      const kid2 = [...kids][0];
      expect(kid2).not.toBe(kid1);
      await current.deploy(0, { current: K2, previous: K1 });
      expect(await stage("{k2, previous k1} everywhere", STEADY_REQUESTS)).toEqual({ ...NO_LOGOUT, setCookies: [0, 0] });

      // Phase 3, after the cookie lifetime: drop k1.
      await current.deploy(1, [K2]);
      expect(await stage("{k2, previous k1} | [k2]", MIXED_REQUESTS)).toEqual({ ...NO_LOGOUT, setCookies: [0, 0] });
      await current.deploy(0, [K2]);
      expect(await stage("[k2] everywhere", STEADY_REQUESTS)).toEqual({ ...NO_LOGOUT, setCookies: [0, 0] });

      expect(browsers.map(kidOf)).toEqual(browsers.map(() => kid2));
      // Each browser's counter went up by one per request through every stage: no session was lost.
      expect(browsers.reduce((sum, browser) => sum + browser.count, 0)).toBe(
        STEADY_REQUESTS + stages.reduce((sum, { requests }) => sum + requests, 0),
      );
      console.info(
        `two-phase rotation: ${stages.map(({ stage: name, requests, result }) => `${name}: ${result.logouts} logouts in ${requests} requests`).join("; ")}`,
      );
    },
    TIMEOUT_MS,
  );

  it(
    "listing k2 as an older secret instead of `next` logs no one out but re-signs cookies back and forth",
    async () => {
      const current = await startFleet([K1]);
      const browsers = newBrowsers(BROWSERS);
      await establish(current, browsers);
      await current.deploy(0, [K1, K2]);
      await current.deploy(1, [K2, K1]);
      const mixed = await current.run(browsers, MIXED_REQUESTS);
      const reSigned = mixed.setCookies[0] + mixed.setCookies[1];
      console.info(`[k1, k2] next to [k2, k1]: ${mixed.logouts} logouts, ${reSigned} of ${MIXED_REQUESTS} responses re-signed the cookie`);
      expect(mixed.logouts).toBe(0);
      // With `next`, each browser is re-signed once (see above); here many times over.
      expect(reSigned).toBeGreaterThan(4 * BROWSERS);
    },
    TIMEOUT_MS,
  );
});
