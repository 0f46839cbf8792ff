/**
 * `manager.needsCommit(session)`: the synchronous answer an adapter uses to decide whether to hold
 * the response. It must agree with what `commit` then does (a store write or a header), and stay
 * true while a commit of the session is in flight.
 */
import { describe, expect, it } from "vitest";
import { memoryStore, type Session, type Store } from "../src/index.js";
import { harness, SECRET_A, SECRET_B } from "./helpers.js";

type Data = { counter: number; cart: { items: string[] } };

/** One request whose handler runs `act`; reports `needsCommit` after it, and what the commit did. */
async function predictAndCommit(h: ReturnType<typeof harness<Data>>, act: (s: Session<Data>) => void) {
  let predicted: boolean | undefined;
  const writesBefore = h.store.writes().length;
  const { setCookies, headers } = await h.request((s) => {
    act(s);
    predicted = h.manager.needsCommit(s);
  });
  const worked = h.store.writes().length > writesBefore || setCookies.length > 0 || Object.keys(headers).length > 0;
  return { predicted, worked };
}

describe("needsCommit agrees with what commit does", () => {
  const seeded = async () => {
    const h = harness<Data>({ touchAfterSeconds: 60 });
    await h.request((s) => {
      s.set("counter", 1).set("cart", { items: ["a"] });
    });
    return h;
  };
  const cases: Array<[string, (s: Session<Data>) => void, boolean]> = [
    ["a read of a number", (s) => void s.get("counter"), false],
    ["a read of an object, not mutated", (s) => void s.get("cart"), false],
    ["the same value set again", (s) => void s.set("counter", 1), false],
    ["a changed value", (s) => void s.set("counter", 2), true],
    ["a deep mutation", (s) => void s.get("cart")?.items.push("b"), true],
    ["an unset", (s) => void s.unset("cart"), true],
    ["touch()", (s) => void s.touch(), true],
    ["remember-me", (s) => void s.rememberMe(true), true],
    [
      "an owner",
      (s) => {
        s.owner = "user-1";
      },
      true,
    ],
    ["regenerate", (s) => void s.regenerate(), true],
    ["destroy", (s) => void s.destroy(), true],
  ];
  for (const [name, act, expected] of cases) {
    it(`${name}: ${expected}`, async () => {
      const h = await seeded();
      const { predicted, worked } = await predictAndCommit(h, act);
      expect(predicted).toBe(expected);
      expect(worked).toBe(expected);
    });
  }

  it("a new session: false while empty, true once it has data", async () => {
    const h = harness<Data>();
    expect(await predictAndCommit(h, () => {})).toEqual({ predicted: false, worked: false });
    h.cookie = null;
    expect(await predictAndCommit(h, (s) => void s.set("counter", 1))).toEqual({ predicted: true, worked: true });
  });

  it("an unchanged session whose touch is due: true, and the commit touches", async () => {
    const h = await seeded();
    h.clock.advanceSeconds(61);
    expect(await predictAndCommit(h, () => {})).toEqual({ predicted: true, worked: true });
    expect(h.store.writes().at(-1)?.method).toBe("touch");
    expect(await predictAndCommit(h, () => {})).toEqual({ predicted: false, worked: false });
  });

  it("a tampered cookie (to clear) and a cookie signed by an older secret (to re-sign): true", async () => {
    const h = await seeded();
    const good = h.cookie as string;
    h.cookie = `${good.slice(0, -2)}xx`;
    expect(await predictAndCommit(h, () => {})).toEqual({ predicted: true, worked: true });

    const old = harness<Data>({ secrets: [SECRET_B] });
    await old.request((s) => void s.set("counter", 1));
    const rotated = harness<Data>({ secrets: [SECRET_A, SECRET_B], store: old.memory });
    rotated.cookie = old.cookie;
    expect(await predictAndCommit(rotated, () => {})).toEqual({ predicted: true, worked: true });
  });

  it("a value JSON cannot hold: true, so that the commit reports it", async () => {
    const h = await seeded();
    await h.request(async (s) => {
      s.set("counter", 10n as unknown as number);
      expect(h.manager.needsCommit(s)).toBe(true);
      await expect(h.manager.commit(s, { appendSetCookie: () => {} })).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
      s.set("counter", 1);
    });
  });

  it("false again after the commit that did the work", async () => {
    const h = await seeded();
    await h.request(async (s) => {
      s.set("counter", 5);
      expect(h.manager.needsCommit(s)).toBe(true);
      await h.manager.commit(s, { appendSetCookie: () => {} });
      expect(h.manager.needsCommit(s)).toBe(false);
    });
  });
});

/** The memory store, with its `patch` going through `before` first (to delay or fail it). */
function patchGoesThrough(before: () => Promise<void>): Store {
  const memory = memoryStore();
  const patch = memory.patch as NonNullable<Store["patch"]>;
  return { ...memory, name: "gated", patch: (id, changes) => before().then(() => patch.call(memory, id, changes)) };
}

describe("needsCommit while a commit is in flight", () => {
  it("stays true until the store write finished, though the changes were handed to it", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let gated = false;
    const h = harness<Data>({ store: patchGoesThrough(() => (gated ? gate : Promise.resolve())) });
    await h.request((s) => void s.set("counter", 1));
    gated = true;
    await h.request(async (s) => {
      s.set("counter", 2);
      const commit = h.manager.commit(s, { appendSetCookie: () => {} });
      await new Promise((resolve) => setTimeout(resolve, 0)); // the write reached the store and waits
      expect(h.manager.needsCommit(s)).toBe(true);
      release();
      await commit;
      expect(h.manager.needsCommit(s)).toBe(false);
    });
  });

  it("a failed commit leaves its changes to commit again", async () => {
    let failing = false;
    const h = harness<Data>({ store: patchGoesThrough(() => (failing ? Promise.reject(new Error("down")) : Promise.resolve())) });
    await h.request((s) => void s.set("counter", 1));
    failing = true;
    await h.request(async (s) => {
      s.set("counter", 2);
      await expect(h.manager.commit(s, { appendSetCookie: () => {} })).rejects.toThrow();
      expect(h.manager.needsCommit(s)).toBe(true);
      failing = false;
      await h.manager.commit(s, { appendSetCookie: () => {} });
      expect(h.manager.needsCommit(s)).toBe(false);
    });
  });
});
