import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "adapter-hono",
    include: ["test/**/*.test.ts"],
  },
});
