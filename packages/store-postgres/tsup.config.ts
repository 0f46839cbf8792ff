import { packageBuild } from "../../tsup.base";

export default packageBuild({ platform: "node", target: "node20", external: ["@tessera/core"] });
