/**
 * `testInspection(name, driver)`: the session object an app holds (`req.session`, `ctx.session`,
 * `c.get("session")`) shows the session only, whether logged (`util.inspect` at any depth,
 * `console.log`), serialized (`JSON.stringify`), cloned (`structuredClone`) or walked property by
 * property: the data and public members, never a secret, a derived key, the store or the
 * manager's bookkeeping.
 */
import { memoryStore, type Store } from "@tessera/core";
import { afterEach, describe, expect, it } from "vitest";
import { Browser } from "./browser.js";
import type { RunningApp, SessionSnapshot } from "./contract.js";
import { type Exposure, exposureOf, INSPECT_VARIANTS } from "./session-exposure.js";

/** Distinctive secrets (current and previous), so any trace of them in a text is found. */
export const INSPECTION_SECRETS = [
  "inspection-current-secret-QX7vK2pLm9Rt4Wz8Yb3Nc6Hd",
  "inspection-previous-secret-Jf5Gs1Ua8Ek3Oi7Pl2Mn0Bv",
] as const;

/** Names of the manager's internals and per-request bookkeeping; none may show on a session object. */
const INTERNALS = [
  "keyring",
  "manager",
  "secrets",
  "commitsInFlight",
  "pendingDestroy",
  "clearToken",
  "tokenIssued",
  "tokenSent",
  "resign",
  "stored",
  "metaChanged",
  "regeneratedFrom",
  "loginTokenRequested",
  "loginTokenCarried",
  "loggedOut",
] as const;

/** Options the inspection app is started with. */
export interface InspectionAppOptions {
  /** Signing secrets, current first (Express: `secret`). */
  readonly secrets: readonly string[];
  readonly store: Store;
  /** The app passes the session object it holds here, inside the request. */
  reveal(session: object): void;
}

/** The routes the inspection app must answer, with the adapter's own API. Values in the query are JSON. */
export const INSPECTION_ROUTES = {
  "POST /set?data=<json object>": "assigns every key of the object to the session; answers { id, isNew, data }",
  "GET /inspect":
    'reads the key `cart`, sets `visits` to 2 and the owner to "ann", then passes the session object the app holds to `reveal`; answers { id, isNew, data }',
} as const;

/** Starts the app described by {@link INSPECTION_ROUTES}. */
export interface InspectionDriver {
  start(options: InspectionAppOptions): Promise<RunningApp>;
}

const DATA = { user: "ann", cart: ["tea"] };

/** Registers the inspection scenarios for one adapter. */
export function testInspection(name: string, driver: InspectionDriver): void {
  describe(`inspection of the session object: ${name}`, () => {
    const running: RunningApp[] = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map((app) => app.close()));
    });

    /** A loaded session's exposure, taken in a request after the one that stored the data. */
    async function expose(): Promise<{ exposure: Exposure; store: Store }> {
      const store = memoryStore();
      let exposure: Exposure | undefined;
      const app = await driver.start({ secrets: INSPECTION_SECRETS, store, reveal: (session) => (exposure = exposureOf(session)) });
      running.push(app);
      const browser = new Browser(app);
      const stored = await browser.request<SessionSnapshot>("POST", `/set?data=${encodeURIComponent(JSON.stringify(DATA))}`);
      expect(stored.status).toBe(200);
      const inspected = await browser.request<SessionSnapshot>("GET", "/inspect");
      expect(inspected.status).toBe(200);
      expect(inspected.body).toMatchObject({ isNew: false, data: { ...DATA, visits: 2 } });
      if (exposure === undefined) throw new Error("GET /inspect did not call reveal()");
      return { exposure, store };
    }

    const assertNoSecretIn = (text: string) => {
      for (const secret of INSPECTION_SECRETS) expect(text).not.toContain(secret);
    };

    for (const variant of Object.keys(INSPECT_VARIANTS)) {
      it(`util.inspect (${variant}) shows the data and no secret or manager internals`, async () => {
        const text = (await expose()).exposure.inspected[variant] as string;
        assertNoSecretIn(text);
        // Whole words: a public member such as `restoredFromLoginToken` contains `stored`.
        for (const internal of INTERNALS) expect(text).not.toMatch(new RegExp(`\\b${internal}\\b`));
        // With customInspect off Node prints the raw object, which may show no data: only "nothing leaks" holds there.
        if (variant !== "customInspect off") expect(text).toContain("ann");
      });
    }

    it("JSON.stringify gives the data only", async () => {
      const { exposure } = await expose();
      expect(JSON.parse(exposure.json)).toEqual({ ...DATA, visits: 2 });
    });

    it("a walk of every reachable property finds no secret, key material, store or manager internals", async () => {
      const { exposure, store } = await expose();
      expect(exposure.reachable.length).toBeGreaterThan(5);
      for (const value of exposure.reachable) {
        expect(value === store).toBe(false);
        if (typeof value === "string") assertNoSecretIn(value);
        expect(value instanceof Uint8Array || value instanceof ArrayBuffer || value instanceof CryptoKey).toBe(false);
      }
      for (const internal of INTERNALS) expect(exposure.keys).not.toContain(internal);
    });

    it("structuredClone reveals nothing: a copy without secrets, or a DataCloneError that names none", async () => {
      const { exposure } = await expose();
      if ("error" in exposure.clone) {
        expect(exposure.clone.error.name).toBe("DataCloneError");
        assertNoSecretIn(exposure.clone.error.message);
      } else {
        for (const value of exposure.clone.copy) {
          if (typeof value === "string") assertNoSecretIn(value);
          expect(value instanceof Uint8Array || value instanceof ArrayBuffer).toBe(false);
        }
      }
    });
  });
}
