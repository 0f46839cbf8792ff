import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/cli.ts", "src/server.ts", "src/core-micro.ts", "src/memory-capacity.ts", "src/profile-cli.ts"],
  format: ["esm"],
  platform: "node",
  target: "node20",
  clean: true,
  sourcemap: true,
});
