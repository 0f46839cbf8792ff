import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-redis",
    include: ["test/**/*.test.ts"],
    // One standalone server and one 3-node cluster for the whole run; tests that disturb a server
    // (CLIENT PAUSE, SCRIPT FLUSH, stats resets, shutdown) start their own.
    globalSetup: ["test/global-setup.ts"],
    // test/*.test-d.ts: compile-time checks that every supported client type-checks as `client`.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.typetest.json" },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
