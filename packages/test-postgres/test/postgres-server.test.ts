import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type PostgresServer, startPostgres } from "../src/index.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !alive(pid);
}

describe("startPostgres", () => {
  const started: PostgresServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });

  it("starts a private server on a random loopback port with trust authentication", async () => {
    const server = await startPostgres();
    started.push(server);
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    expect(server.running).toBe(true);
    expect(await server.psql("select current_user, current_database(), 1 + 1")).toBe("postgres|postgres|2");
    expect(await server.psql("show listen_addresses")).toBe("127.0.0.1");
    expect(await server.psql("show fsync")).toBe("off");
    expect(await server.log()).toMatch(/ready to accept connections/);
  });

  it("gives two servers different ports and data, and applies settings", async () => {
    const [a, b] = await Promise.all([
      startPostgres(),
      startPostgres({ settings: { shared_preload_libraries: "pg_stat_statements", fsync: true } }),
    ]);
    started.push(a, b);
    expect(a.port).not.toBe(b.port);
    await a.psql("create table only_in_a (x int)");
    expect(await b.psql("select to_regclass('only_in_a') is null")).toBe("t");
    expect(await b.psql("show fsync")).toBe("on");
    await b.psql("create extension pg_stat_statements");
    expect(await b.psql("select count(*) >= 0 from pg_stat_statements")).toBe("t");
  });

  it("halt() cuts the server off and keeps its data; start() brings it back on the same port", async () => {
    const server = await startPostgres();
    started.push(server);
    await server.psql("create table kept (x int); insert into kept values (42)");
    const firstPid = server.pid;
    await Promise.all([server.halt(), server.halt()]);
    expect(server.running).toBe(false);
    expect(server.pid).toBeUndefined();
    expect(alive(firstPid as number)).toBe(false);
    await expect(server.psql("select 1")).rejects.toThrow(/refused|No such file|could not connect/i);
    await Promise.all([server.start(), server.start()]);
    expect(server.running).toBe(true);
    expect(server.pid).not.toBe(firstPid);
    expect(await server.psql("select x from kept")).toBe("42");
    await server.restart();
    expect(await server.psql("select x from kept")).toBe("42");
  });

  it("stop() ends the process, removes its directory, is idempotent, and forbids a later start()", async () => {
    const server = await startPostgres();
    const pid = server.pid as number;
    await Promise.all([server.stop(), server.stop()]);
    expect(server.running).toBe(false);
    expect(alive(pid)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
    await server.stop();
    await expect(server.start()).rejects.toThrow(/stopped/);
  });

  it("starts on a fixed port", async () => {
    const first = await startPostgres();
    const port = first.port;
    await first.stop();
    const second = await startPostgres({ port });
    started.push(second);
    expect(second.port).toBe(port);
    expect(await second.psql("select 1")).toBe("1");
  });

  it("names the missing binaries in its error", async () => {
    await expect(startPostgres({ binDir: "/nonexistent" })).rejects.toThrow(/does not contain initdb and postgres/);
  });

  it("reports the server's own log when it cannot start", async () => {
    await expect(startPostgres({ settings: { no_such_setting: 1 } })).rejects.toThrow(/did not start[\s\S]*no_such_setting/);
  });

  it("kills its server when the process that started it is killed with SIGKILL", async () => {
    // The child imports the built package (plain node cannot load the TypeScript sources).
    const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    expect(existsSync(entry), "build @tessera/test-postgres first (pnpm build)").toBe(true);
    const script = `
      import { startPostgres } from ${JSON.stringify(entry)};
      const server = await startPostgres();
      process.stdout.write(server.pid + "\\n");
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.stdout.once("data", (chunk: Buffer) => resolve(Number(String(chunk).trim())));
      child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    expect(alive(pid)).toBe(true);
    child.kill("SIGKILL");
    expect(await waitUntilGone(pid, 10_000)).toBe(true);
  });

  it("does not keep a script alive, and kills the server it forgot to stop when it ends", async () => {
    const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    const script = `
      import { startPostgres } from ${JSON.stringify(entry)};
      const server = await startPostgres();
      process.stdout.write(server.pid + "\\n");
    `;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += String(chunk);
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    const pid = Number(output.trim());
    expect(pid).toBeGreaterThan(0);
    expect(await waitUntilGone(pid, 10_000)).toBe(true);
  });
});
