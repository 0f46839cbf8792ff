/**
 * Login-token series against the memory store with a fixed clock: issue, redemption with rotation,
 * the grace window for concurrent requests, theft detection (with and without an owner index) and
 * revocation. Races are played out with a gated store: the test picks every interleaving.
 */
import { describe, expect, it } from "vitest";
import { gatedStore } from "../../adapter-test-suite/src/gated-store.js";
import { memoryStore, type SessionRecord, type Store } from "../src/index.js";
import { hashValidator, parseLoginToken } from "../src/login-token.js";
import {
  isLoginTokenRecord,
  LOGIN_TOKEN_MARKER,
  type LoginTokenRedemption,
  LoginTokenSeries,
  type StoreRunner,
} from "../src/login-token-series.js";
import { fakeClock } from "./helpers.js";

const DAY_SECONDS = 86_400;
const LIFETIME_SECONDS = 30 * DAY_SECONDS;
const GRACE_SECONDS = 60;

function setup(options: { store?: (memory: ReturnType<typeof memoryStore>) => Store; run?: StoreRunner } = {}) {
  const clock = fakeClock();
  const memory = memoryStore({ now: clock.now });
  const store = options.store?.(memory) ?? memory;
  const series = new LoginTokenSeries(store, {
    lifetimeSeconds: LIFETIME_SECONDS,
    graceSeconds: GRACE_SECONDS,
    now: clock.now,
    ...(options.run ? { run: options.run } : {}),
  });
  return { clock, memory, store, series };
}

/** A series over a gated memory store, for races. */
async function gatedSetup() {
  const clock = fakeClock();
  const memory = memoryStore({ now: clock.now });
  const store = gatedStore(memory);
  const series = new LoginTokenSeries(store, { lifetimeSeconds: LIFETIME_SECONDS, graceSeconds: GRACE_SECONDS, now: clock.now });
  return { clock, memory, store, series };
}

/** A session record of `owner`, as the manager would store it. */
function sessionRecord(owner: string, at: number): SessionRecord {
  return { data: { user: owner }, createdAt: at, lastSeenAt: at, expiresAt: at + 7 * DAY_SECONDS * 1000, owner };
}

function redeemed(result: LoginTokenRedemption) {
  if (result.verdict !== "redeemed") throw new Error(`expected redeemed, got ${result.verdict}`);
  return result;
}

/** Every record the memory store holds, as JSON. */
async function dump(memory: ReturnType<typeof memoryStore>): Promise<string> {
  const out: Record<string, unknown> = {};
  for await (const id of memory.ids()) out[id] = await memory.get(id);
  return JSON.stringify(out);
}

describe("issuing a series", () => {
  it("stores a marked record under the selector with owner, expiry and hashes, never the validator", async () => {
    const { clock, memory, series } = setup();
    const at = clock.now();
    const issued = await series.issue("ann");
    const parts = parseLoginToken(issued.token);
    expect(parts?.selector).toBe(issued.selector);
    expect(issued.expiresAt).toBe(at + LIFETIME_SECONDS * 1000);
    expect(issued.maxAgeSeconds).toBe(LIFETIME_SECONDS);
    const record = await memory.get(issued.selector);
    expect(record).toMatchObject({
      owner: "ann",
      createdAt: at,
      expiresAt: at + LIFETIME_SECONDS * 1000,
      rememberMeSeconds: LIFETIME_SECONDS,
      data: { [LOGIN_TOKEN_MARKER]: 1, validatorHash: hashValidator(parts?.validator as string) },
    });
    expect(typeof record?.data.seriesKey).toBe("string");
    expect(isLoginTokenRecord(record)).toBe(true);
    expect(await dump(memory)).not.toContain(parts?.validator);
  });

  it("gives every series its own selector and key", async () => {
    const { memory, series } = setup();
    const a = await series.issue("ann");
    const b = await series.issue("ann");
    expect(a.selector).not.toBe(b.selector);
    expect((await memory.get(a.selector))?.data.seriesKey).not.toBe((await memory.get(b.selector))?.data.seriesKey);
  });

  it("needs an owner", async () => {
    const { series } = setup();
    await expect(series.issue("")).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    await expect(series.issue(undefined as unknown as string)).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });

  it("retries on a selector collision and gives up with ID_COLLISION after three", async () => {
    let collisions = 0;
    const { series } = setup({
      store: (memory) => ({ ...memory, create: async (id, record) => (collisions-- > 0 ? false : memory.create(id, record)) }),
    });
    collisions = 2;
    await expect(series.issue("ann")).resolves.toMatchObject({ selector: expect.any(String) });
    collisions = 3;
    await expect(series.issue("ann")).rejects.toMatchObject({ code: "ID_COLLISION" });
  });
});

