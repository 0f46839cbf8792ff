import { packageBuild } from "../../tsup.base";

// Two entries share one copy of each module (`splitting` also for CJS): a `SessionError` built by
// `@tessera/core/internal` must be the class `@tessera/core` exports.
export default packageBuild({ entry: ["src/index.ts", "src/internal.ts"], splitting: true });
