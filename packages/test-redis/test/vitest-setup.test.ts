import { describe, expect, it } from "vitest";
import { redisCommand } from "../src/index.js";
import { redisGlobalSetup } from "../src/vitest.js";

describe("redisGlobalSetup", () => {
  it("provides the URLs of the servers it started, and its teardown stops them", async () => {
    const provided = new Map<string, unknown>();
    const project = { provide: (key: string, value: unknown) => provided.set(key, value) };
    const teardown = await redisGlobalSetup({ standalone: true, cluster: true })(project);
    const url = provided.get("redisUrl") as string;
    const clusterUrls = provided.get("redisClusterUrls") as string[];
    try {
      expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(clusterUrls).toHaveLength(3);
      for (const u of [url, ...clusterUrls]) expect(await redisCommand(Number(new URL(u).port), ["PING"])).toBe("PONG");
    } finally {
      await teardown();
    }
    for (const u of [url, ...clusterUrls]) {
      await expect(redisCommand(Number(new URL(u).port), ["PING"], { timeoutMs: 1_000 })).rejects.toThrow(/ECONNREFUSED/);
    }
  });

  it("provides only what was asked for", async () => {
    const provided = new Map<string, unknown>();
    const teardown = await redisGlobalSetup()({ provide: (key: string, value: unknown) => provided.set(key, value) });
    await teardown();
    expect([...provided.keys()]).toEqual(["redisUrl"]);
  });
});