describe("redeeming a token", () => {
  it("logs the owner in long after any session expired, and rotates the validator", async () => {
    const { clock, memory, series } = setup();
    const first = await series.issue("ann");
    clock.advanceSeconds(10 * DAY_SECONDS);
    const result = redeemed(await series.redeem(first.token));
    expect(result.owner).toBe("ann");
    expect(result.rotated).toBe(true);
    expect(result.issued.selector).toBe(first.selector);
    expect(result.issued.token).not.toBe(first.token);
    // The lifetime counts from the issue: rotation does not extend it.
    expect(result.issued.expiresAt).toBe(first.expiresAt);
    expect(result.issued.maxAgeSeconds).toBe(20 * DAY_SECONDS);
    const record = await memory.get(first.selector);
    expect(record?.data.validatorHash).toBe(hashValidator(parseLoginToken(result.issued.token)?.validator as string));
    expect(record?.data.previousValidatorHash).toBe(hashValidator(parseLoginToken(first.token)?.validator as string));
    expect(record?.data.rotatedAt).toBe(clock.now());
    expect(record?.expiresAt).toBe(first.expiresAt);
    expect(await dump(memory)).not.toContain(parseLoginToken(result.issued.token)?.validator);
  });

  it("rotates on every use; a replaced token is refused once the grace window has passed", async () => {
    const { clock, series } = setup();
    const t0 = (await series.issue("ann")).token;
    clock.advanceSeconds(DAY_SECONDS);
    const t1 = redeemed(await series.redeem(t0)).issued.token;
    clock.advanceSeconds(DAY_SECONDS);
    const t2 = redeemed(await series.redeem(t1)).issued.token;
    expect(new Set([t0, t1, t2]).size).toBe(3);
    clock.advanceSeconds(GRACE_SECONDS + 1);
    const replayed = await series.redeem(t1);
    expect(replayed.verdict).toBe("theft-suspected");
  });

  it("accepts the replaced token up to exactly graceSeconds after the rotation, with the same successor", async () => {
    const { clock, series } = setup();
    const t0 = (await series.issue("ann")).token;
    const t1 = redeemed(await series.redeem(t0)).issued.token;
    clock.advanceSeconds(GRACE_SECONDS);
    const again = redeemed(await series.redeem(t0));
    expect(again.rotated).toBe(false);
    expect(again.issued.token).toBe(t1);
    clock.advanceSeconds(0.001);
    expect((await series.redeem(t0)).verdict).toBe("theft-suspected");
  });

  it("refuses an expired series, an unknown selector and a malformed token, without revoking anything", async () => {
    const { clock, memory, series } = setup();
    const at = clock.now();
    await memory.create("S".repeat(42).concat("A"), sessionRecord("ann", at));
    const issued = await series.issue("ann");
    const stranger = `${"Q".repeat(42)}A.${parseLoginToken(issued.token)?.validator}`;
    expect(await series.redeem(stranger)).toMatchObject({ verdict: "unknown", selector: `${"Q".repeat(42)}A` });
    expect(await series.redeem("nonsense")).toEqual({ verdict: "malformed", selector: undefined });
    // A session record is not a series, whatever the token says.
    expect((await series.redeem(`${"S".repeat(42)}A.${parseLoginToken(issued.token)?.validator}`)).verdict).toBe("unknown");
    expect(await memory.get("S".repeat(42).concat("A"))).not.toBeNull();
    expect(redeemed(await series.redeem(issued.token)).rotated).toBe(true);
    const live = await series.issue("ann");
    clock.advanceSeconds(LIFETIME_SECONDS);
    expect((await series.redeem(live.token)).verdict).toBe("unknown");
  });

  it("treats a damaged series record as unknown", async () => {
    const { memory, series } = setup();
    const issued = await series.issue("ann");
    const record = (await memory.get(issued.selector)) as SessionRecord;
    await memory.replace(issued.selector, { ...record, data: { ...record.data, validatorHash: 12 } });
    expect((await series.redeem(issued.token)).verdict).toBe("unknown");
  });
});

