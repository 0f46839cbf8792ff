/**
 * The store bridge on the in-process express-session stores: express-session's own MemoryStore,
 * this package's `session.MemoryStore`, and memorystore built on this package's `session`.
 * None of them has a second namespace on one backend, so prefix-isolation is skipped (with that
 * reason) by the suite.
 */
import expressSession from "express-session";
import createMemoryStore from "memorystore";
import { describe } from "vitest";
import session from "../src/index.js";
import { bridgeConformance } from "./bridge-fixtures.js";

describe("express-session's MemoryStore (the real package)", () => {
  bridgeConformance(
    "express-session MemoryStore",
    { open: async () => new expressSession.MemoryStore(), close: async () => {} },
    { ownerIndex: true, ids: true },
  );
});

describe("session.MemoryStore (this package)", () => {
  bridgeConformance(
    "session.MemoryStore",
    { open: async () => new session.MemoryStore(), close: async () => {} },
    { ownerIndex: true, ids: true },
  );
});

describe("memorystore, given this package's session", () => {
  const MemoryStore = createMemoryStore(session as unknown as typeof expressSession);
  let store: InstanceType<typeof MemoryStore> | undefined;
  bridgeConformance(
    "memorystore",
    {
      open: async () => {
        store = new MemoryStore({ checkPeriod: 0 });
        return store;
      },
      close: async () => {
        (store as { stopInterval?: () => void } | undefined)?.stopInterval?.();
      },
    },
    { ownerIndex: true, ids: true },
  );
});
