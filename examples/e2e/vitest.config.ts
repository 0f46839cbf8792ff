import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "e2e (chromium)",
    include: ["test/**/*.test.ts"],
    // One browser and one demo process for the file; each test drives real pages.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
