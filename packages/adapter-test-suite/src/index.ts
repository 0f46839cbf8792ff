/**
 * @tessera/adapter-test-suite (private) — one list of HTTP scenarios that every adapter passes on
 * every framework version it supports. An adapter's tests call `testAdapter(name, driver)` with a
 * small driver that builds the app described by `ROUTES` with the framework's own API.
 *
 * @example
 * ```ts
 * testAdapter("express 5", { start: (options) => serveNode(buildExpressApp(express, options)) });
 * ```
 * @module
 */
export { Browser, COOKIE_NAME, type Reply } from "./browser.js";
export { type AdapterDriver, ROUTES, type RunningApp, type SessionSnapshot, type SuiteAppOptions } from "./contract.js";
export { CookieJar, isClearing } from "./cookie-jar.js";
export { type CountingStore, countingStore } from "./counting-store.js";
export { CSRF_ROUTES, type CsrfApp, type CsrfDriver, testCsrf } from "./csrf-scenarios.js";
export { type Gate, type GatedStore, gatedStore } from "./gated-store.js";
export {
  INSPECTION_ROUTES,
  INSPECTION_SECRETS,
  type InspectionAppOptions,
  type InspectionDriver,
  testInspection,
} from "./inspection-scenarios.js";
export { LOGIN_TOKEN_ROUTES, type LoginTokenAppOptions, type LoginTokenDriver, testLoginTokens } from "./login-token-scenarios.js";
export { RACE_ROUTES, RACE_RUNS, type RaceAppOptions, type RaceDriver, type RaceRedisDeps, testRaces } from "./race-scenarios.js";
export { serveNode } from "./serve-node.js";
export { type Exposure, exposureOf, INSPECT_VARIANTS, reachableFrom } from "./session-exposure.js";
export { ADAPTER_SCENARIOS, SECRET_A, SECRET_B, testAdapter } from "./test-adapter.js";
