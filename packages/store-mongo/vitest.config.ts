import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-mongo",
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
