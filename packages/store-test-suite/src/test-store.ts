/**
 * `testStore(name, options)`: registers the conformance cases as a vitest `describe` block.
 * Every case runs against the real store; a case is skipped only when the options name it in
 * `skip` with a reason, or when the store declares it lacks the capability the case needs, and the
 * skip (with its reason) shows in the test report.
 */
import { assertStore, type SessionRecord, type Store } from "@tessera/core";
import { encodeBase64url } from "@tessera/core/internal";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { STORE_CASES, type StoreCaseId } from "./cases.js";

/** Options of {@link testStore}. */
export interface TestStoreOptions<S extends Store = Store> {
  /** Creates the store under test; called once, before the cases. */
  create(): S | Promise<S>;
  /**
   * Creates a second store on the same backend with a different prefix, for the prefix-isolation
   * case. Without it, that case is skipped (with a reason).
   * @default undefined (the prefix-isolation case is skipped)
   */
  createIsolated?(): Store | Promise<Store>;
  /** Removes test data between cases (optional: every case uses fresh random IDs and owners). */
  reset?(store: S): void | Promise<void>;
  /** Runs after all cases and after `dispose()`, e.g. to close the clients the test created. */
  teardown?(store: S): void | Promise<void>;
  /**
   * For the dispose case: resolves true when the client the test passed in still works (for
   * example a `PING`). Give it for every store that takes a user-supplied client.
   */
  clientStillOpen?(): Promise<boolean>;
  /**
   * Cases to skip, each with the reason to show in the report.
   * @default {}
   */
  skip?: Partial<Record<StoreCaseId, string>>;
  /**
   * How long to wait for native expiry, in ms.
   * @default 5000
   */
  expiryWaitMs?: number;
  /** Registers store-specific cases inside the same `describe` block. */
  additionalTests?(context: TestStoreContext<S>): void;
}

/** What `additionalTests` receives. */
export interface TestStoreContext<S extends Store = Store> {
  /** The store under test (available inside tests, after `create`). */
  store(): S;
  /** A fresh random ID in the core's format (43 base64url characters). */
  newId(): string;
  /** A record with sensible timestamps, expiring in an hour unless overridden. */
  record(overrides?: Partial<SessionRecord>): SessionRecord;
}

function newId(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase64url(bytes);
}

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return { data: { n: 1 }, createdAt: now, lastSeenAt: now, expiresAt: now + 3_600_000, ...overrides };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const id of iterable) out.push(id);
  return out;
}

