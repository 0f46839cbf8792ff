import { defineConfig } from "vitest/config";

/** One vitest run over every package; each package's config names its project. */
export default defineConfig({
  test: {
    projects: [
      "packages/*/vitest.config.ts",
      "packages/core/vitest.edge.config.ts",
      "examples/*/vitest.config.ts",
      "bench/vitest.config.ts",
    ],
  },
});
