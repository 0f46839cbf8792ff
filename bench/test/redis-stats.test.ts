import { type RedisServer, startRedisServer } from "@tessera/test-redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classifyRoundTrips,
  commandKindResolver,
  commandsPerRequest,
  parseCommandStats,
  parseMonitorLines,
  startMonitor,
  summarizeRoundTrips,
} from "../src/redis-stats.js";

describe("parsing", () => {
  it("reads calls per command from INFO commandstats, subcommands included", () => {
    const info =
      "# Commandstats\r\ncmdstat_hgetall:calls=12,usec=7,usec_per_call=0.58,rejected_calls=0,failed_calls=0\r\ncmdstat_config|resetstat:calls=1,usec=49\r\n";
    expect([...parseCommandStats(info)]).toEqual([
      ["hgetall", 12],
      ["config|resetstat", 1],
    ]);
  });

  it("divides the app's command deltas by requests, leaving out the orchestrator's own commands", () => {
    const before = new Map([
      ["hgetall", 10],
      ["info", 3],
    ]);
    const after = new Map([
      ["hgetall", 30],
      ["evalsha", 20],
      ["info", 5],
      ["config|resetstat", 1],
    ]);
    expect(commandsPerRequest(before, after, 20)).toEqual({ hgetall: 1, evalsha: 1 });
  });

  it("tells client commands from commands run inside scripts", () => {
    const text = '+1764100000.000001 [0 127.0.0.1:5000] "EVALSHA" "abc" "1" "k"\r\n+1764100000.000002 [0 lua] "HSET" "k" "a" "1"\r\n';
    expect(parseMonitorLines(text)).toEqual([
      { name: "evalsha", fromScript: false },
      { name: "hset", fromScript: true },
    ]);
  });
});

describe("against a real redis-server", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("classifies each client round trip; a script is a write only when it wrote", async () => {
    const monitor = await startMonitor(server.port);
    await server.command("HSET", "k", "a", "1");
    await server.command("EVAL", "redis.call('HSET', KEYS[1], 'b', '2') return 1", 1, "k");
    await server.command("HGETALL", "k");
    await server.command("EVAL", "return redis.call('HGET', KEYS[1], 'a')", 1, "k");
    const commands = await monitor.stop();
    const resolve = commandKindResolver((...args) => server.command(...args));
    const trips = classifyRoundTrips(commands, await resolve(new Set(commands.map((c) => c.name))));
    expect(trips).toEqual([
      { name: "hset", kind: "write" },
      { name: "eval", kind: "write" },
      { name: "hgetall", kind: "read" },
      { name: "eval", kind: "read" },
    ]);
    expect(summarizeRoundTrips(trips, 2)).toEqual({
      requests: 2,
      reads: 1,
      writes: 1,
      other: 0,
      byCommand: { "hset (write)": 0.5, "eval (write)": 0.5, "hgetall (read)": 0.5, "eval (read)": 0.5 },
    });
  });

  it("sees script-internal commands in INFO commandstats", async () => {
    const before = parseCommandStats(String(await server.command("INFO", "commandstats")));
    await server.command("EVAL", "redis.call('PEXPIRE', KEYS[1], 60000) return 1", 1, "k");
    const after = parseCommandStats(String(await server.command("INFO", "commandstats")));
    expect(commandsPerRequest(before, after, 1)).toEqual({ eval: 1, pexpire: 1 });
  });
});
