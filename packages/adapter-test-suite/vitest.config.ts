import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "adapter-test-suite",
    include: ["test/**/*.test.ts"],
  },
});
