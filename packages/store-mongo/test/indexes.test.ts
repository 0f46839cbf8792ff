import { describe, expect, it } from "vitest";
import { SESSION_INDEXES } from "../src/index.js";
import { EXPIRY_INDEX, OWNER_INDEX, planIndexes } from "../src/indexes.js";

describe("index specs", () => {
  it("a TTL index on expiresAt that deletes at expiresAt, and a sparse owner index", () => {
    expect(EXPIRY_INDEX).toEqual({ key: { expiresAt: 1 }, name: "tessera_expiresAt_ttl", expireAfterSeconds: 0 });
    expect(OWNER_INDEX).toEqual({ key: { owner: 1 }, name: "tessera_owner", sparse: true });
    expect(SESSION_INDEXES).toEqual([EXPIRY_INDEX, OWNER_INDEX]);
  });

  it("are frozen, so no caller can change what every store creates", () => {
    expect(Object.isFrozen(EXPIRY_INDEX)).toBe(true);
    expect(Object.isFrozen(EXPIRY_INDEX.key)).toBe(true);
    expect(Object.isFrozen(SESSION_INDEXES)).toBe(true);
  });
});

describe("planIndexes", () => {
  it("creates both on a new collection (only the _id index exists)", () => {
    expect(planIndexes([])).toEqual([EXPIRY_INDEX, OWNER_INDEX]);
    expect(planIndexes([{ name: "_id_", key: { _id: 1 } }])).toEqual([EXPIRY_INDEX, OWNER_INDEX]);
  });

  it("creates nothing when both exist (idempotent across restarts and servers)", () => {
    expect(planIndexes([{ name: "_id_", key: { _id: 1 } }, { ...EXPIRY_INDEX }, { ...OWNER_INDEX }])).toEqual([]);
  });

  it("reuses indexes an operator created under other names, including a TTL with a grace period", () => {
    expect(
      planIndexes([
        { name: "expiresAt_1", key: { expiresAt: 1 }, expireAfterSeconds: 300 },
        { name: "owner_1", key: { owner: 1 } },
      ]),
    ).toEqual([]);
  });

  it("does not mistake a compound index for the owner index", () => {
    expect(planIndexes([{ ...EXPIRY_INDEX }, { name: "owner_1_x_1", key: { owner: 1, x: 1 } }])).toEqual([OWNER_INDEX]);
    expect(planIndexes([{ ...EXPIRY_INDEX }, { name: "owner_-1", key: { owner: -1 } }])).toEqual([OWNER_INDEX]);
  });

  it("refuses a non-TTL index on expiresAt, saying how to fix it", () => {
    expect(() => planIndexes([{ name: "expiresAt_1", key: { expiresAt: 1 } }])).toThrowError(
      expect.objectContaining({
        code: "INVALID_CONFIG",
        message: expect.stringMatching(/^\[tessera\] \[mongodb\] the index "expiresAt_1" .* not a TTL index.*manageIndexes: false/),
      }),
    );
  });
});
