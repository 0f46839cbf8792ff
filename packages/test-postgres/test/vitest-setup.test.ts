import { execFile } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findPostgresBinDir } from "../src/index.js";
import { postgresGlobalSetup } from "../src/vitest.js";

async function canConnect(port: number): Promise<boolean> {
  const psql = join(await findPostgresBinDir(), "psql");
  return new Promise((resolve) => {
    execFile(psql, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-X", "-c", "select 1"], (error) => resolve(error === null));
  });
}

describe("postgresGlobalSetup", () => {
  it("provides the URL of the server it started, and its teardown stops it", async () => {
    const provided = new Map<string, unknown>();
    const teardown = await postgresGlobalSetup()({ provide: (key: string, value: unknown) => provided.set(key, value) });
    const url = provided.get("postgresUrl") as string;
    const port = Number(new URL(url).port);
    try {
      expect([...provided.keys()]).toEqual(["postgresUrl"]);
      expect(url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(await canConnect(port)).toBe(true);
    } finally {
      await teardown();
    }
    expect(await canConnect(port)).toBe(false);
  });
});
