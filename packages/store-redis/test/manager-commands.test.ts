/**
 * The benchmark bar in commands (issue 5), checked through the real session manager on a server of
 * this file's own and observed with MONITOR: a read is one HGETALL and no write; a change is one
 * HGETALL plus one EVALSHA; a new session is one EVALSHA; a read-only session is touched at most
 * once per touchAfterSeconds.
 */
import { createSessionManager } from "@tessera/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisStore } from "../src/index.js";
import { type ClientName, standaloneClient, type TestClient, uniquePrefix } from "./clients.js";
import { monitoredServer } from "./monitor.js";

const SECRET = "manager-commands-secret-0123456789abcdefghij";
const env = monitoredServer();

describe.each<ClientName>(["node-redis v6", "node-redis v5", "ioredis v6", "ioredis v5"])("commands per request with %s", (clientName) => {
  let connection: TestClient;
  beforeAll(async () => {
    connection = await standaloneClient(clientName, env.server.url);
  });
  afterAll(async () => {
    await connection?.close();
  });

  it("read = 1 HGETALL; write = HGETALL + 1 EVALSHA; new = 1 EVALSHA; touch at most once per touchAfterSeconds", async () => {
    let now = Date.now();
    const manager = createSessionManager<{ count: number }>({
      secrets: [SECRET],
      store: redisStore({ client: connection.client, prefix: uniquePrefix("manager") }),
      idleTimeoutSeconds: 3_600,
      touchAfterSeconds: 600,
      now: () => now,
    });
    let cookie = "";
    const request = async (change: (session: { get(k: "count"): number | undefined; set(k: "count", v: number): void }) => void) => {
      const session = await manager.load({ cookieHeader: cookie || null });
      change(session);
      await manager.commit(session, {
        appendSetCookie: (line) => {
          cookie = line.split(";")[0] ?? "";
        },
      });
      return session;
    };
    // Warm the script cache so a first-use NOSCRIPT fallback is not counted.
    await request((s) => s.set("count", 0));
    await request((s) => s.set("count", 1));
    const commands = async () => (await env.recorder.takeClientCommands()).map((c) => c.args[0]);
    await env.recorder.take();

    cookie = "";
    await request((s) => s.set("count", 1));
    expect(await commands()).toEqual(["EVALSHA"]); // C: new session, one create

    await request(() => {});
    expect(await commands()).toEqual(["HGETALL"]); // A: read, unchanged

    await request((s) => s.set("count", (s.get("count") ?? 0) + 1));
    expect(await commands()).toEqual(["HGETALL", "EVALSHA"]); // B: one read, one delta write

    now += 599_000;
    await request(() => {});
    expect(await commands()).toEqual(["HGETALL"]); // not yet due

    now += 2_000;
    await request(() => {});
    expect(await commands()).toEqual(["HGETALL", "EVALSHA"]); // due: one touch

    await request(() => {});
    await request(() => {});
    expect(await commands()).toEqual(["HGETALL", "HGETALL"]); // touched just now: reads only

    const last = await request(() => {});
    expect(last.get("count")).toBe(2);
  });
});
