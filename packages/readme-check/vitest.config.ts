import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "readme-check",
    include: ["test/**/*.test.ts"],
    // One TypeScript program per README: loading the packages' and frameworks' types takes seconds.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
