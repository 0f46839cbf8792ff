/**
 * Nothing reachable from the object an app holds (logging it, serializing it, walking its
 * properties) reveals a secret, a derived key or the manager: it shows the session only.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { INSPECT_VARIANTS, reachableFrom } from "../../adapter-test-suite/src/session-exposure.js";
import { createSessionManager, memoryStore, type SessionManager } from "../src/index.js";
import { bindSession } from "../src/internal.js";
import { SECRET_A, SECRET_B } from "./helpers.js";

const SECRETS = [SECRET_A, SECRET_B];

async function loaded() {
  const store = memoryStore();
  const manager: SessionManager = createSessionManager({ secrets: SECRETS, store });
  const first = await manager.load({ cookieHeader: null });
  first.set("user", "ann").set("cart", ["tea"]);
  first.owner = "ann";
  let cookie = "";
  await manager.commit(first, { appendSetCookie: (line) => (cookie = line.split(";")[0] as string) });
  const session = await manager.load({ cookieHeader: cookie });
  session.get("cart");
  session.set("visits", 2);
  const view = bindSession(manager, session, { appendSetCookie: () => {} }).view;
  // Build the view's lazy members too, so the walk reaches them.
  void view.cookie;
  void view.save;
  return { manager, store, session, view };
}

function assertNothingSecret(values: unknown[], forbidden: unknown[]): void {
  for (const value of values) {
    for (const object of forbidden) expect(value === object).toBe(false);
    if (typeof value === "string") for (const secret of SECRETS) expect(value.includes(secret)).toBe(false);
    expect(value instanceof Uint8Array || value instanceof ArrayBuffer).toBe(false);
  }
}

describe.each(["session (core)", "view (express-session / koa-session style)"] as const)("%s", (kind) => {
  const pick = async () => {
    const t = await loaded();
    return { ...t, object: kind === "session (core)" ? t.session : t.view };
  };

  it("a walk of every reachable property finds no secret, derived key, manager or store", async () => {
    const { object, manager, store } = await pick();
    const { values } = reachableFrom(object);
    expect(values.length).toBeGreaterThan(5);
    assertNothingSecret(values, [manager, store]);
    // A view's data is reachable the way the app reads it (the core session's only through get()).
    if (kind !== "session (core)") expect(values).toContain("ann");
  });

  it.each(Object.entries(INSPECT_VARIANTS))(
    "util.inspect (%s) shows the data and no secret or manager internals",
    async (_name, options) => {
      const { object } = await pick();
      const text = inspect(object, options);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      for (const internal of ["keyring", "pendingDestroy", "commitsInFlight", "clearToken", "manager", "secrets"]) {
        expect(text).not.toContain(internal);
      }
      if (!("customInspect" in options)) expect(text).toContain("ann");
    },
  );

  it("JSON.stringify gives the data only", async () => {
    const { object } = await pick();
    expect(JSON.parse(JSON.stringify(object))).toEqual({ user: "ann", cart: ["tea"], visits: 2 });
  });

  it("structuredClone reveals nothing: a plain copy of public fields (core) or a DataCloneError (a Proxy view)", async () => {
    const { object } = await pick();
    if (kind === "session (core)") {
      const copy = structuredClone(object) as object;
      assertNothingSecret(reachableFrom(copy).values, []);
      expect(Object.keys(copy)).toEqual([]);
    } else {
      expect(() => structuredClone(object)).toThrow(expect.objectContaining({ name: "DataCloneError" }));
    }
  });

  it("the object has no writable bookkeeping fields of the manager", async () => {
    const { object } = await pick();
    for (const field of ["stored", "clearToken", "resign", "tokenIssued", "commitsInFlight", "pendingDestroy", "metaChanged"]) {
      expect(field in object).toBe(false);
    }
  });
});