describe("theft detection", () => {
  async function victimAndThief(order: "thief-first" | "victim-first", withOwnerIndex: boolean) {
    const { clock, memory, series } = setup(
      withOwnerIndex
        ? {}
        : {
            store: (m) => ({
              name: m.name,
              capabilities: { ...m.capabilities, ownerIndex: false },
              get: (id: string) => m.get(id),
              create: (id: string, r: SessionRecord) => m.create(id, r),
              replace: (id: string, r: SessionRecord) => m.replace(id, r),
              destroy: (id: string) => m.destroy(id),
            }),
          },
    );
    const at = clock.now();
    const stolen = (await series.issue("ann")).token;
    const otherDevice = await series.issue("ann");
    const bob = await series.issue("bob");
    await memory.create("A".repeat(43), sessionRecord("ann", at));
    await memory.create("B".repeat(43), sessionRecord("bob", at));
    clock.advanceSeconds(DAY_SECONDS);
    const [first, second] = order === "thief-first" ? ["thief", "victim"] : ["victim", "thief"];
    const firstResult = redeemed(await series.redeem(stolen));
    clock.advanceSeconds(GRACE_SECONDS + 1);
    const secondResult = await series.redeem(stolen);
    return { memory, series, first, second, firstResult, secondResult, otherDevice, bob, stolen };
  }

  for (const order of ["thief-first", "victim-first"] as const) {
    it(`${order}: the second use of the copy revokes the series and every session of the owner`, async () => {
      const { memory, series, firstResult, secondResult, otherDevice, bob } = await victimAndThief(order, true);
      expect(secondResult).toMatchObject({ verdict: "theft-suspected", owner: "ann", ownerRevoked: true, revokedCount: 2 });
      // Whoever got the rotated token is logged out too: both must log in again.
      expect((await series.redeem(firstResult.issued.token)).verdict).toBe("unknown");
      expect(await memory.get("A".repeat(43))).toBeNull();
      expect((await series.redeem(otherDevice.token)).verdict).toBe("unknown");
      // Other owners are untouched.
      expect(await memory.get("B".repeat(43))).not.toBeNull();
      expect(redeemed(await series.redeem(bob.token)).owner).toBe("bob");
    });
  }

  it("without an owner index, revokes the series only (the owner's sessions stay)", async () => {
    const { memory, series, firstResult, secondResult, otherDevice } = await victimAndThief("thief-first", false);
    expect(secondResult).toMatchObject({ verdict: "theft-suspected", owner: "ann", ownerRevoked: false, revokedCount: 0 });
    expect(series.ownerIndex).toBe(false);
    expect((await series.redeem(firstResult.issued.token)).verdict).toBe("unknown");
    expect(await memory.get("A".repeat(43))).not.toBeNull();
    expect(redeemed(await series.redeem(otherDevice.token)).owner).toBe("ann");
  });

  it("a token that never belonged to the series (right selector, wrong validator) is theft", async () => {
    const { series } = setup();
    const issued = await series.issue("ann");
    const forged = `${issued.selector}.${parseLoginToken((await series.issue("eve")).token)?.validator}`;
    expect((await series.redeem(forged)).verdict).toBe("theft-suspected");
    expect((await series.redeem(issued.token)).verdict).toBe("unknown");
  });
});

