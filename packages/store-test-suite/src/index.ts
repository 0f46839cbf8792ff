/**
 * @tessera/store-test-suite — the conformance suite for Tessera stores, for vitest.
 *
 * @example
 * ```ts
 * import { testStore } from "@tessera/store-test-suite";
 * testStore("my-store", { create: () => myStore({ prefix: "test:" }) });
 * ```
 * @module
 */
export { STORE_CASES, type StoreCaseId } from "./cases.js";
export { type TestStoreContext, type TestStoreOptions, testStore } from "./test-store.js";
