/**
 * The compiler step on small fixtures: real tsc, real packages (the built @tessera/core). Proves
 * that a broken block fails with the README line, and that package imports are typed, not `any`.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { compileUnits, formatFailure } from "../src/compile-blocks.js";
import { extractBlocks } from "../src/extract-blocks.js";

const workDir = join(fileURLToPath(new URL("..", import.meta.url)), ".blocks", "_fixtures");
const fence = "```";

function check(markdownLines: string[]) {
  const { units } = extractBlocks(markdownLines.join("\n"), "FIXTURE.md");
  return compileUnits(units, { workDir, markdownFile: "FIXTURE.md" }).map(formatFailure);
}

test("a type error is reported with the Markdown file, the line and tsc's message", () => {
  const failures = check(["# Fixture", "", `${fence}ts`, "const port: number = 3000;", 'const name: number = "ann";', fence]);
  expect(failures).toEqual(["FIXTURE.md:5 (block at line 3): TS2322: Type 'string' is not assignable to type 'number'."]);
});

test("blocks import the built packages with their types, under strict", () => {
  const failures = check([
    `${fence}ts`,
    'import { createSessionManager, memoryStore } from "@tessera/core";',
    "createSessionManager({ secrets: [process.env.SESSION_SECRET], store: memoryStore() });",
    'createSessionManager({ secrets: ["a-secret-of-at-least-32-characters!"], idleTimeout: 60 });',
    fence,
  ]);
  expect(failures).toHaveLength(2);
  expect(failures[0]).toMatch(/^FIXTURE\.md:3 \(block at line 1\): TS2322: Type 'string \| undefined' is not assignable/);
  expect(failures[1]).toMatch(/^FIXTURE\.md:4 \(block at line 1\): TS2353: .*'idleTimeout' does not exist/);
});

test("a package that does not exist is an error, not an implicit any", () => {
  const failures = check([`${fence}ts`, 'import { x } from "@tessera/no-such-package";', fence]);
  expect(failures).toEqual([
    "FIXTURE.md:2 (block at line 1): TS2307: Cannot find module '@tessera/no-such-package' or its corresponding type declarations.",
  ]);
});

test("each block is its own module: the same names in two blocks do not clash, and top-level await works", () => {
  const failures = check([
    `${fence}ts`,
    "const value = await Promise.resolve(1);",
    fence,
    `${fence}ts`,
    'const value = await Promise.resolve("one");',
    fence,
  ]);
  expect(failures).toEqual([]);
});

test("a continued block sees the names of the block it continues", () => {
  const failures = check([
    `${fence}ts`,
    "const count = 1;",
    fence,
    "<!-- continues -->",
    `${fence}ts`,
    "const next: string = count;",
    fence,
  ]);
  expect(failures).toEqual(["FIXTURE.md:6 (block at line 1): TS2322: Type 'number' is not assignable to type 'string'."]);
});
