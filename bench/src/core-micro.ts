/**
 * Micro-benchmark of the core alone: `load` + `commit` per simulated request with the memory
 * store, on the read path (session read, unchanged), the write path (a counter incremented) and
 * the new-session path (no cookie; a session created), and the read path again with a crowded store
 * (100,000 other sessions, so one hot session is read many times among them); a read whose
 * request is a POST carrying a CSRF token in a header (`csrf-post`: the read path plus the check);
 * and a browser restart with only a login-token cookie (`login-token-redeem`: the series redeemed
 * and rotated, a restored session created, both cookies sent). Prints one JSON line: µs/op as the
 * median (and minimum) of several rounds.
 *
 * `node dist/core-micro.js [--rounds 7] [--ops 100000]`
 */
import { checkCsrf, createSessionManager, csrfPolicy, memoryStore } from "@tessera/core";
import { numberOption } from "./cli-args.js";
import type { CoreMicroPath } from "./core-micro-paths.js";
import { BENCH_SECRET, SEEDED_USER } from "./scenarios.js";
import { median, round } from "./stats.js";

/** Sessions stored beside the hot one on the `read-crowded` path. */
const CROWD_SIZE = 100_000;

export interface CoreMicroResult {
  rounds: number;
  ops: number;
  /** µs per load+commit, by path (results written before a path existed lack it). */
  results: Partial<Record<CoreMicroPath, { medianMicros: number; minMicros: number }>>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rounds = numberOption(args, "rounds", 7);
  const ops = numberOption(args, "ops", 100_000);

  const sink = { appendSetCookie() {} };
  /** A manager over its own memory store, `others` sessions in it, and the cookie of one seeded session. */
  async function seeded(others: number) {
    const manager = createSessionManager({ secrets: [BENCH_SECRET], store: memoryStore({ maxEntries: 1_000_000 }) });
    for (let i = 0; i < others; i++) {
      const other = await manager.load({ cookieHeader: null });
      other.set("counter", i);
      await manager.commit(other, sink);
    }
    let cookie = "";
    const seed = await manager.load({ cookieHeader: null });
    seed.set("counter", 0);
    seed.set("user", SEEDED_USER);
    await manager.commit(seed, { appendSetCookie: (line) => (cookie = line.split(";")[0] as string) });
    return { manager, cookie };
  }
  const { manager, cookie } = await seeded(0);
  const crowded = await seeded(Math.min(CROWD_SIZE, ops));

  // The seeded session's CSRF token, as a page rendered it; the policy is checked once, at startup.
  const tokenSession = await manager.load({ cookieHeader: cookie });
  const csrfToken = tokenSession.csrfToken();
  await manager.commit(tokenSession, sink);
  const policy = csrfPolicy(true);
  const csrfRequest = {
    method: "POST",
    url: "http://127.0.0.1:3000/cart",
    origin: "http://127.0.0.1:3000",
    secFetchSite: "same-origin",
    token: csrfToken,
  };

  // One owner's login token; every redemption rotates it, so the sink keeps the newest cookie.
  const loginStore = memoryStore({ maxEntries: 1_000_000 });
  const loginManager = createSessionManager({ secrets: [BENCH_SECRET], store: loginStore, loginTokens: {} });
  let loginCookie = "";
  const loginSink = {
    appendSetCookie(line: string) {
      if (line.startsWith("tessera.login=")) loginCookie = line.split(";")[0] as string;
    },
  };
  const login = await loginManager.load({ cookieHeader: null });
  login.owner = SEEDED_USER.id;
  login.issueLoginToken();
  await loginManager.commit(login, loginSink);

  const paths = {
    read: async () => {
      const session = await manager.load({ cookieHeader: cookie });
      session.get("counter");
      await manager.commit(session, sink);
    },
    write: async () => {
      const session = await manager.load({ cookieHeader: cookie });
      session.set("counter", (session.get("counter") as number) + 1);
      await manager.commit(session, sink);
    },
    new: async () => {
      const session = await manager.load({ cookieHeader: null });
      session.set("counter", 1);
      await manager.commit(session, sink);
    },
    "read-crowded": async () => {
      const session = await crowded.manager.load({ cookieHeader: crowded.cookie });
      session.get("counter");
      await crowded.manager.commit(session, sink);
    },
    "csrf-post": async () => {
      const session = await manager.load({ cookieHeader: cookie });
      if (!checkCsrf(csrfRequest, session, policy).ok) throw new Error("the CSRF check refused a valid token");
      session.get("counter");
      await manager.commit(session, sink);
    },
    "login-token-redeem": async () => {
      const session = await loginManager.load({ cookieHeader: loginCookie });
      if (!session.restoredFromLoginToken) throw new Error("the login token did not restore a session");
      await loginManager.commit(session, loginSink);
      // Steady state: otherwise the owner's index grows by one session per op.
      await loginStore.destroy(session.id);
    },
  };

  const results = {} as CoreMicroResult["results"];
  for (const [name, run] of Object.entries(paths) as Array<[keyof typeof paths, () => Promise<void>]>) {
    for (let i = 0; i < ops / 5; i++) await run(); // warm-up
    const samples: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const started = performance.now();
      for (let i = 0; i < ops; i++) await run();
      samples.push(((performance.now() - started) * 1000) / ops);
    }
    results[name] = { medianMicros: round(median(samples), 2), minMicros: round(Math.min(...samples), 2) };
  }
  const output: CoreMicroResult = { rounds, ops, results };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

await main();
