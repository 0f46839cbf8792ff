import { defineProject } from "vitest/config";

/** The runner and assertions the portable suite is built on; the suite itself runs in `pnpm test:runtimes`. */
export default defineProject({
  test: {
    name: "runtime-tests",
    include: ["test/**/*.test.ts"],
  },
});
