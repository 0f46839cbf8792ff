import { describe, expect, test } from "vitest";
import { extractBlocks } from "../src/extract-blocks.js";

const fence = "```";

describe("extractBlocks", () => {
  test("takes ts and typescript blocks with the Markdown line of each code line, and no other language", () => {
    const markdown = [
      "# Title", // 1
      `${fence}ts`, // 2
      "const a = 1;", // 3
      fence, // 4
      `${fence}sh`, // 5
      "pnpm test", // 6
      fence, // 7
      `${fence}typescript`, // 8
      "const b = 2;", // 9
      "const c = 3;", // 10
      fence, // 11
      `${fence}js`, // 12
      "db.x()", // 13
      fence, // 14
    ].join("\n");
    const { units, skipped } = extractBlocks(markdown, "x.md");
    expect(units).toEqual([
      { fenceLine: 2, blockCount: 1, code: ["const a = 1;"], markdownLines: [3] },
      { fenceLine: 8, blockCount: 1, code: ["const b = 2;", "const c = 3;"], markdownLines: [9, 10] },
    ]);
    expect(skipped).toEqual([]);
  });

  test("a block indented in a list item loses the fence's indentation", () => {
    const markdown = ["1. Step:", "", `   ${fence}ts`, "   if (x) {", "     y();", "   }", `   ${fence}`].join("\n");
    const { units } = extractBlocks(markdown, "x.md");
    expect(units[0]?.code).toEqual(["if (x) {", "  y();", "}"]);
    expect(units[0]?.markdownLines).toEqual([4, 5, 6]);
  });

  test("<!-- not-checked: reason --> before the fence skips the block and keeps the reason", () => {
    const markdown = ["<!-- not-checked: fragment of the block above -->", "", `${fence}ts`, "x;", fence].join("\n");
    expect(extractBlocks(markdown, "x.md")).toEqual({ units: [], skipped: [{ fenceLine: 3, reason: "fragment of the block above" }] });
  });

  test("not-checked without a reason is an error naming the line", () => {
    const markdown = ["<!-- not-checked: -->", `${fence}ts`, "x;", fence].join("\n");
    expect(() => extractBlocks(markdown, "x.md")).toThrow("x.md:2: <!-- not-checked: ... --> needs a reason");
  });

  test("<!-- continues --> joins a block to the previous checked one", () => {
    const markdown = [`${fence}ts`, "const a = 1;", fence, "Then:", "<!-- continues -->", `${fence}ts`, "a + 1;", fence].join("\n");
    const { units } = extractBlocks(markdown, "x.md");
    expect(units).toEqual([{ fenceLine: 1, blockCount: 2, code: ["const a = 1;", "a + 1;"], markdownLines: [2, 7] }]);
  });

  test("<!-- continues --> with no block before it is an error", () => {
    const markdown = ["<!-- continues -->", `${fence}ts`, "x;", fence].join("\n");
    expect(() => extractBlocks(markdown, "x.md")).toThrow("x.md:2: <!-- continues --> but no checked block comes before it");
  });

  test("a marker that is not right before the fence (text in between) does not apply", () => {
    const markdown = ["<!-- not-checked: old -->", "Some text.", `${fence}ts`, "x;", fence].join("\n");
    expect(extractBlocks(markdown, "x.md").units).toHaveLength(1);
  });

  test("a ts fence shown inside a longer fence of another language is not a block", () => {
    const markdown = ["````md", `${fence}ts`, "not code", fence, "````"].join("\n");
    expect(extractBlocks(markdown, "x.md").units).toEqual([]);
  });

  test("an unterminated fence is an error naming its line", () => {
    expect(() => extractBlocks(["text", `${fence}ts`, "x;"].join("\n"), "x.md")).toThrow("x.md:2: code fence is never closed");
  });
});
