import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "core (node)",
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
