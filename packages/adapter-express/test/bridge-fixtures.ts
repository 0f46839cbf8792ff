/**
 * Shared by the bridge tests: registers the store conformance suite for one express-session store
 * wrapped by the bridge, and checks the capabilities the bridge declares for it.
 */
import { testStore } from "@tessera/store-test-suite";
import { expect, it } from "vitest";
import { type BridgedStore, bridgeStore, type ExpressSessionStore, type StoreBridgeOptions } from "../src/index.js";

/** One express-session store under test. */
export interface LegacyBackend {
  /** Opens the backend (a server, a directory) and returns the store to wrap. */
  open(): Promise<ExpressSessionStore>;
  /** A second store on the same backend with another prefix, table or directory. */
  isolated?(): ExpressSessionStore;
  /** For the dispose case: the client the test passed in still answers. */
  clientStillOpen?(): Promise<boolean>;
  close(): Promise<void>;
}

/** The capabilities the bridge must declare for this store. */
export interface ExpectedCapabilities {
  ownerIndex: boolean;
  ids: boolean;
}

/** Registers the published conformance suite against `backend` through the bridge. */
export function bridgeConformance(
  label: string,
  backend: LegacyBackend,
  expected: ExpectedCapabilities,
  options: StoreBridgeOptions = {},
): void {
  const isolated = backend.isolated;
  testStore<BridgedStore>(`bridge × ${label}`, {
    create: async () => bridgeStore(await backend.open(), options),
    ...(isolated ? { createIsolated: () => bridgeStore(isolated(), options) } : {}),
    ...(backend.clientStillOpen ? { clientStillOpen: backend.clientStillOpen } : {}),
    teardown: () => backend.close(),
    additionalTests: ({ store }) => {
      it(`declares what it can do: no patch, no atomic conditional writes, touch, ownerIndex ${expected.ownerIndex}`, () => {
        expect(store().capabilities).toEqual({
          patch: false,
          touch: true,
          ownerIndex: expected.ownerIndex,
          nativeTtl: true,
          atomicConditionalWrites: false,
        });
        expect(typeof store().ids).toBe(expected.ids ? "function" : "undefined");
        expect(store().ready).toBe(true);
      });
    },
  });
}
