/**
 * The ESM and the CJS build of the adapter loaded together in one process (a child process runs
 * fixtures/hooks-esm-cjs.mjs on the built package): they share one layer of hooks on Express's
 * prototypes instead of stacking two, each request gets one cookie and one store write, and
 * Node's classes stay untouched.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const DIST = ["index.js", "index.cjs"].map((file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url)));
const FIXTURE = fileURLToPath(new URL("./fixtures/hooks-esm-cjs.mjs", import.meta.url));

interface Run {
  cookies: number;
  writeBody: string;
  readBody: string;
  writes: string[];
  secondStoreWrites?: string[];
}

describe("the ESM and CJS builds loaded together", () => {
  it("cooperate: one layer of hooks, one cookie and one store write a request, Node's classes untouched", async () => {
    for (const file of DIST) {
      expect(existsSync(file), `build @tessera/adapter-express first (pnpm build): ${file} is missing`).toBe(true);
      expect(readFileSync(file, "utf8"), `${file} predates the shared hooks: rebuild @tessera/adapter-express`).toContain(
        "tessera.adapter-express.originals.v1",
      );
    }
    const { stdout } = await promisify(execFile)(process.execPath, [FIXTURE], { timeout: 30_000 });
    const result = JSON.parse(stdout) as {
      differentCopies: boolean;
      plainBefore: object;
      plainAfter: object;
      runs: Record<string, Run>;
      expressResponse: { sameHooksThroughout: boolean; hooked: string[]; originalsAreNodes: boolean; tesseraSymbols: string[] };
      nodePrototypesUnchanged: boolean;
    };
    expect(result.differentCopies).toBe(true);

    const oneSession = { cookies: 1, writeBody: "ok", readBody: JSON.stringify({ n: 1, sessionID: true }), writes: ["create"] };
    expect(Object.keys(result.runs)).toEqual(["esm", "cjs", "esm then cjs", "cjs then esm", "plain esm", "plain cjs"]);
    for (const [name, run] of Object.entries(result.runs)) {
      expect(run, name).toMatchObject(oneSession);
      // With both middlewares on one app, the second finds req.session and stays out of the way.
      if (run.secondStoreWrites !== undefined) expect(run.secondStoreWrites, name).toEqual([]);
    }

    expect(result.expressResponse).toEqual({
      sameHooksThroughout: true,
      hooked: ["writeHead", "write", "end", "flushHeaders", "setHeader", "appendHeader", "removeHeader", "headersSent"],
      originalsAreNodes: true,
      tesseraSymbols: ["Symbol(tessera.adapter-express.originals.v1)"],
    });
    const untouched = { sessionIDInRequest: false, nodeEnd: true, ownHooks: [] };
    expect(result.plainBefore).toEqual(untouched);
    expect(result.plainAfter).toEqual(untouched);
    expect(result.nodePrototypesUnchanged).toBe(true);
  });
});
