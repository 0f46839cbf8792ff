/**
 * The web-standard check (scripts/check-web-standard.mjs) run as the build runs it, on fixture
 * packages: it must flag every kind of Node-only use and nothing that only looks like one.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../../../scripts/check-web-standard.mjs", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "tessera-web-standard-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fixture(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(...dirs: string[]) {
  const result = spawnSync(process.execPath, [script, ...dirs], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("check-web-standard", () => {
  it("passes Web-standard code, including words that only look like Node APIs", () => {
    const dir = fixture("clean", {
      "src/index.ts": [
        "// Buffer and process in a comment, and require('fs') too",
        "/** The in-process store; never uses process.env. */",
        'export const message = "restart the process; Buffer.from is not used";',
        "export const shape = { process: 1, Buffer: 2, global: 3 };",
        "export const read = (o: { process: number }) => o.process;",
        "declare global { interface Window { x: number } }",
        'export const bytes = new TextEncoder().encode("x");',
      ].join("\n"),
      "dist/index.js": 'import { parse } from "cookie";\nexport const x = parse;\n',
      "dist/index.cjs": 'var cookie = require("cookie");\nmodule.exports = { x: cookie.parse };\n',
      "dist/index.d.ts": "export declare const x: (s: string) => Record<string, string>;\n",
    });
    const { status, output } = check(dir);
    expect(output).toMatch(/web-standard check: 4 files clean/);
    expect(status).toBe(0);
  });

  it("flags every Node-only import and global, in sources and built output", () => {
    const dir = fixture("dirty", {
      "src/index.ts": [
        'import { createHash } from "node:crypto";',
        'import fs from "fs";',
        'export * from "node:stream";',
        'const path = await import("node:path");',
        'export const a = Buffer.from("x");',
        "const { env } = process;",
        "export const g = global;",
        "setImmediate(() => {});",
        "export const dir = __dirname;",
        "export type T = NodeJS.Timeout;",
      ].join("\n"),
      "dist/index.cjs": 'var c = require("crypto");\nvar t = require("node:timers/promises");\n',
      "dist/index.d.ts": '/// <reference types="node" />\nexport declare const a: Buffer;\n',
    });
    const { status, output } = check(dir);
    expect(status).toBe(1);
    for (const expected of [
      'src/index.ts:1: imports Node module "node:crypto"',
      'src/index.ts:2: imports Node module "fs"',
      'src/index.ts:3: imports Node module "node:stream"',
      'src/index.ts:4: imports Node module "node:path"',
      "src/index.ts:5: uses Node global `Buffer`",
      "src/index.ts:6: uses Node global `process`",
      "src/index.ts:7: uses Node global `global`",
      "src/index.ts:8: uses Node global `setImmediate`",
      "src/index.ts:9: uses Node global `__dirname`",
      "src/index.ts:10: uses Node global `NodeJS`",
      'dist/index.cjs:1: imports Node module "crypto"',
      'dist/index.cjs:2: imports Node module "node:timers/promises"',
      'dist/index.d.ts:1: reference to types "node"',
      "dist/index.d.ts:2: uses Node global `Buffer`",
    ]) {
      expect(output).toContain(expected);
    }
  });

  it("fails when a package is not built or does not exist", () => {
    const unbuilt = fixture("unbuilt", { "src/index.ts": "export const x = 1;\n" });
    const missing = check(unbuilt, join(work, "no-such-package"));
    expect(missing.status).toBe(1);
    expect(missing.output).toContain("unbuilt/dist is missing: build before this check.");
    expect(missing.output).toContain("no-such-package does not exist");
  });
});
