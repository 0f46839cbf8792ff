import { packageBuild } from "../../tsup.base";

// ESM only: vitest (a peer) cannot be require()d, so a CommonJS build would throw on load; Node's
// require(esm) (20.19+) still loads this ESM entry for CommonJS test files.
export default packageBuild({ format: ["esm"], external: ["vitest", "@tessera/core"] });
