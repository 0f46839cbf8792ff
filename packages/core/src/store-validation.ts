/**
 * Startup checks of a store object, so a store that does not implement the port (or declares
 * capabilities it lacks) fails at `createSessionManager`, not on the first request.
 */
import { configError } from "./errors.js";
import type { Store } from "./store.js";

const REQUIRED_METHODS = ["get", "create", "replace", "destroy"] as const;

/** Throws `INVALID_CONFIG` when `store` does not satisfy the store port. */
export function assertStore(store: unknown): asserts store is Store {
  if (typeof store !== "object" || store === null) {
    throw configError("`store` must be a store object such as memoryStore() or redisStore({ client }).");
  }
  const candidate = store as Partial<Store> & Record<string, unknown>;
  const name = typeof candidate.name === "string" && candidate.name.length > 0 ? candidate.name : undefined;
  if (name === undefined) throw configError("the store has no `name`; a store must declare a short name used in error messages.");
  for (const method of REQUIRED_METHODS) {
    if (typeof candidate[method] !== "function") {
      throw configError(`the store has no \`${method}()\` method; it does not implement the Tessera store port.`, name);
    }
  }
  const capabilities = candidate.capabilities;
  if (typeof capabilities !== "object" || capabilities === null) {
    throw configError("the store has no `capabilities` object.", name);
  }
  const declared: Array<[keyof typeof capabilities, string[]]> = [
    ["patch", ["patch"]],
    ["touch", ["touch"]],
    ["ownerIndex", ["listByOwner", "destroyByOwner"]],
  ];
  for (const [capability, methods] of declared) {
    const claims = capabilities[capability] === true;
    for (const method of methods) {
      const has = typeof candidate[method] === "function";
      if (claims && !has) {
        throw configError(`the store declares capabilities.${capability} but has no \`${method}()\` method.`, name);
      }
    }
  }
}
