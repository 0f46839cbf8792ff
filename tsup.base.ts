import { defineConfig, type Options } from "tsup";

/**
 * The build every workspace package shares: `src/index.ts` to ESM + CJS with `.d.ts` and source
 * maps, ES2022, Web-neutral. A package's `tsup.config.ts` passes only what differs (its platform,
 * entries, formats or externals).
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    platform: "neutral",
    target: "es2022",
    dts: true,
    clean: true,
    sourcemap: true,
    ...overrides,
  });
}
