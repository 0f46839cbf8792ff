import { describe, expect, it } from "vitest";
import { isSessionError, type SessionError } from "../src/index.js";
import { serializeValue } from "../src/serialize.js";
import { harness } from "./helpers.js";

/** The error `serializeValue` throws for `value` under `key` (fails the test if it does not throw). */
function refusal(key: string, value: unknown): SessionError {
  try {
    serializeValue(key, value);
  } catch (error) {
    if (isSessionError(error)) return error;
    throw error;
  }
  throw new Error(`serializeValue(${JSON.stringify(key)}, ...) accepted a value it should refuse`);
}

/** Whether `node:vm` can make objects from another realm (core's tests are typed without Node's types). */
const IS_NODE = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
const NODE_VM: string = "node:vm";

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

class Money {
  constructor(readonly cents: number) {}
  toJSON() {
    return { cents: this.cents, currency: "EUR" };
  }
}

class Tags extends Array<string> {}

function sparse(): unknown[] {
  const array: unknown[] = [1];
  array[2] = 3;
  return array;
}

function circular(): unknown {
  const cart: { items: Array<{ parent?: unknown }> } = { items: [{}] };
  (cart.items[0] as { parent?: unknown }).parent = cart;
  return cart;
}

describe("serializeValue refuses what a JSON round trip would change, naming key and path", () => {
  const refused: Array<[string, unknown, string]> = [
    ["a Map", { items: [1, 2, { added: new Map([["a", 1]]) }] }, "cart.items[2].added is a Map"],
    ["a Set", { items: [1, 2, { added: new Set([1]) }] }, "cart.items[2].added is a Set"],
    ["a class instance without toJSON", { at: new Point(1, 2) }, "cart.at is a Point"],
    ["a function member", { total: 1, compute: () => 1 }, "cart.compute is a function"],
    ["a function in an array", [() => 1], "cart[0] is a function"],
    ["a symbol member", { tag: Symbol("t") }, "cart.tag is a symbol"],
    ["a BigInt", { total: 10n }, "cart.total is a BigInt"],
    ["NaN", { total: Number.NaN }, "cart.total is NaN"],
    ["Infinity", { total: Number.POSITIVE_INFINITY }, "cart.total is Infinity"],
    ["-Infinity", { total: Number.NEGATIVE_INFINITY }, "cart.total is -Infinity"],
    ["a circular reference", circular(), "cart.items[0].parent is a circular reference to cart"],
    ["undefined in an array", { items: [1, undefined] }, "cart.items[1] is undefined"],
    ["a hole in a sparse array", { items: sparse() }, "cart.items[1] is a hole in a sparse array"],
    ["a typed array", { bytes: new Uint8Array([1, 2]) }, "cart.bytes is a Uint8Array"],
    ["a RegExp", { pattern: /a+/ }, "cart.pattern is a RegExp"],
    ["an Error", { failure: new Error("boom") }, "cart.failure is an Error"],
    ["a WeakMap", { cache: new WeakMap() }, "cart.cache is a WeakMap"],
    ["a Promise", { pending: Promise.resolve(1) }, "cart.pending is a Promise"],
    ["an invalid Date", { at: new Date(Number.NaN) }, "cart.at is an invalid Date"],
    ["an instance of an Array subclass", { tags: Tags.from(["a"]) }, "cart.tags is a Tags"],
    ["a boxed primitive", { count: new Number(1) }, "cart.count is a Number object"],
    ["what a toJSON() method returns", { price: { toJSON: () => new Map() } }, "cart.price is a Map"],
    ["a member whose name is not an identifier", { "content-type": new Set() }, 'cart["content-type"] is a Set'],
  ];

  it.each(refused)("%s", (_name, value, expected) => {
    const error = refusal("cart", value);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain(`session key "cart" cannot be stored: ${expected}. Session values must survive JSON`);
  });

  it.each([
    ["a Map", new Map(), "cart is a Map"],
    ["a function", () => 1, "cart is a function"],
    ["a symbol", Symbol("s"), "cart is a symbol"],
    ["a BigInt", 1n, "cart is a BigInt"],
    ["NaN", Number.NaN, "cart is NaN"],
    ["undefined", undefined, "cart is undefined"],
    ["an object whose toJSON() returns undefined", { toJSON: () => undefined }, "cart is an object whose toJSON() returns undefined"],
  ])("at the top level: %s", (_name, value, expected) => {
    expect(refusal("cart", value).message).toContain(`cannot be stored: ${expected}.`);
  });

  it("a key that is not an identifier is written as a property access", () => {
    expect(refusal("my cart", { items: [new Set()] }).message).toContain(
      'session key "my cart" cannot be stored: ["my cart"].items[0] is a Set.',
    );
  });

  it("the first problem in JSON order is reported", () => {
    expect(refusal("k", { a: [1, { b: Number.NaN }], c: new Map() }).message).toContain("k.a[1].b is NaN.");
  });

  it("a getter or toJSON() that throws becomes INVALID_ARGUMENT with the original error as cause", () => {
    const boom = new Error("no");
    const error = refusal("k", {
      get broken() {
        throw boom;
      },
    });
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain('session key "k" cannot be stored: no');
    expect(error.cause).toBe(boom);
  });
});

