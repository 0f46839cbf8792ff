import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-postgres",
    include: ["test/**/*.test.ts"],
    // One PostgreSQL server for the whole run (each file uses tables of its own); tests that stop,
    // restart or count statements on a server start their own.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
