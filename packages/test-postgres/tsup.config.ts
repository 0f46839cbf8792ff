import { packageBuild } from "../../tsup.base";

export default packageBuild({ entry: ["src/index.ts", "src/vitest.ts"], platform: "node", target: "node20", external: ["vitest"] });
