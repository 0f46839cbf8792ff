import { packageBuild } from "../../tsup.base";

export default packageBuild({ entry: ["src/app.ts", "src/server.ts"], format: ["esm"], platform: "node" });
