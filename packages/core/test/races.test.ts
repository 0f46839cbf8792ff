/**
 * The promises that must hold when requests of one browser overlap: no lost login, no
 * resurrection after logout or "log out everywhere", no cookie for a write that was not confirmed.
 * Every interleaving is chosen by the test with a gated store (no sleeps).
 */
import { describe, expect, it } from "vitest";
import { gatedStore } from "../../adapter-test-suite/src/gated-store.js";
import { createSessionManager, memoryStore, type Session, type SessionManager, type Store } from "../src/index.js";
import { fakeClock, SECRET_A } from "./helpers.js";

type Data = { user: string; cart: string[]; role: string; notice: string };

/** A cookie jar that applies Set-Cookie lines in the order the responses arrive, as a browser does. */
class Jar {
  cookie: string | null = null;
  receive(lines: readonly string[]): void {
    for (const line of lines) {
      const pair = line.split(";")[0] as string;
      this.cookie = pair.slice(pair.indexOf("=") + 1) === "" ? null : pair;
    }
  }
}

function setup(options: { storeTimeoutMs?: number } = {}) {
  const clock = fakeClock();
  const memory = memoryStore({ now: clock.now });
  const store = gatedStore(memory);
  // As a networked store: the memory store is in-process, which skips the timeout machinery.
  if (options.storeTimeoutMs !== undefined) Object.assign(store, { capabilities: { ...memory.capabilities, inProcess: false } });
  const manager: SessionManager<Data> = createSessionManager<Data>({
    secrets: [SECRET_A],
    now: clock.now,
    store: store as Store,
    ...options,
  });
  const load = (jar: Jar) => manager.load({ cookieHeader: jar.cookie });
  const commit = async (session: Session<Data>) => {
    const lines: string[] = [];
    await manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
    return lines;
  };
  /** A browser whose cookie holds a stored session with `data` (and `owner`). */
  const signedIn = async (data: Partial<Data>, owner?: string) => {
    const jar = new Jar();
    const session = await load(jar);
    for (const [key, value] of Object.entries(data)) session.set(key as keyof Data & string, value as never);
    if (owner !== undefined) session.owner = owner;
    jar.receive(await commit(session));
    return jar;
  };
  /** Every record in the store, as [id, data]. */
  const records = async () => {
    const out: Array<[string, Record<string, unknown>]> = [];
    for await (const id of memory.ids()) {
      const record = await memory.get(id);
      if (record !== null) out.push([id, record.data]);
    }
    return out;
  };
  return { clock, memory, store, manager, load, commit, records, signedIn };
}

describe("login race: a slow write to the pre-login session", () => {
  // Request A (slow, writes) loaded S; request B logs in meanwhile and moves S to S'. A's write
  // finds S gone. Whatever order the two responses reach the browser in, it must hold S'.
  for (const arrival of ["A then B", "B then A"] as const) {
    it(`leaves the browser logged in (responses arrive ${arrival}), 0 of 9 browsers logged out`, async () => {
      let loggedOut = 0;
      for (let run = 0; run < 9; run++) {
        const t = setup();
        const jar = await t.signedIn({ cart: ["tea"] });

        const a = await t.load(jar);
        a.set("cart", ["tea", `cups-${run}`]);
        const gate = t.store.hold("patch");
        const aCommit = t.commit(a);
        await gate.reached; // A's write is on its way to the store

        const b = await t.load(jar);
        b.regenerate({ keepData: true });
        b.set("user", "bob");
        b.owner = "bob";
        const bLines = await t.commit(b);

        gate.open();
        const aLines = await aCommit;
        expect(aLines).toEqual([]); // no clearing line
        if (arrival === "A then B") {
          jar.receive(aLines);
          jar.receive(bLines);
        } else {
          jar.receive(bLines);
          jar.receive(aLines);
        }
        const after = await t.load(jar);
        if (after.get("user") !== "bob") loggedOut++;
      }
      expect(loggedOut).toBe(0);
    });
  }

  it("a read-only request whose record vanished in a login leaves the cookie alone", async () => {
    const t = setup();
    const jar = await t.signedIn({ cart: ["tea"] });
    const b = await t.load(jar);
    const staleCookie = jar.cookie;
    b.regenerate({ keepData: true }).set("user", "bob");
    jar.receive(await t.commit(b));
    // A was sent with the old cookie before B's response arrived, and reaches the server after B.
    const a = await t.manager.load({ cookieHeader: staleCookie });
    expect(a.isNew).toBe(true);
    const aLines = await t.commit(a);
    expect(aLines).toEqual([]);
    jar.receive(aLines);
    expect((await t.load(jar)).get("user")).toBe("bob");
  });
});

