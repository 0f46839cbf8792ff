/**
 * Every ```ts block of the READMEs and docs compiles (strict, NodeNext) against the built packages.
 * One test per Markdown file; its name says how many blocks it compiled. Needs the packages built
 * (`turbo run build`), as every test of the repository does.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { compileUnits, formatFailure } from "../src/compile-blocks.js";
import { extractBlocks } from "../src/extract-blocks.js";
import { markdownFiles } from "../src/markdown-files.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(packageDir, "../..");

const files = markdownFiles(root).flatMap((file) => {
  const extracted = extractBlocks(readFileSync(join(root, file), "utf8"), file);
  const blocks = extracted.units.reduce((sum, unit) => sum + unit.blockCount, 0);
  return blocks === 0 ? [] : [{ file, ...extracted, blocks }];
});

describe("README code blocks compile", () => {
  test("the checked files include every package README with code", () => {
    const names = files.map((f) => f.file);
    expect(names).toContain("packages/core/README.md");
    expect(names).toContain("packages/store-redis/README.md");
    expect(names.some((name) => name.startsWith("docs/"))).toBe(true);
  });

  for (const { file, units, skipped, blocks } of files) {
    const skippedNote = skipped.length > 0 ? `, ${skipped.length} marked not-checked` : "";
    test(`${file}: ${blocks === 1 ? "1 block compiles" : `${blocks} blocks compile`}${skippedNote}`, () => {
      const workDir = join(packageDir, ".blocks", file.replace(/\.md$/, "").replace(/[/\\]/g, "__"));
      const failures = compileUnits(units, { workDir, markdownFile: file });
      expect(failures.map(formatFailure)).toEqual([]);
    });
  }
});
