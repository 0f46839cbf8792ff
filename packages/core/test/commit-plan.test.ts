/**
 * `planCommit`: the table of session states → what the commit does (destroys, store write, cookie).
 * The states are built directly, without a manager or store, so each row names one decision.
 */
import { describe, expect, it } from "vitest";
import { type CommitPlan, type CommitPolicy, planCommit } from "../src/commit-plan.js";
import { type SessionContext, SessionState } from "../src/session.js";

const NOW = 1_700_000_000_000;
const MINUTE = 60_000;
let ids = 0;
const context: SessionContext = {
  idleTimeoutMs: 60 * MINUTE,
  absoluteTimeoutMs: 24 * 60 * MINUTE,
  rememberMeSeconds: 3600,
  persistentByDefault: false,
  newId: () => `new-${++ids}`,
};

function policy(overrides: Partial<CommitPolicy> = {}): CommitPolicy {
  return {
    saveUninitialized: false,
    resave: false,
    touchAfterMs: 10 * MINUTE,
    sendOnlyOverHttps: false,
    storePatches: true,
    storeTouches: true,
    reissueOnWrite: false,
    lastWriteAt: () => undefined,
    ...overrides,
  };
}

/** A session loaded from a stored record last written `ageMs` ago, whose cookie came with the request. */
function stored(ageMs = MINUTE, rememberMeSeconds?: number): SessionState {
  const record = { data: { counter: 1, cart: { items: ["a"] } }, createdAt: NOW - ageMs, lastSeenAt: NOW - ageMs, expiresAt: NOW + MINUTE };
  const state = new SessionState(context, "stored-id", rememberMeSeconds === undefined ? record : { ...record, rememberMeSeconds }, NOW);
  state.tokenSent = true;
  return state;
}

/** A new session (no token, or one that led nowhere). */
function fresh(tokenSent = false): SessionState {
  const state = new SessionState(context, "fresh-id", null, NOW);
  state.tokenSent = tokenSent;
  return state;
}

/** `state` after `act` ran on it. */
function after(state: SessionState, act: (s: SessionState<{ counter: number; cart: { items: string[] } }>) => unknown): SessionState {
  act(state as unknown as SessionState<{ counter: number; cart: { items: string[] } }>);
  return state;
}

type Expected = Omit<CommitPlan, "destroys"> & { destroys: number };
const plan = (write: CommitPlan["write"], cookie: CommitPlan["cookie"], more: Partial<Expected> = {}): Expected => ({
  destroys: 0,
  write,
  activityOnly: false,
  cookie,
  resign: false,
  ...more,
});

