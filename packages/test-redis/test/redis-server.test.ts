import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type RedisServer, redisCommand, startRedisServer } from "../src/index.js";

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

describe("startRedisServer", () => {
  const started: RedisServer[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((server) => server.stop()));
  });

  it("starts a private server on a random loopback port with persistence off", async () => {
    const server = await startRedisServer();
    started.push(server);
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await server.command("PING")).toBe("PONG");
    expect(await server.command("CONFIG", "GET", "save")).toEqual(["save", ""]);
    expect(await server.command("CONFIG", "GET", "appendonly")).toEqual(["appendonly", "no"]);
    expect(await server.command("CONFIG", "GET", "bind")).toEqual(["bind", "127.0.0.1"]);
    expect(await server.log()).toMatch(/Ready to accept connections/);
  });

  it("gives two servers different ports and applies extra arguments", async () => {
    const [a, b] = await Promise.all([startRedisServer(), startRedisServer({ args: ["--maxmemory", "12mb"] })]);
    started.push(a, b);
    expect(a.port).not.toBe(b.port);
    await a.command("SET", "k", "a");
    expect(await b.command("GET", "k")).toBeNull();
    expect(await b.command("CONFIG", "GET", "maxmemory")).toEqual(["maxmemory", String(12 * 1024 * 1024)]);
  });

  it("stop() ends the process, frees the port, removes its directory, and is idempotent", async () => {
    const server = await startRedisServer();
    expect(server.running).toBe(true);
    await Promise.all([server.stop(), server.stop()]);
    expect(server.running).toBe(false);
    expect(alive(server.pid)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
    await expect(redisCommand(server.port, ["PING"], { timeoutMs: 1_000 })).rejects.toThrow(/ECONNREFUSED/);
    await server.stop();
  });

  it("restarts on a given port after a stop", async () => {
    const first = await startRedisServer();
    await first.command("SET", "k", "v");
    await first.stop();
    const second = await startRedisServer({ port: first.port });
    started.push(second);
    expect(second.port).toBe(first.port);
    expect(await second.command("GET", "k")).toBeNull();
  });

  it("names the missing binary in its error", async () => {
    await expect(startRedisServer({ redisServerPath: "/nonexistent/redis-server" })).rejects.toThrow(/not found.*REDIS_SERVER_BIN/);
  });

  it("reports the server's own log when it cannot start", async () => {
    await expect(startRedisServer({ args: ["--no-such-option", "1"] })).rejects.toThrow(/did not start[\s\S]*no-such-option/i);
  });

  it("kills its servers when the process that started them is killed with SIGKILL", async () => {
    // The child imports the built package (plain node cannot load the TypeScript sources).
    const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    expect(existsSync(entry), "build @tessera/test-redis first (pnpm build)").toBe(true);
    const script = `
      import { startRedisServer } from ${JSON.stringify(entry)};
      const server = await startRedisServer();
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

  it("does not keep a script alive, and kills the servers it forgot to stop when it ends", async () => {
    const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
    // No stop() and no process.exit(): the script must still end by itself.
    const script = `
      import { startRedisServer } from ${JSON.stringify(entry)};
      const server = await startRedisServer();
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