describe("serializeValue accepts values that read back the same, and documented near-misses", () => {
  it("nested plain values are stored as JSON.stringify writes them", () => {
    const value = { user: { id: "u1", roles: ["admin", "dev"], age: 42, active: true, manager: null }, list: [[1, 2], [{ a: "b" }], []] };
    expect(serializeValue("k", value)).toBe(JSON.stringify(value));
    for (const primitive of ["text", 0, 1.5, true, false, null]) expect(serializeValue("k", primitive)).toBe(JSON.stringify(primitive));
  });

  it("a Date is stored as its ISO string, at the top or nested", () => {
    const at = new Date("2024-05-06T07:08:09.010Z");
    expect(serializeValue("k", at)).toBe('"2024-05-06T07:08:09.010Z"');
    expect(serializeValue("k", { events: [{ at }] })).toBe('{"events":[{"at":"2024-05-06T07:08:09.010Z"}]}');
  });

  it("an object with toJSON() is stored as what toJSON() returns", () => {
    expect(serializeValue("k", { price: new Money(250) })).toBe('{"price":{"cents":250,"currency":"EUR"}}');
  });

  it("an object member holding undefined is dropped, as express-session drops it", () => {
    expect(serializeValue("k", { name: "a", email: undefined })).toBe('{"name":"a"}');
  });

  it("-0 is stored as 0", () => {
    expect(serializeValue("k", -0)).toBe("0");
    expect(serializeValue("k", { balance: -0 })).toBe('{"balance":0}');
  });

  it("an object with a null prototype is stored as a plain object", () => {
    const value = Object.assign(Object.create(null) as Record<string, unknown>, {
      a: 1,
      nested: Object.assign(Object.create(null), { b: 2 }),
    });
    expect(serializeValue("k", value)).toBe('{"a":1,"nested":{"b":2}}');
  });

  it("a shared (not circular) reference is stored twice", () => {
    const shared = { id: 1 };
    expect(serializeValue("k", { a: shared, b: [shared, shared] })).toBe('{"a":{"id":1},"b":[{"id":1},{"id":1}]}');
  });

  it.skipIf(!IS_NODE)("plain objects and arrays from another realm (node:vm) are plain", async () => {
    const vm = (await import(NODE_VM)) as { runInNewContext(code: string): unknown };
    const foreign = vm.runInNewContext("({ a: [1, { b: 'c' }], d: Object.create(null) })") as unknown;
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    expect(serializeValue("k", foreign)).toBe('{"a":[1,{"b":"c"}],"d":{}}');
    expect(refusal("k", vm.runInNewContext("({ m: new Map() })")).message).toContain("k.m is a Map.");
  });
});

describe("commit of a value that cannot be stored", () => {
  it("a new session: the commit rejects, nothing is created and no cookie is set", async () => {
    const h = harness<Record<string, unknown>>();
    await expect(
      h.request((s) => {
        s.set("cart", { items: [{ added: new Map() }] });
      }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("cart.items[0].added is a Map") });
    expect(h.store.writes()).toEqual([]);
    expect(h.memory.size).toBe(0);
    expect(h.cookie).toBeNull();
  });

  it("an existing session: the commit rejects and the record is unchanged", async () => {
    const h = harness<Record<string, unknown>>();
    await h.request((s) => void s.set("cart", { items: ["a"] }));
    const id = (await h.request()).session.id;
    const before = await h.memory.get(id);
    await expect(
      h.request((s) => {
        (s.get("cart") as { items: unknown[] }).items.push(Number.NaN);
        s.set("visits", 2);
      }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining("cart.items[1] is NaN") });
    expect(h.store.writes().map((c) => c.method)).toEqual(["create"]);
    expect(await h.memory.get(id)).toEqual(before);
  });

  it("a Date reads back as its ISO string", async () => {
    const h = harness<Record<string, unknown>>();
    await h.request((s) => void s.set("since", new Date("2024-01-02T03:04:05.000Z")));
    await h.request((s) => {
      expect(s.get("since")).toBe("2024-01-02T03:04:05.000Z");
    });
  });
});
