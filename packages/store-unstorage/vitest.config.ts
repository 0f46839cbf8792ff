import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "store-unstorage",
    environment: "node",
    include: ["test/**/*.test.ts"],
  },
});
