/**
 * Two app processes share one PostgreSQL database: requests alternate between them and both see
 * the same session — counting, login (regenerate with an owner) and logout. One process uses a
 * pg Pool, the other postgres.js, with the same secret and table, as a multi-server deployment
 * would. The processes run the built packages (plain node cannot load TypeScript): `pnpm build` first.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@tessera/test-postgres/vitest";
import { inject } from "vitest";
import { connectClient, type TestClient, uniqueTable } from "./clients.js";

const FIXTURE = fileURLToPath(new URL("./fixtures/app-server.mjs", import.meta.url));
const SECRET = "two-process-shared-secret-0123456789abcdefgh";

interface App {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
}

function startApp(name: string, client: "pg" | "postgres.js", table: string): Promise<App> {
  const child = spawn(process.execPath, [FIXTURE, name, inject("postgresUrl"), client], {
    env: { ...process.env, SESSION_SECRET: SECRET, SESSION_TABLE: table },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += String(chunk);
      const match = /listening (\d+)/.exec(output);
      if (match) resolve({ name, port: Number(match[1]), process: child });
    });
    child.once("exit", (code) => reject(new Error(`${name} exited with code ${code} before listening`)));
  });
}

interface Reply {
  served: string;
  pid: number;
  isNew: boolean;
  data: Record<string, unknown>;
}

describe("two app processes sharing one PostgreSQL database", () => {
  const apps: App[] = [];
  const table = uniqueTable("two_process");
  let db: TestClient;
  let cookie = "";

  async function request(app: App, path: string): Promise<Reply> {
    const response = await fetch(`http://127.0.0.1:${app.port}${path}`, { headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      cookie = /=$/.test(pair) || /max-age=0/i.test(line) ? "" : pair;
    }
    expect(response.status).toBe(200);
    return (await response.json()) as Reply;
  }

  beforeAll(async () => {
    for (const dist of ["../dist/index.js", "../node_modules/@tessera/core/dist/index.js"]) {
      if (!existsSync(fileURLToPath(new URL(dist, import.meta.url)))) throw new Error(`missing ${dist}: run \`pnpm build\` first`);
    }
    db = await connectClient("pg Pool", inject("postgresUrl"));
    apps.push(...(await Promise.all([startApp("app-a", "pg", table), startApp("app-b", "postgres.js", table)])));
  });
  afterAll(async () => {
    await Promise.all(
      apps.map(
        (app) =>
          new Promise<void>((resolve) => {
            if (app.process.exitCode !== null) return resolve();
            app.process.once("exit", () => resolve());
            app.process.kill("SIGTERM");
          }),
      ),
    );
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
    const before = cookie;
    const login = await request(apps[1] as App, "/login?user=ada");
    expect(login.data).toEqual({ count: 10, user: "ada" });
    expect(cookie).not.toBe(before);
    expect((await request(apps[0] as App, "/count")).data).toEqual({ count: 11, user: "ada" });
    expect(await db.sql(`SELECT owner FROM "${table}"`)).toEqual([["ada"]]);
    const current = cookie;
    cookie = before;
    const stale = await request(apps[0] as App, "/");
    expect(stale.isNew).toBe(true);
    expect(stale.data).toEqual({});
    cookie = current;
  });

  it("a logout on one server ends the session on the other", async () => {
    const loggedIn = cookie;
    await request(apps[0] as App, "/logout");
    cookie = loggedIn;
    const after = await request(apps[1] as App, "/");
    expect(after.isNew).toBe(true);
    expect(after.data).toEqual({});
    expect((await db.sql(`SELECT count(*) FROM "${table}" WHERE owner = 'ada'`))[0]?.[0]).toBe("0");
  });
});
