import { describe, expect, it } from "vitest";
import * as assert from "../src/assert.js";
import { defineSuite, formatResult, runSuites } from "../src/runner.js";

describe("the portable runner", () => {
  it("counts passing and failing cases, including rejections and non-Error throws", async () => {
    const suite = defineSuite("demo", (test) => {
      test("passes", () => {});
      test("passes async", async () => {});
      test("fails an assertion", () => assert.equal(1, 2, "one is not two"));
      test("rejects", async () => {
        throw new TypeError("boom");
      });
      test("throws a string", () => {
        throw "plain";
      });
    });
    const seen: string[] = [];
    const report = await runSuites("test-runtime", [suite], (r) => seen.push(r.name));
    expect(report).toMatchObject({ runtime: "test-runtime", passed: 2, failed: 3, pending: 0 });
    expect(seen).toEqual(["passes", "passes async", "fails an assertion", "rejects", "throws a string"]);
    const failures = report.results.filter((r) => r.status === "failed");
    expect(failures.map((r) => r.error?.split("\n")[0])).toEqual([
      "AssertionError: one is not two: expected 2, got 1",
      "TypeError: boom",
      "thrown non-error: plain",
    ]);
    expect(formatResult(failures[0] as (typeof failures)[number])).toMatch(
      /^ {2}FAIL demo > fails an assertion \(\d+ ms\)\n {9}AssertionError/,
    );
  });

  it("refuses duplicate case names", () => {
    expect(() =>
      defineSuite("dup", (test) => {
        test("same", () => {});
        test("same", () => {});
      }),
    ).toThrow("duplicate test name in suite dup: same");
  });
});

describe("the portable assertions", () => {
  it("deepEqual compares structure, not identity, and reports both sides", () => {
    assert.deepEqual({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] });
    expect(() => assert.deepEqual({ a: 1 }, { a: 1, b: undefined })).toThrow(assert.AssertionError);
    expect(() => assert.deepEqual([1, 2], [1, 2, 3])).toThrow("expected [1,2,3], got [1,2]");
    expect(() => assert.deepEqual({ a: 1 }, [1])).toThrow(assert.AssertionError);
    expect(assert.isDeepEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
  });

  it("match, doesNotMatch, ok and notEqual fail when they should", () => {
    expect(() => assert.match("Max-Age=3600", /Max-Age=7200/, "lifetime")).toThrow(
      'lifetime: expected "Max-Age=3600" to match /Max-Age=7200/',
    );
    expect(() => assert.match(undefined, /x/)).toThrow("expected undefined to match /x/");
    expect(() => assert.doesNotMatch("HttpOnly; Secure", /Secure/)).toThrow(assert.AssertionError);
    expect(() => assert.ok(0, "zero")).toThrow("zero: expected a truthy value, got 0");
    expect(() => assert.notEqual("a", "a")).toThrow('expected anything but "a"');
  });
});
