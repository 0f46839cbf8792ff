/**
 * The suite must fail stores with classic bugs. This runs the suite on seven deliberately broken
 * stores (test/fixtures/broken-stores.fixture.ts) in a child vitest and checks which cases failed.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

type Assertion = { fullName: string; status: string };

let failedCases: Map<string, string[]>;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), "suite-fixture-"));
  const report = join(dir, "report.json");
  const fixtures = new URL("./fixtures/", import.meta.url).pathname;
  spawnSync(
    "pnpm",
    ["exec", "vitest", "run", "--config", join(fixtures, "vitest.config.ts"), "--reporter=json", `--outputFile=${report}`],
    {
      cwd: new URL("..", import.meta.url).pathname,
      encoding: "utf8",
    },
  );
  const results = JSON.parse(readFileSync(report, "utf8")) as { testResults: Array<{ assertionResults: Assertion[] }> };
  failedCases = new Map();
  for (const file of results.testResults) {
    for (const assertion of file.assertionResults) {
      if (assertion.status !== "failed") continue;
      const store = /store conformance: ([\w-]+)/.exec(assertion.fullName)?.[1] ?? "?";
      const caseId = /conformance: [\w-]+ ([\w-]+):/.exec(assertion.fullName)?.[1] ?? assertion.fullName;
      failedCases.set(store, [...(failedCases.get(store) ?? []), caseId]);
    }
  }
}, 120_000);

describe("the conformance suite catches broken stores", () => {
  it("writes that resurrect a missing record", () => {
    expect(failedCases.get("upserting")).toEqual(
      expect.arrayContaining(["replace-only-if-present", "patch-only-if-present", "touch-only-if-present"]),
    );
  });

  it("a create that overwrites", () => {
    expect(failedCases.get("overwriting")).toContain("create-only-if-absent");
  });

  it("records shared by reference", () => {
    expect(failedCases.get("sharing")).toContain("returns-copies");
  });

  it("an owner index that is never cleaned", () => {
    expect(failedCases.get("stale-owner-index")).toEqual(expect.arrayContaining(["owner-follows-writes", "owner-destroy-except"]));
  });

  it("a destroy that always answers true", () => {
    expect(failedCases.get("destroy-always-true")).toEqual(
      expect.arrayContaining(["destroy-idempotent", "destroy-reports-live", "destroy-expired"]),
    );
  });

  it("a destroy that always answers false", () => {
    expect(failedCases.get("destroy-always-false")).toEqual(expect.arrayContaining(["destroy-idempotent", "destroy-reports-live"]));
  });

  it("a destroy that counts an expired record as live, and fails nothing else", () => {
    expect(failedCases.get("destroy-ignores-expiry")).toEqual(["destroy-expired"]);
  });
});
