/**
 * Two app processes share one PostgreSQL database: requests alternate between them and both see
 * the same session — counting, login (regenerate with an owner) and logout. One process uses a
 * pg Pool, the other postgres.js, with the same secret and table, as a multi-server deployment
 * would. The processes run the built packages (plain node cannot load TypeScript): `pnpm build` first.
 */
import { fileURLToPath } from "node:url";
import { type AppProcess as App, AppBrowser, assertBuilt, startAppProcess, stopAppProcess } from "@tessera/adapter-test-suite/app-fleet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tessera/test-postgres/vitest";
import { inject } from "vitest";
import { connectClient, type TestClient, uniqueTable } from "./clients.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/app-server.mjs", import.meta.url));
const SECRET = "two-process-shared-secret-0123456789abcdefgh";

function startApp(name: string, client: "pg" | "postgres.js", table: string): Promise<App> {
  return startAppProcess({
    name,
    script: FIXTURE,
    args: [name, inject("postgresUrl"), client],
    env: { SESSION_SECRET: SECRET, SESSION_TABLE: table },
  });
}

describe("two app processes sharing one PostgreSQL database", () => {
  const apps: App[] = [];
  const table = uniqueTable("two_process");
  let db: TestClient;
  const browser = new AppBrowser();
  const request = (app: App, path: string) => browser.request(app, path);

  beforeAll(async () => {
    assertBuilt(import.meta.url, ["../dist/index.js", "../node_modules/@tessera/core/dist/index.js"]);
    db = await connectClient("pg Pool", inject("postgresUrl"));
    apps.push(...(await Promise.all([startApp("app-a", "pg", table), startApp("app-b", "postgres.js", table)])));
  });
  afterAll(async () => {
    await Promise.all(apps.map(stopAppProcess));
    await db?.close();
  });

  it("alternating requests see and update the same session", async () => {
    const served: string[] = [];
    const pids = new Set<number>();
    for (let i = 1; i <= 10; i++) {
      const app = apps[i % 2] as App;
      const reply = await request(app, "/count");
      served.push(reply.served);
      pids.add(reply.pid);
      expect(reply.data.count).toBe(i);
    }
    expect(served).toEqual(["app-b", "app-a", "app-b", "app-a", "app-b", "app-a", "app-b", "app-a", "app-b", "app-a"]);
    expect(pids.size).toBe(2);
    expect((await request(apps[0] as App, "/")).data).toEqual({ count: 10 });
    expect((await db.sql(`SELECT count(*) FROM "${table}"`))[0]?.[0]).toBe("1");
  });

  it("a login on one server (new ID, owner) is seen by the other; the old cookie is dead everywhere", async () => {
    const before = browser.cookie;
    const login = await request(apps[1] as App, "/login?user=ada");
    expect(login.data).toEqual({ count: 10, user: "ada" });
    expect(browser.cookie).not.toBe(before);
    expect((await request(apps[0] as App, "/count")).data).toEqual({ count: 11, user: "ada" });
    expect(await db.sql(`SELECT owner FROM "${table}"`)).toEqual([["ada"]]);
    const current = browser.cookie;
    browser.cookie = before;
    const stale = await request(apps[0] as App, "/");
    expect(stale.isNew).toBe(true);
    expect(stale.data).toEqual({});
    browser.cookie = current;
  });

  it("a logout on one server ends the session on the other", async () => {
    const loggedIn = browser.cookie;
    await request(apps[0] as App, "/logout");
    browser.cookie = loggedIn;
    const after = await request(apps[1] as App, "/");
    expect(after.isNew).toBe(true);
    expect(after.data).toEqual({});
    expect((await db.sql(`SELECT count(*) FROM "${table}" WHERE owner = 'ada'`))[0]?.[0]).toBe("0");
  });
});