describe("logout race: regenerate({ keepData: true }) against a concurrent logout", () => {
  it("the logout wins when it destroys the old record before the move: nothing of bob's survives, 0 of 9", async () => {
    let resurrected = 0;
    for (let run = 0; run < 9; run++) {
      const t = setup();
      const jar = await t.signedIn({ user: "bob", role: "admin" }, "bob");

      const a = await t.load(jar);
      a.regenerate({ keepData: true });
      const gate = t.store.hold("destroy");
      const aCommit = t.commit(a);
      await gate.reached;

      const b = await t.load(jar);
      b.destroy();
      jar.receive(await t.commit(b));

      gate.open();
      const aLines = await aCommit;
      expect(aLines).toEqual([]);
      jar.receive(aLines);
      const left = await t.records();
      if (left.some(([, data]) => data.user === "bob")) resurrected++;
      expect(a.isNew).toBe(true);
      expect(a.owner).toBeUndefined();
      expect(jar.cookie).toBeNull();
    }
    expect(resurrected).toBe(0);
  });

  it("keeps what the request set after regenerate(), drops what it carried over", async () => {
    const t = setup();
    const jar = new Jar();
    const login = await t.load(jar);
    login.set("user", "bob").set("cart", ["tea"]);
    login.owner = "bob";
    login.rememberMe(true);
    jar.receive(await t.commit(login));

    const a = await t.load(jar);
    a.regenerate({ keepData: true });
    a.set("notice", "elevated");
    const cart = a.get("cart") as string[];
    cart.push("cups"); // a carried value changed in place counts as the request's own
    const gate = t.store.hold("destroy");
    const aCommit = t.commit(a);
    await gate.reached;
    const b = await t.load(jar);
    b.destroy();
    await t.commit(b);
    gate.open();
    const aLines = await aCommit;

    expect(a.isNew).toBe(false);
    expect(a.toJSON()).toEqual({ notice: "elevated", cart: ["tea", "cups"] });
    expect(a.owner).toBeUndefined();
    expect(a.isPersistent).toBe(false);
    expect(aLines).toHaveLength(1);
    const stored = await t.memory.get(a.id);
    expect(stored?.data).toEqual({ notice: "elevated", cart: ["tea", "cups"] });
    expect(stored?.owner).toBeUndefined();
  });

  it("an owner set after regenerate() is the request's own login and is kept", async () => {
    const t = setup();
    const jar = await t.signedIn({ user: "bob" }, "bob");
    const a = await t.load(jar);
    a.regenerate({ keepData: true });
    a.owner = "carol";
    a.set("user", "carol");
    const gate = t.store.hold("destroy");
    const aCommit = t.commit(a);
    await gate.reached;
    const b = await t.load(jar);
    b.destroy();
    await t.commit(b);
    gate.open();
    await aCommit;
    expect((await t.memory.get(a.id))?.owner).toBe("carol");
    expect((await t.records()).map(([, data]) => data)).toEqual([{ user: "carol" }]);
  });

  it("revokeSessions before the move: the moved session carries nothing from the revoked one", async () => {
    const t = setup();
    const jar = await t.signedIn({ user: "bob" }, "bob");
    const a = await t.load(jar);
    a.regenerate({ keepData: true });
    const gate = t.store.hold("destroy");
    const aCommit = t.commit(a);
    await gate.reached;
    expect(await t.manager.revokeSessions("bob")).toBe(1);
    gate.open();
    expect(await aCommit).toEqual([]);
    expect(await t.records()).toEqual([]);
    expect(await t.manager.listSessions("bob")).toEqual([]);
  });

  it("the default regenerate() carries nothing, so a concurrent logout has nothing to lose", async () => {
    const t = setup();
    const jar = await t.signedIn({ user: "bob" }, "bob");
    const a = await t.load(jar);
    a.regenerate();
    expect(a.toJSON()).toEqual({});
    expect(a.owner).toBeUndefined();
    const b = await t.load(jar);
    b.destroy();
    await t.commit(b);
    expect(await t.commit(a)).toEqual([]);
    expect(await t.records()).toEqual([]);
  });

  it("documented limit: a logout whose destroy reaches the store after the move finds nothing to end", async () => {
    // The move happened first (A's destroy of S removed it), so B's logout of S has nothing left to
    // remove: the moved session S' lives on. B's response still clears B's cookie.
    const t = setup();
    const jar = await t.signedIn({ user: "bob" });
    const a = await t.load(jar);
    const b = await t.load(jar);
    a.regenerate({ keepData: true });
    await t.commit(a);
    b.destroy();
    const bLines = await t.commit(b);
    expect(bLines).toEqual([expect.stringContaining("Max-Age=0")]);
    expect((await t.records()).map(([, data]) => data)).toEqual([{ user: "bob" }]);
  });
});

describe("a move that cannot be written", () => {
  it("refuses a value JSON would change before destroying the old record: nobody is logged out", async () => {
    const t = setup();
    const jar = await t.signedIn({ user: "bob" });
    const a = await t.load(jar);
    a.regenerate({ keepData: true });
    a.set("cart", new Map([["tea", 1]]) as unknown as string[]);
    await expect(t.commit(a)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect((await t.load(jar)).get("user")).toBe("bob");
    expect((await t.records()).map(([, data]) => data)).toEqual([{ user: "bob" }]);
  });
});

describe("a value the store hands back that JSON cannot hold", () => {
  it("does not throw when the app reads it; the commit reports it, naming the key", async () => {
    const t = setup();
    const jar = await t.signedIn({ cart: ["tea"] });
    const original = t.memory.get.bind(t.memory);
    Object.assign(t.store, {
      get: async (id: string) => {
        const record = await original(id);
        return record === null ? null : { ...record, data: { cart: new Map() } };
      },
    });
    const session = await t.load(jar);
    expect(() => session.get("cart")).not.toThrow();
    await expect(t.commit(session)).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining('"cart"') });
  });
});

describe("a write that times out", () => {
  it("sends no cookie for a create the store did not confirm; the late record stays unreferenced", async () => {
    const t = setup({ storeTimeoutMs: 50 });
    const session = await t.load(new Jar());
    session.set("user", "ann");
    const gate = t.store.hold("create");
    const lines: string[] = [];
    const commit = t.manager.commit(session, { appendSetCookie: (line) => lines.push(line) });
    await gate.reached;
    await expect(commit).rejects.toMatchObject({ code: "STORE_TIMEOUT" });
    expect(lines).toEqual([]);
    gate.open(); // the create lands after the timeout
    await new Promise((resolve) => setTimeout(resolve, 0));
    const landed = await t.records();
    expect(landed.map(([, data]) => data)).toEqual([{ user: "ann" }]);
    // Nothing in the response refers to it; it expires by itself.
    expect(lines.join()).not.toContain(landed[0]?.[0] ?? "-");
  });
});
