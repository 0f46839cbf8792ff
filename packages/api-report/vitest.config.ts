import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "api-report",
    include: ["test/**/*.test.ts"],
    // API Extractor analyses every published entry point's .d.ts: seconds each on a shared machine.
    testTimeout: 300_000,
  },
});
