import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createSessionManager,
  isSessionError,
  memoryStore,
  type Session,
  type SessionData,
  SessionError,
  type SessionView,
  type Store,
} from "../src/index.js";
import { bindSession, isForwardedHttps } from "../src/internal.js";
import { fakeClock, recordingStore, SECRET_A } from "./helpers.js";

type Data = { count: number; cart: { items: string[] }; user: string };

/** A manager over a recording memory store, and a way to run one request through a binding. */
function setup(options: { store?: Store } = {}) {
  const clock = fakeClock();
  const store = recordingStore(options.store ?? memoryStore({ now: clock.now }));
  const manager = createSessionManager<Data>({ secrets: [SECRET_A], store, now: clock.now, rememberMeSeconds: 3600 });
  let jar: string | null = null;
  async function request(handler: (view: SessionView<Data>) => unknown) {
    const session = await manager.load({ cookieHeader: jar });
    const lines: string[] = [];
    const binding = bindSession(manager, session, { appendSetCookie: (line) => lines.push(line) });
    await handler(binding.view);
    await binding.commit();
    for (const line of lines) {
      const pair = line.split(";")[0] as string;
      jar = pair.endsWith("=") ? null : pair;
    }
    return { lines, session, view: binding.view };
  }
  return { clock, store, manager, request };
}

describe("bindSession: data as properties", () => {
  it("assignment, reads, delete, `in`, Object.keys, spread and JSON go through the session", async () => {
    const t = setup();
    const first = await t.request((view) => {
      view.count = 1;
      view.cart = { items: ["a"] };
      expect(view.count).toBe(1);
      expect("count" in view).toBe(true);
      expect("user" in view).toBe(false);
    });
    expect(first.lines).toHaveLength(1);
    await t.request((view) => {
      expect(Object.keys(view)).toEqual(["count", "cart"]);
      expect({ ...view }).toEqual({ count: 1, cart: { items: ["a"] } });
      expect(JSON.parse(JSON.stringify(view))).toEqual({ count: 1, cart: { items: ["a"] } });
      delete view.count;
      view.cart?.items.push("b"); // deep mutation is still caught by the core
    });
    await t.request((view) => {
      expect(view.count).toBeUndefined();
      expect(view.cart).toEqual({ items: ["a", "b"] });
      expect(Object.hasOwn(view, "cart")).toBe(true);
      expect(String(view)).toBe("[object Object]");
    });
  });

  it("member names cannot be assigned or deleted as data, and say so", async () => {
    const t = setup();
    await t.request((view) => {
      const record = view as unknown as Record<string, unknown>;
      expect(() => {
        record.save = 1;
      }).toThrow(/`session.save` is a session member/);
      expect(() => {
        delete record.id;
      }).toThrow(SessionError);
      view.owner = "user-1";
      expect(view.owner).toBe("user-1");
    });
  });

  it("id and isNew follow the session", async () => {
    const t = setup();
    const { session } = await t.request((view) => {
      expect(view.isNew).toBe(true);
      view.count = 1;
    });
    await t.request((view) => {
      expect(view.id).toBe(session.id);
      expect(view.isNew).toBe(false);
    });
  });
});

describe("bindSession: the binding's own state stays out of the data", () => {
  it("names of the binding's internals are ordinary data keys: absent until set, then data", async () => {
    const t = setup();
    const internals = ["session", "manager", "response", "view", "tail", "members"];
    const { session } = await t.request((view) => {
      const record = view as unknown as Record<string, unknown>;
      for (const name of internals) {
        expect(record[name]).toBeUndefined();
        expect(name in view).toBe(false);
        expect(Object.hasOwn(view, name)).toBe(false);
      }
      expect(Object.keys(view)).toEqual([]);
      expect(JSON.stringify(view)).toBe("{}");
      record.session = "data";
      record.manager = 1;
    });
    // The assignments went to the session, and the binding still committed them.
    await t.request((view) => {
      expect(view.id).toBe(session.id);
      expect({ ...view }).toEqual({ session: "data", manager: 1 });
    });
  });

  it("symbol keys live on the view like on a plain object", async () => {
    const t = setup();
    const mark = Symbol("mark");
    await t.request((view) => {
      const record = view as unknown as Record<symbol, unknown>;
      record[mark] = 1;
      expect(record[mark]).toBe(1);
      expect(Object.getOwnPropertySymbols(view)).toEqual([mark]);
      expect(Object.keys(view)).toEqual([]);
    });
  });
});

