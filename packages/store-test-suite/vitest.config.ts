import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-test-suite",
    include: ["test/**/*.test.ts"],
  },
});
