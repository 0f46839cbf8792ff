import { defineProject } from "vitest/config";

/** The same suite in vitest's edge-runtime environment: no Node globals (Buffer, process, ...). */
export default defineProject({
  test: {
    name: "core (edge-runtime)",
    environment: "edge-runtime",
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.node.test.ts"],
  },
});