describe("bindSession: commits", () => {
  it("the methods work detached from the view", async () => {
    const t = setup();
    await t.request(async (view) => {
      const { save, rememberMe } = view;
      view.count = 1;
      expect(rememberMe(true)).toBe(view);
      await save();
      expect(t.store.writes().map((c) => c.method)).toEqual(["create"]);
    });
  });

  it("the adapter's commit after an unawaited save() waits for it: one create, then nothing", async () => {
    const t = setup();
    const session = await t.manager.load({ cookieHeader: null });
    const lines: string[] = [];
    const binding = bindSession(t.manager, session, { appendSetCookie: (line) => lines.push(line) });
    binding.view.count = 1;
    const saved = binding.view.save();
    const committed = binding.commit();
    await Promise.all([saved, committed]);
    expect(t.store.writes().map((c) => c.method)).toEqual(["create"]);
    expect(lines).toHaveLength(1);
  });

  it("a commit that cannot start (not a session from load()) rejects instead of throwing", async () => {
    const t = setup();
    const notLoaded = { id: "x" } as unknown as Session<Data>;
    const binding = bindSession(t.manager, notLoaded, { appendSetCookie: () => {} });
    const result = binding.commit();
    expect(result).toBeInstanceOf(Promise);
    await expect(result).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});

describe("bindSession: lifecycle methods", () => {
  it("save() persists at once, with a promise or a callback; the response commit adds nothing", async () => {
    const t = setup();
    await t.request(async (view) => {
      view.count = 1;
      await view.save();
      expect(t.store.writes().map((c) => c.method)).toEqual(["create"]);
      view.count = 2;
      await new Promise<void>((resolve, reject) => view.save((error) => (error ? reject(error) : resolve())));
      expect(t.store.writes().map((c) => c.method)).toEqual(["create", "patch"]);
    });
    expect(t.store.writes().map((c) => c.method)).toEqual(["create", "patch"]);
  });

  it("overlapping commits are serialized: one create, no collision", async () => {
    const t = setup();
    const { lines } = await t.request((view) => {
      view.count = 1;
      void view.save();
      void view.save();
    });
    expect(t.store.writes().map((c) => c.method)).toEqual(["create"]);
    expect(lines).toHaveLength(1);
  });

  it("regenerate({ keepData: true }) keeps the data under a new ID and destroys the old record", async () => {
    const t = setup();
    const { session } = await t.request((view) => {
      view.user = "ann";
    });
    const oldId = session.id;
    await t.request(async (view) => {
      await view.regenerate({ keepData: true });
      expect(view.id).not.toBe(oldId);
      expect(view.user).toBe("ann");
    });
    expect(await t.manager.store.get(oldId)).toBeNull();
    await t.request((view) => expect(view.user).toBe("ann"));
  });

  it("regenerate(callback) starts empty by default, as express-session's does", async () => {
    const t = setup();
    await t.request((view) => {
      view.user = "ann";
    });
    const { session } = await t.request(
      (view) =>
        new Promise<void>((resolve, reject) => {
          view.regenerate((error) => {
            if (error) reject(error);
            else resolve();
          });
        }),
    );
    expect(session.keys()).toEqual([]);
    await t.request((view) => expect(view.user).toBeUndefined());
  });

  it("regenerate({ keepData: false }, callback) drops the data and calls back", async () => {
    const t = setup();
    await t.request((view) => {
      view.user = "ann";
    });
    await t.request(
      (view) =>
        new Promise<void>((resolve) => {
          const returned = view.regenerate({ keepData: false }, (error) => {
            expect(error).toBeNull();
            expect(view.user).toBeUndefined();
            resolve();
          });
          expect(returned).toBe(view);
        }),
    );
  });

  it("destroy() removes the record and clears the cookie; the view then acts as a new session", async () => {
    const t = setup();
    const { session } = await t.request((view) => {
      view.user = "ann";
    });
    const { lines } = await t.request(async (view) => {
      await view.destroy();
      expect(view.isNew).toBe(true);
      expect(view.user).toBeUndefined();
    });
    expect(lines).toEqual([expect.stringMatching(/^tessera\.sid=; .*Max-Age=0/)]);
    expect(await t.manager.store.get(session.id)).toBeNull();
  });

  it("reload() drops unsaved changes, and resolves false when the record is gone", async () => {
    const t = setup();
    const { session } = await t.request((view) => {
      view.count = 1;
    });
    await t.request(async (view) => {
      view.count = 5;
      expect(await view.reload()).toBe(true);
      expect(view.count).toBe(1);
      await t.manager.destroySession(session.id);
      const found = await new Promise((resolve) => view.reload((_error, result) => resolve(result)));
      expect(found).toBe(false);
      expect(view.isNew).toBe(true);
    });
  });

  it("a failing store reaches the callback as a SessionError, and the promise rejects", async () => {
    const inner = memoryStore();
    const broken: Store = { ...inner, name: "broken", capabilities: inner.capabilities, create: () => Promise.reject(new Error("down")) };
    const t = setup({ store: broken });
    await t.request(async (view) => {
      view.count = 1;
      const error = await new Promise((resolve) => view.save((e) => resolve(e)));
      expect(isSessionError(error)).toBe(true);
      expect(error).toMatchObject({ code: "STORE_UNAVAILABLE", status: 503 });
      await expect(view.save()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      view.count = undefined; // nothing left to write, so the response commit succeeds
    });
  });

  it("touch() forces a touch at the next commit", async () => {
    const t = setup();
    await t.request((view) => {
      view.count = 1;
    });
    await t.request(async (view) => {
      await view.touch();
    });
    expect(t.store.writes().map((c) => c.method)).toEqual(["create", "touch"]);
  });

  it("flash through the view is read once", async () => {
    const t = setup();
    await t.request((view) => {
      expect(view.flash("notice", "saved")).toBe(view);
    });
    await t.request((view) => expect(view.flash("notice")).toBe("saved"));
    await t.request((view) => expect(view.flash("notice")).toBeUndefined());
  });
});

describe("bindSession: cookie", () => {
  it("cookie.maxAge (ms) makes the cookie persistent; null makes it a browser-session cookie", async () => {
    const t = setup();
    const { lines } = await t.request((view) => {
      view.count = 1;
      expect(view.cookie.maxAge).toBeNull();
      expect(view.cookie.expires).toBeNull();
      view.cookie.maxAge = 600_000;
      expect(view.cookie.maxAge).toBe(600_000);
      expect(view.cookie.originalMaxAge).toBe(600_000);
      expect(view.cookie.expires?.getTime()).toBe(t.clock.now() + 600_000);
    });
    expect(lines).toEqual([expect.stringContaining("; Max-Age=600;")]);
    const second = await t.request((view) => {
      view.cookie.maxAge = null;
    });
    expect(second.lines).toHaveLength(1);
    expect(second.lines[0]).not.toContain("Max-Age");
  });

  it("cookie.expires = date is the same as maxAge; the attributes are those of the manager", async () => {
    const t = setup();
    const { lines } = await t.request((view) => {
      view.count = 1;
      view.cookie.expires = new Date(t.clock.now() + 120_000);
      expect(view.cookie).toMatchObject({ httpOnly: true, path: "/", sameSite: "lax", secure: "auto", domain: undefined });
    });
    expect(lines[0]).toContain("; Max-Age=120;");
  });

  it("a non-positive maxAge is rejected with INVALID_ARGUMENT", async () => {
    const t = setup();
    await t.request((view) => {
      expect(() => {
        view.cookie.maxAge = 0;
      }).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
    });
  });
});

describe("SessionError.status", () => {
  it("is 503 for store failures and 500 otherwise", () => {
    expect(new SessionError("STORE_UNAVAILABLE", "x").status).toBe(503);
    expect(new SessionError("STORE_TIMEOUT", "x").status).toBe(503);
    expect(new SessionError("PAYLOAD_TOO_LARGE", "x").status).toBe(500);
    expect(new SessionError("INVALID_CONFIG", "x").status).toBe(500);
  });

  it("can be assigned, as Koa's error handler does, without becoming an own property", () => {
    const error = new SessionError("STORE_TIMEOUT", "x");
    error.status = 504;
    expect(error.status).toBe(504);
    expect(Object.keys(error)).not.toContain("status");
  });
});

describe("isForwardedHttps", () => {
  it("reads the first entry of X-Forwarded-Proto, case-insensitively", () => {
    expect(isForwardedHttps("https")).toBe(true);
    expect(isForwardedHttps(" HTTPS , http")).toBe(true);
    expect(isForwardedHttps("http, https")).toBe(false);
    expect(isForwardedHttps(["https", "http"])).toBe(true);
    expect(isForwardedHttps("")).toBe(false);
    expect(isForwardedHttps(undefined)).toBe(false);
    expect(isForwardedHttps(null)).toBe(false);
  });
});

describe("SessionView types", () => {
  it("data keys are optional typed properties; members keep their types", () => {
    expectTypeOf<SessionView<Data>["count"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<SessionView<Data>["id"]>().toEqualTypeOf<string>();
    expectTypeOf<SessionView<Data>["cart"]>().toEqualTypeOf<{ items: string[] } | undefined>();
    expectTypeOf<SessionView<SessionData>["owner"]>().toEqualTypeOf<string | undefined>();
  });
});
