import { packageBuild } from "../../tsup.base";

export default packageBuild({ format: ["esm"], platform: "node" });