/** Registers the conformance suite for one store. */
export function testStore<S extends Store>(name: string, options: TestStoreOptions<S>): void {
  describe(`store conformance: ${name}`, () => {
    let store: S | undefined;
    const current = (): S => {
      if (store === undefined) throw new Error("the store was not created (create() failed in beforeAll)");
      return store;
    };

    beforeAll(async () => {
      store = await options.create();
    });
    afterEach(async () => {
      if (store !== undefined) await options.reset?.(store);
    });
    afterAll(async () => {
      if (store === undefined) return;
      await store.dispose?.();
      await options.teardown?.(store);
    });

    /**
     * Registers one case, or a visible skip with its reason. `body` gets `skip(reason)` for what it
     * can only find out by running (for example that the store refused its input).
     */
    const testCase = (
      id: StoreCaseId,
      body: (skip: (reason: string) => never) => Promise<void>,
      needs?: () => string | undefined,
    ): void => {
      const title = `${id}: ${STORE_CASES[id]}`;
      const skipReason = options.skip?.[id];
      if (skipReason !== undefined) {
        it.skip(`${title} (skipped: ${skipReason})`, () => {});
        return;
      }
      it(title, async (context) => {
        const missing = needs?.();
        if (missing !== undefined) {
          context.skip(missing);
          return;
        }
        await body((reason) => context.skip(reason));
      });
    };
    const needsPatch = () => (current().capabilities.patch ? undefined : "the store declares no patch capability");
    const needsTouch = () => (current().capabilities.touch ? undefined : "the store declares no touch capability");
    const needsOwners = () => (current().capabilities.ownerIndex ? undefined : "the store declares no owner index");
    const needsTtl = () =>
      current().capabilities.nativeTtl ? undefined : "the store declares no native TTL (the core enforces expiry on read)";

    testCase("capabilities", async () => {
      const s = current();
      expect(() => assertStore(s)).not.toThrow();
      expect(typeof s.name).toBe("string");
      for (const flag of ["patch", "touch", "ownerIndex", "nativeTtl", "atomicConditionalWrites"] as const) {
        expect(typeof s.capabilities[flag]).toBe("boolean");
      }
    });

    testCase("get-missing", async () => {
      expect(await current().get(newId())).toBeNull();
    });

    testCase("round-trip", async () => {
      const id = newId();
      const data = {
        nested: { list: [1, "two", { three: [true, null] }], empty: {} },
        unicode: "żółć 😀 \u0000 \u2028 日本語",
        zero: 0,
        empty: "",
        no: false,
        nothing: null,
        float: 1.5e-7,
        negative: -42,
      };
      const original = record({ data, owner: "user-1", rememberMeSeconds: 3600 });
      expect(await current().create(id, original)).toBe(true);
      expect(await current().get(id)).toEqual(original);
      const plain = record({ data: { a: 1 } });
      const other = newId();
      await current().create(other, plain);
      const read = await current().get(other);
      expect(read).toEqual(plain);
      expect(read).not.toHaveProperty("owner");
      expect(read).not.toHaveProperty("rememberMeSeconds");
    });

    testCase("large-and-many", async () => {
      const id = newId();
      const data: Record<string, unknown> = { big: "x".repeat(60_000) };
      for (let i = 0; i < 200; i++) data[`key${i}`] = { i };
      const original = record({ data });
      await current().create(id, original);
      expect(await current().get(id)).toEqual(original);
    });

    testCase("special-keys", async () => {
      const id = newId();
      const data: Record<string, unknown> = {};
      for (const key of ["__proto__", "constructor", "prototype", "a.b", "$x", "a*b", "q?", "[x]", "k:v", "p/q", " spaced ", "\u00e9"]) {
        Object.defineProperty(data, key, { value: { key }, enumerable: true, writable: true, configurable: true });
      }
      await current().create(id, record({ data }));
      const read = await current().get(id);
      expect(read).not.toBeNull();
      const readData = read?.data as Record<string, unknown>;
      expect(Object.keys(readData).sort()).toEqual(Object.keys(data).sort());
      for (const key of Object.keys(data)) expect(Object.getOwnPropertyDescriptor(readData, key)?.value).toEqual({ key });
      expect(({} as Record<string, unknown>).key).toBeUndefined();
      if (current().capabilities.patch && current().patch) {
        const now = Date.now();
        const set: Record<string, unknown> = {};
        Object.defineProperty(set, "__proto__", { value: 2, enumerable: true, writable: true, configurable: true });
        set["a.b"] = 3;
        expect(await current().patch?.(id, { set, unset: ["$x", "p/q"], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(true);
        const patched = (await current().get(id))?.data as Record<string, unknown>;
        expect(Object.getOwnPropertyDescriptor(patched, "__proto__")?.value).toBe(2);
        expect(patched["a.b"]).toBe(3);
        expect(Object.hasOwn(patched, "$x")).toBe(false);
        expect(Object.hasOwn(patched, "p/q")).toBe(false);
        expect(patched["k:v"]).toEqual({ key: "k:v" });
      }
    });

    testCase("create-only-if-absent", async () => {
      const id = newId();
      expect(await current().create(id, record({ data: { v: "first" } }))).toBe(true);
      expect(await current().create(id, record({ data: { v: "second" } }))).toBe(false);
      expect((await current().get(id))?.data).toEqual({ v: "first" });
    });

    testCase("create-after-destroy", async () => {
      const id = newId();
      await current().create(id, record());
      expect(await current().destroy(id)).toBe(true);
      expect(await current().get(id)).toBeNull();
      expect(await current().create(id, record({ data: { again: true } }))).toBe(true);
      expect((await current().get(id))?.data).toEqual({ again: true });
    });

    testCase("replace-only-if-present", async () => {
      const id = newId();
      expect(await current().replace(id, record())).toBe(false);
      expect(await current().get(id)).toBeNull();
    });

    testCase("replace-overwrites", async () => {
      const id = newId();
      await current().create(id, record({ data: { a: 1, b: 2 }, owner: "o" }));
      const next = record({ data: { c: 3 }, rememberMeSeconds: 0 });
      expect(await current().replace(id, next)).toBe(true);
      expect(await current().get(id)).toEqual(next);
    });

    testCase(
      "patch-only-if-present",
      async () => {
        const id = newId();
        const now = Date.now();
        expect(await current().patch?.(id, { set: { a: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 })).toBe(false);
        expect(await current().get(id)).toBeNull();
      },
      needsPatch,
    );

    testCase(
      "patch-delta",
      async () => {
        const id = newId();
        const created = record({ data: { keep: { deep: [1] }, change: 1, drop: "x" }, owner: "owner-p", rememberMeSeconds: 60 });
        await current().create(id, created);
        const lastSeenAt = created.lastSeenAt + 5_000;
        const expiresAt = created.expiresAt + 5_000;
        expect(
          await current().patch?.(id, { set: { change: 2, added: [true] }, unset: ["drop", "never-there"], lastSeenAt, expiresAt }),
        ).toBe(true);
        expect(await current().get(id)).toEqual({
          ...created,
          data: { keep: { deep: [1] }, change: 2, added: [true] },
          lastSeenAt,
          expiresAt,
        });
      },
      needsPatch,
    );

    testCase(
      "touch-only-if-present",
      async () => {
        const id = newId();
        const now = Date.now();
        expect(await current().touch?.(id, { lastSeenAt: now, expiresAt: now + 60_000 })).toBe(false);
        expect(await current().get(id)).toBeNull();
      },
      needsTouch,
    );

    testCase(
      "touch-activity-only",
      async () => {
        const id = newId();
        const created = record({ data: { a: { b: 1 } }, owner: "owner-t" });
        await current().create(id, created);
        const activity = { lastSeenAt: created.lastSeenAt + 1_000, expiresAt: created.expiresAt + 1_000 };
        expect(await current().touch?.(id, activity)).toBe(true);
        expect(await current().get(id)).toEqual({ ...created, ...activity });
      },
      needsTouch,
    );

    testCase(
      "concurrent-patches",
      async () => {
        const id = newId();
        await current().create(id, record({ data: { base: 0 } }));
        const now = Date.now();
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            current().patch?.(id, { set: { [`k${i}`]: i }, unset: [], lastSeenAt: now + i, expiresAt: now + 60_000 + i }),
          ),
        );
        expect(results).toEqual(Array.from({ length: 10 }, () => true));
        const data = (await current().get(id))?.data;
        expect(data).toEqual({ base: 0, ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i])) });
      },
      needsPatch,
    );

    testCase("destroy-idempotent", async () => {
      const id = newId();
      await current().create(id, record());
      expect(await current().destroy(id)).toBe(true);
      expect(await current().destroy(id)).toBe(false);
      expect(await current().get(id)).toBeNull();
      expect(await current().destroy(newId())).toBe(false);
    });

    testCase("destroy-reports-live", async () => {
      // Each answer must follow its own record: a store that always answers the same fails here.
      const s = current();
      const now = Date.now();
      const [replaced, patched, touched, bystander] = [newId(), newId(), newId(), newId()];
      for (const id of [replaced, patched, touched, bystander]) await s.create(id, record());
      await s.replace(replaced, record({ data: { replaced: true } }));
      if (s.capabilities.patch) await s.patch?.(patched, { set: { p: 1 }, unset: [], lastSeenAt: now, expiresAt: now + 60_000 });
      if (s.capabilities.touch) await s.touch?.(touched, { lastSeenAt: now, expiresAt: now + 60_000 });
      expect(await s.destroy(newId())).toBe(false);
      expect(await s.get(bystander)).not.toBeNull();
      expect(await s.destroy(replaced)).toBe(true);
      expect(await s.destroy(patched)).toBe(true);
      expect(await s.destroy(replaced)).toBe(false);
      expect(await s.destroy(touched)).toBe(true);
      expect(await s.get(bystander)).not.toBeNull();
      if (s.capabilities.ownerIndex) {
        const owner = `owner-${newId()}`;
        const revoked = newId();
        await s.create(revoked, record({ owner }));
        expect(await s.destroyByOwner?.(owner)).toBe(1);
        expect(await s.destroy(revoked)).toBe(false);
      }
      expect(await s.destroy(bystander)).toBe(true);
    });

    testCase("destroy-expired", async (skip) => {
      const s = current();
      const id = newId();
      const owner = `owner-${newId()}`;
      const now = Date.now();
      const expired = record({ owner, createdAt: now - 120_000, lastSeenAt: now - 60_000, expiresAt: now - 1_000 });
      if (!(await s.create(id, expired))) skip("the store refused to create a record that has already expired");
      expect(await s.destroy(id)).toBe(false);
      expect(await s.get(id)).toBeNull();
      if (s.capabilities.ownerIndex) expect(await s.listByOwner?.(owner)).toEqual([]);
      // The expired record did not block the ID: it is free for a new session.
      expect(await s.create(id, record({ data: { fresh: true } }))).toBe(true);
      expect(await s.destroy(id)).toBe(true);
    });

    testCase("returns-copies", async () => {
      const id = newId();
      const original = record({ data: { list: [1], obj: { a: 1 } } });
      await current().create(id, original);
      (original.data.list as number[]).push(2);
      const first = await current().get(id);
      expect(first?.data).toEqual({ list: [1], obj: { a: 1 } });
      (first?.data.obj as Record<string, number>).a = 99;
      if (first) first.lastSeenAt = 0;
      const second = await current().get(id);
      expect(second?.data).toEqual({ list: [1], obj: { a: 1 } });
      expect(second?.lastSeenAt).not.toBe(0);
    });

    const expiryWaitMs = options.expiryWaitMs ?? 5_000;
    const waitUntilGone = async (id: string): Promise<boolean> => {
      const deadline = Date.now() + expiryWaitMs;
      while (Date.now() < deadline) {
        if ((await current().get(id)) === null) return true;
        await sleep(50);
      }
      return false;
    };

    testCase(
      "native-expiry",
      async () => {
        const id = newId();
        const now = Date.now();
        await current().create(id, record({ createdAt: now, lastSeenAt: now, expiresAt: now + 300 }));
        expect(await current().get(id)).not.toBeNull();
        await sleep(350);
        expect(await waitUntilGone(id)).toBe(true);
        if (current().ids) expect(await collect(current().ids?.() ?? (async function* () {})())).not.toContain(id);
      },
      needsTtl,
    );

    testCase(
      "touch-extends-expiry",
      async () => {
        const id = newId();
        const now = Date.now();
        await current().create(id, record({ expiresAt: now + 400 }));
        await current().touch?.(id, { lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000 });
        await sleep(600);
        expect(await current().get(id)).not.toBeNull();
        const patchedId = newId();
        await current().create(patchedId, record({ expiresAt: Date.now() + 400 }));
        if (current().capabilities.patch) {
          await current().patch?.(patchedId, { set: { x: 1 }, unset: [], lastSeenAt: Date.now(), expiresAt: Date.now() + 60_000 });
        } else {
          await current().replace(patchedId, record({ data: { x: 1 }, expiresAt: Date.now() + 60_000 }));
        }
        await sleep(600);
        expect((await current().get(patchedId))?.data).toMatchObject({ x: 1 });
      },
      () => needsTtl() ?? needsTouch(),
    );

    testCase(
      "prefix-isolation",
      async () => {
        const other = await options.createIsolated?.();
        if (!other) throw new Error("createIsolated returned nothing");
        try {
          const id = newId();
          const owner = `iso-${newId()}`;
          await current().create(id, record({ data: { side: "a" }, owner }));
          expect(await other.get(id)).toBeNull();
          expect(await other.create(id, record({ data: { side: "b" }, owner }))).toBe(true);
          expect((await current().get(id))?.data).toEqual({ side: "a" });
          expect(await other.destroy(id)).toBe(true);
          expect(await current().get(id)).not.toBeNull();
          if (current().capabilities.ownerIndex && other.capabilities.ownerIndex) {
            await other.create(id, record({ data: { side: "b" }, owner }));
            expect(await other.destroyByOwner?.(owner)).toBe(1);
            expect((await current().listByOwner?.(owner))?.map((s) => s.id)).toEqual([id]);
          }
          if (current().ids && other.ids) {
            expect(await collect(other.ids())).not.toContain(id);
          }
        } finally {
          await other.dispose?.();
        }
      },
      () => (options.createIsolated ? undefined : "no createIsolated() given for a second prefix"),
    );

    testCase(
      "owner-list",
      async () => {
        const owner = `owner-${newId()}`;
        const mine = [newId(), newId(), newId()];
        for (const [i, id] of mine.entries()) await current().create(id, record({ data: { i }, owner }));
        await current().create(newId(), record({ owner: `${owner}-other` }));
        await current().create(newId(), record());
        const listed = (await current().listByOwner?.(owner)) ?? [];
        expect(listed.map((s) => s.id).sort()).toEqual([...mine].sort());
        for (const entry of listed) {
          expect(entry.record.owner).toBe(owner);
          expect(entry.record.data).toEqual({ i: mine.indexOf(entry.id) });
        }
        expect(await current().listByOwner?.(`nobody-${newId()}`)).toEqual([]);
      },
      needsOwners,
    );

    testCase(
      "owner-follows-writes",
      async () => {
        const a = `owner-a-${newId()}`;
        const b = `owner-b-${newId()}`;
        const moved = newId();
        const dropped = newId();
        const destroyed = newId();
        await current().create(moved, record({ owner: a }));
        await current().create(dropped, record({ owner: a }));
        await current().create(destroyed, record({ owner: a }));
        await current().replace(moved, record({ owner: b }));
        await current().replace(dropped, record({}));
        expect(await current().destroy(destroyed)).toBe(true);
        expect((await current().listByOwner?.(a))?.map((s) => s.id)).toEqual([]);
        expect((await current().listByOwner?.(b))?.map((s) => s.id)).toEqual([moved]);
      },
      needsOwners,
    );

    testCase(
      "owner-destroy-except",
      async () => {
        const owner = `owner-${newId()}`;
        const ids = [newId(), newId(), newId(), newId()];
        for (const id of ids) await current().create(id, record({ owner }));
        const bystander = newId();
        await current().create(bystander, record({ owner: `${owner}x` }));
        const keep = ids[1] as string;
        expect(await current().destroyByOwner?.(owner, { except: keep })).toBe(3);
        for (const id of ids) {
          if (id === keep) expect(await current().get(id)).not.toBeNull();
          else expect(await current().get(id)).toBeNull();
        }
        expect((await current().listByOwner?.(owner))?.map((s) => s.id)).toEqual([keep]);
        expect(await current().get(bystander)).not.toBeNull();
        expect(await current().destroyByOwner?.(owner)).toBe(1);
        expect(await current().destroyByOwner?.(owner)).toBe(0);
      },
      needsOwners,
    );

    testCase(
      "owner-special-chars",
      async () => {
        const base = newId().slice(0, 10);
        const owners = [`${base}*`, `${base}?`, `${base}[ab]`, `${base}:x`, `${base}/y`, `${base}a`, `${base}b`];
        const byOwner = new Map<string, string>();
        for (const owner of owners) {
          const id = newId();
          byOwner.set(owner, id);
          await current().create(id, record({ owner }));
        }
        for (const owner of owners) {
          expect((await current().listByOwner?.(owner))?.map((s) => s.id)).toEqual([byOwner.get(owner)]);
        }
        expect(await current().destroyByOwner?.(`${base}*`)).toBe(1);
        expect(await current().get(byOwner.get(`${base}a`) as string)).not.toBeNull();
      },
      needsOwners,
    );

    testCase(
      "ids",
      async () => {
        const created = [newId(), newId()];
        for (const id of created) await current().create(id, record());
        const all = await collect(current().ids?.() ?? (async function* () {})());
        for (const id of created) expect(all).toContain(id);
        expect(new Set(all).size).toBe(all.length);
      },
      () => (current().ids ? undefined : "the store has no ids()"),
    );

    testCase(
      "dispose-keeps-client",
      async () => {
        // A second store on the same backend is disposed: the store under test, and the client
        // the user passed in, must keep working.
        const other = await options.createIsolated?.();
        await other?.dispose?.();
        const id = newId();
        expect(await current().create(id, record())).toBe(true);
        expect(await current().get(id)).not.toBeNull();
        if (options.clientStillOpen) expect(await options.clientStillOpen()).toBe(true);
      },
      () => (options.createIsolated ? undefined : "needs createIsolated() to dispose a second store on the same backend"),
    );

    options.additionalTests?.({ store: current, newId, record });
  });
}
