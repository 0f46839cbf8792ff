/**
 * Nothing reachable from the object an app holds (logging it, serializing it, walking its
 * properties) reveals a secret, a derived key or the manager: it shows the session only.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { bindSession, createSessionManager, memoryStore, type SessionManager } from "../src/index.js";
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

/** Everything reachable by property access: own keys and symbols, prototypes, getters, through Proxy traps. */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  const visit = (value: unknown, depth: number) => {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      out.push(value);
      return;
    }
    if (seen.has(value) || depth > 12) return;
    seen.add(value);
    out.push(value);
    // Node's own functions and prototypes (Object.prototype, Function.prototype) hold nothing of ours.
    if (value === Object.prototype || value === Function.prototype) return;
    visit(Object.getPrototypeOf(value), depth + 1);
    for (const key of Reflect.ownKeys(value)) {
      let child: unknown;
      try {
        child = (value as Record<PropertyKey, unknown>)[key];
      } catch {
        continue; // e.g. `caller`/`arguments` of strict functions
      }
      visit(child, depth + 1);
      const descriptor = Reflect.getOwnPropertyDescriptor(value, key);
      if (descriptor?.get) visit(descriptor.get, depth + 1);
    }
  };
  visit(root, 0);
  return out;
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
    const values = reachable(object);
    expect(values.length).toBeGreaterThan(5);
    assertNothingSecret(values, [manager, store]);
    // A view's data is reachable the way the app reads it (the core session's only through get()).
    if (kind !== "session (core)") expect(values).toContain("ann");
  });

  it.each([
    ["console.log defaults", {}],
    ["depth Infinity, hidden members, getters", { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }],
    ["showProxy", { depth: Number.POSITIVE_INFINITY, showProxy: true, showHidden: true }],
    ["customInspect off", { depth: Number.POSITIVE_INFINITY, customInspect: false, showHidden: true, showProxy: true }],
  ])("util.inspect (%s) shows the data and no secret or manager internals", async (_name, options) => {
    const { object } = await pick();
    const text = inspect(object, options);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    for (const internal of ["keyring", "pendingDestroy", "commitsInFlight", "clearToken", "manager", "secrets"]) {
      expect(text).not.toContain(internal);
    }
    if (!("customInspect" in options)) expect(text).toContain("ann");
  });

  it("JSON.stringify gives the data only", async () => {
    const { object } = await pick();
    expect(JSON.parse(JSON.stringify(object))).toEqual({ user: "ann", cart: ["tea"], visits: 2 });
  });

  it("structuredClone reveals nothing: a plain copy of public fields (core) or a DataCloneError (a Proxy view)", async () => {
    const { object } = await pick();
    if (kind === "session (core)") {
      const copy = structuredClone(object) as object;
      assertNothingSecret(reachable(copy), []);
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