describe("concurrent redemption of one token (two tabs after a browser restart)", () => {
  for (const openFirst of ["a", "b"] as const) {
    it(`both held at get, ${openFirst} opened first: both logged in with the same new token, no theft`, async () => {
      const gated = await gatedSetup();
      const t0 = (await gated.series.issue("ann")).token;
      const holdA = gated.store.hold("get");
      const holdB = gated.store.hold("get");
      const a = gated.series.redeem(t0);
      await holdA.reached;
      const b = gated.series.redeem(t0);
      await holdB.reached;
      const [first, second] = openFirst === "a" ? [holdA, holdB] : [holdB, holdA];
      first.open();
      await (openFirst === "a" ? a : b);
      second.open();
      const [ra, rb] = [redeemed(await a), redeemed(await b)];
      expect(ra.issued.token).toBe(rb.issued.token);
      expect(ra.owner).toBe("ann");
      // The shared successor works on the next use.
      expect(redeemed(await gated.series.redeem(ra.issued.token)).owner).toBe("ann");
    });

    it(`both held at replace, ${openFirst} opened first: the same new token for both`, async () => {
      const gated = await gatedSetup();
      const t0 = (await gated.series.issue("ann")).token;
      const holdA = gated.store.hold("replace");
      const holdB = gated.store.hold("replace");
      const a = gated.series.redeem(t0);
      await holdA.reached;
      const b = gated.series.redeem(t0);
      await holdB.reached;
      (openFirst === "a" ? holdA : holdB).open();
      await (openFirst === "a" ? a : b);
      (openFirst === "a" ? holdB : holdA).open();
      const [ra, rb] = [redeemed(await a), redeemed(await b)];
      expect(ra.issued.token).toBe(rb.issued.token);
      expect(ra.rotated && rb.rotated).toBe(true);
      const record = await gated.memory.get(ra.issued.selector);
      expect(record?.data.validatorHash).toBe(hashValidator(parseLoginToken(ra.issued.token)?.validator as string));
      expect(redeemed(await gated.series.redeem(ra.issued.token)).owner).toBe("ann");
    });
  }

  it("one tab finished, the other arrives within the grace window: same token, no second rotation", async () => {
    const gated = await gatedSetup();
    const t0 = (await gated.series.issue("ann")).token;
    const a = redeemed(await gated.series.redeem(t0));
    gated.clock.advanceSeconds(5);
    const b = redeemed(await gated.series.redeem(t0));
    expect(b.issued.token).toBe(a.issued.token);
    expect(b.rotated).toBe(false);
    expect(redeemed(await gated.series.redeem(a.issued.token)).rotated).toBe(true);
  });

  it("a rotation that finds the series revoked meanwhile fails (lost) and does not bring it back", async () => {
    const gated = await gatedSetup();
    const issued = await gated.series.issue("ann");
    const hold = gated.store.hold("replace");
    const pending = gated.series.redeem(issued.token);
    await hold.reached;
    expect(await gated.series.revoke(issued.token)).toBe(true);
    hold.open();
    expect((await pending).verdict).toBe("lost");
    expect(await gated.memory.get(issued.selector)).toBeNull();
  });
});

describe("revoking a series", () => {
  it("revoke(token) removes the series; a session record is never removed through it", async () => {
    const { clock, memory, series } = setup();
    const issued = await series.issue("ann");
    expect(await series.revoke(issued.token)).toBe(true);
    expect(await memory.get(issued.selector)).toBeNull();
    expect((await series.redeem(issued.token)).verdict).toBe("unknown");
    expect(await series.revoke(issued.token)).toBe(false);
    expect(await series.revoke("nonsense")).toBe(false);
    const sessionId = `${"S".repeat(42)}A`;
    await memory.create(sessionId, sessionRecord("ann", clock.now()));
    expect(await series.revokeSelector(sessionId)).toBe(false);
    expect(await memory.get(sessionId)).not.toBeNull();
  });

  it("read and restore put a series back after its owner's records were revoked", async () => {
    const { memory, series } = setup();
    const issued = await series.issue("ann");
    const saved = await series.read(issued.selector);
    expect(saved).not.toBeNull();
    expect(await memory.destroyByOwner("ann")).toBe(1);
    expect(await series.restore(issued.selector, saved as SessionRecord)).toBe(true);
    expect(redeemed(await series.redeem(issued.token)).owner).toBe("ann");
    expect(await series.read(`${"S".repeat(42)}A`)).toBeNull();
  });

  it("passes every store call through the runner with its operation name", async () => {
    const operations: string[] = [];
    const { series } = setup({
      run: (operation, run) => {
        operations.push(operation);
        return run(memory);
      },
    });
    const memory = memoryStore();
    const issued = await series.issue("ann");
    redeemed(await series.redeem(issued.token));
    await series.revoke(issued.token);
    expect(operations).toEqual(["create", "get", "replace", "get", "destroy"]);
  });
});