const rows: Array<[string, () => SessionState, CommitPolicy, Expected | null]> = [
  ["a new empty session: idle", () => fresh(), policy(), null],
  [
    "a new empty session with saveUninitialized: create, issue",
    () => fresh(),
    policy({ saveUninitialized: true }),
    plan("create", "issue"),
  ],
  ["a new session with data: create, issue", () => fresh().set("counter", 1), policy(), plan("create", "issue")],
  [
    "a new session with data on plain HTTP under sendOnlyOverHttps: nothing stored or sent (nobody could send its cookie back)",
    () => fresh().set("counter", 1),
    policy({ sendOnlyOverHttps: true }),
    plan("none", "none"),
  ],
  ["a stored session only read, touch not due: idle", () => stored(), policy(), null],
  ["a stored object read and not mutated: idle", () => after(stored(), (s) => s.get("cart")), policy(), null],
  ["the same value set again: idle", () => stored().set("counter", 1), policy(), null],
  ["a changed key: patch, no cookie", () => stored().set("counter", 2), policy(), plan("patch", "none")],
  ["a deep mutation: patch", () => after(stored(), (s) => s.get("cart")?.items.push("b")), policy(), plan("patch", "none")],
  [
    "a changed key, store without patch: replace",
    () => stored().set("counter", 2),
    policy({ storePatches: false }),
    plan("replace", "none"),
  ],
  [
    "a changed key of a persistent session: patch, issue (a new Max-Age)",
    () => stored(MINUTE, 3600).set("counter", 2),
    policy(),
    plan("patch", "issue"),
  ],
  ["remember-me: replace, issue (the cookie itself changes)", () => stored().rememberMe(true), policy(), plan("replace", "issue")],
  [
    "an owner set: replace, issue",
    () => {
      const s = stored();
      s.owner = "user-1";
      return s;
    },
    policy(),
    plan("replace", "issue"),
  ],
  ["a due touch: touch, no cookie", () => stored(20 * MINUTE), policy(), plan("touch", "none", { activityOnly: true })],
  [
    "a due touch, store without touch: replace recording activity",
    () => stored(20 * MINUTE),
    policy({ storeTouches: false }),
    plan("replace", "none", { activityOnly: true }),
  ],
  [
    "a due touch another request of this process already made: idle",
    () => stored(20 * MINUTE),
    policy({ lastWriteAt: () => NOW - MINUTE }),
    null,
  ],
  [
    "a due touch of a persistent session: touch, issue",
    () => stored(20 * MINUTE, 3600),
    policy(),
    plan("touch", "issue", { activityOnly: true }),
  ],
  ["touch(): touch", () => stored().touch(), policy(), plan("touch", "none", { activityOnly: true })],
  [
    "touch() on a persistent session: touch, issue",
    () => stored(MINUTE, 3600).touch(),
    policy(),
    plan("touch", "issue", { activityOnly: true }),
  ],
  [
    "resave on a persistent session, touch not due: touch, the cookie not re-sent",
    () => stored(MINUTE, 3600),
    policy({ resave: true }),
    plan("touch", "none", { activityOnly: true }),
  ],
  [
    "a token signed by an older key: no write, issue, re-signed",
    () => {
      const s = stored();
      s.resign = { fromKid: "old" };
      return s;
    },
    policy(),
    plan("none", "issue", { resign: true }),
  ],
  ["destroy(): destroy the record, clear the cookie", () => stored().destroy(), policy(), plan("none", "clear", { destroys: 1 })],
  [
    "destroy() on plain HTTP under sendOnlyOverHttps: destroy, the cookie left alone",
    () => stored().destroy(),
    policy({ sendOnlyOverHttps: true }),
    plan("none", "none", { destroys: 1 }),
  ],
  [
    "destroy() of a session never sent: nothing to clear",
    () => {
      const s = stored().destroy();
      s.tokenSent = false;
      return s;
    },
    policy(),
    plan("none", "none", { destroys: 1 }),
  ],
  [
    "a token that failed verification: clear it",
    () => {
      const s = fresh(true);
      s.clearToken = true;
      return s;
    },
    policy(),
    plan("none", "clear"),
  ],
  ["a genuine token whose record is gone: idle (the browser may hold a newer cookie)", () => fresh(true), policy(), null],
  [
    "regenerate(): destroy the old record, the empty new one clears the cookie",
    () => stored().regenerate(),
    policy(),
    plan("none", "clear", { destroys: 1 }),
  ],
  [
    "regenerate({ keepData: true }): destroy the old record, create the new one, issue",
    () => stored().regenerate({ keepData: true }),
    policy(),
    plan("create", "issue", { destroys: 1 }),
  ],
  [
    "regenerate({ keepData: true }) of a session signed by an older key: the create re-issues it, re-signed",
    () => {
      const s = stored();
      s.resign = { fromKid: "old" };
      return s.regenerate({ keepData: true });
    },
    policy(),
    plan("create", "issue", { destroys: 1, resign: true }),
  ],
  [
    "a token that carries the record: every write re-issues it",
    () => stored().set("counter", 2),
    policy({ reissueOnWrite: true }),
    plan("patch", "issue"),
  ],
  [
    "a token that carries the record, a due touch: touch, issue",
    () => stored(20 * MINUTE),
    policy({ reissueOnWrite: true }),
    plan("touch", "issue", { activityOnly: true }),
  ],
];

describe("planCommit: session state → plan", () => {
  for (const [name, build, rules, expected] of rows) {
    it(name, () => {
      const result = planCommit(build(), NOW, rules);
      if (expected === null) {
        expect(result).toBeNull();
        return;
      }
      expect(result).not.toBeNull();
      const { destroys, ...rest } = result as CommitPlan;
      expect({ ...rest, destroys: destroys.length }).toEqual(expected);
    });
  }

  it("an idle answer is the same for every call: nothing is built for it", () => {
    const state = stored();
    expect(planCommit(state, NOW, policy())).toBeNull();
    expect(planCommit(state, NOW, policy())).toBeNull();
  });

  it("the destroys are the session's own pending list, with the moved-from mark", () => {
    const state = stored().regenerate({ keepData: true });
    const result = planCommit(state, NOW, policy());
    expect(result?.destroys).toBe(state.pendingDestroy);
    expect(result?.destroys).toEqual([{ id: "stored-id", reason: "destroy", movedFrom: true }]);
  });

  it("an unserializable value counts as changed, so the commit reports it", () => {
    const state = stored();
    state.set("counter", 10n as unknown as number);
    expect(planCommit(state, NOW, policy())?.write).toBe("patch");
  });
});
