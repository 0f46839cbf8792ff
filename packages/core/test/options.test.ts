import { describe, expect, it } from "vitest";
import { createSessionManager, memoryStore, type SessionManagerOptions } from "../src/index.js";
import { SECRET_A, SECRET_B, SECRET_C } from "./helpers.js";

function configFails(options: Partial<SessionManagerOptions>, message: string | RegExp): void {
  let caught: unknown;
  try {
    createSessionManager({ secrets: [SECRET_A], ...options } as SessionManagerOptions);
  } catch (error) {
    caught = error;
  }
  expect(caught).toMatchObject({ name: "SessionError", code: "INVALID_CONFIG" });
  if (typeof message === "string") expect((caught as Error).message).toContain(message);
  else expect((caught as Error).message).toMatch(message);
}

describe("configuration errors are thrown at startup with a fix", () => {
  it("secrets", () => {
    configFails({ secrets: [] }, "`secrets` is required: pass [currentSecret, ...olderSecrets]");
    configFails({ secrets: undefined as unknown as string[] }, "`secrets` is required");
    configFails(
      { secrets: ["short"] },
      "`secrets[0]` is 5 characters; each secret must be at least 32 characters. Generate one with `openssl rand -base64 32`.",
    );
    configFails({ secrets: [SECRET_A, "x".repeat(31)] }, "`secrets[1]` is 31 characters");
    configFails({ secrets: [SECRET_A, SECRET_A] }, "`secrets[1]` repeats `secrets[0]`; list each secret once, in one role.");
    configFails({ secrets: [SECRET_A, 42 as unknown as string] }, "`secrets[1]` must be a string, got number");
    expect(() => createSessionManager({ secrets: SECRET_A })).not.toThrow();
  });

  it("secrets by role: { current, previous, next }", () => {
    const rotation = (secrets: Record<string, unknown>) => ({ secrets: secrets as unknown as SessionManagerOptions["secrets"] });
    configFails(rotation({}), "`secrets.current` is required: the secret that signs new cookies.");
    configFails(
      rotation({ current: SECRET_A, older: SECRET_B }),
      "`secrets` has an unknown key `older`; use `current`, `previous` and `next`.",
    );
    configFails(rotation({ current: 7 }), "`secrets.current` must be a string, got number.");
    configFails(rotation({ current: "short" }), "`secrets.current` is 5 characters; each secret must be at least 32 characters.");
    configFails(rotation({ current: SECRET_A, next: "x".repeat(31) }), "`secrets.next` is 31 characters");
    configFails(rotation({ current: SECRET_A, previous: [SECRET_B, "x"] }), "`secrets.previous[1]` is 1 characters");
    configFails(rotation({ current: SECRET_A, previous: 5 }), "`secrets.previous` must be a string or an array of strings, got number.");
    configFails(rotation({ current: SECRET_A, next: [SECRET_B, null] }), "`secrets.next[1]` must be a string, got object.");
    configFails(
      rotation({ current: SECRET_A, previous: [SECRET_B], next: SECRET_B }),
      "`secrets.next` repeats `secrets.previous[0]`; list each secret once, in one role.",
    );
    configFails(rotation({ current: SECRET_A, next: [SECRET_A] }), "`secrets.next[0]` repeats `secrets.current`");
    const manager = createSessionManager({ secrets: { current: SECRET_A, previous: SECRET_B, next: [SECRET_C] } });
    expect(manager.options.secrets).toEqual({ current: SECRET_A, previous: [SECRET_B], next: [SECRET_C] });
    expect(createSessionManager({ secrets: [SECRET_A, SECRET_B] }).options.secrets).toEqual({
      current: SECRET_A,
      previous: [SECRET_B],
      next: [],
    });
  });

  it("cookie attributes", () => {
    configFails({ cookie: { name: "bad name" } }, '`cookie.name` "bad name" is not a valid cookie name');
    configFails({ cookie: { sameSite: "sideways" as "lax" } }, '`cookie.sameSite` must be one of "lax", "strict", "none", got "sideways"');
    configFails({ cookie: { sameSite: "none", secure: false } }, '`cookie.sameSite: "none"` requires `cookie.secure: true`');
    configFails({ cookie: { secure: "yes" as unknown as boolean } }, '`cookie.secure` must be true, false or "auto"');
    configFails({ cookie: { path: "app" } }, '`cookie.path` must start with "/"');
    configFails({ cookie: { domain: "a;b" } }, "`cookie.domain` must be a host name");
    configFails({ cookie: { partitioned: true, secure: false } }, "`cookie.partitioned: true` requires `cookie.secure: true`");
    configFails({ cookie: { priority: "urgent" as "high" } }, "`cookie.priority` must be one of");
    configFails({ cookie: { httpOnly: "yes" as unknown as boolean } }, "`cookie.httpOnly` must be true or false");
  });

  it("the __Host- and __Secure- prefixes", () => {
    configFails({ cookie: { name: "__Host-sid" } }, 'cookie name "__Host-sid" has the __Host- prefix, which requires `secure: true`.');
    configFails(
      { cookie: { name: "__Host-sid", secure: true, path: "/app", domain: "example.com" } },
      'has the __Host- prefix, which requires `path: "/"`, no `domain`.',
    );
    configFails({ cookie: { name: "__Secure-sid", secure: "auto" } }, "has the __Secure- prefix, which requires `secure: true`.");
    expect(() => createSessionManager({ secrets: SECRET_A, cookie: { name: "__Host-sid", secure: true } })).not.toThrow();
  });

  it("durations", () => {
    configFails({ idleTimeoutSeconds: 0 }, "`idleTimeoutSeconds` must be a positive number of seconds, got 0.");
    configFails({ absoluteTimeoutSeconds: Number.NaN }, "`absoluteTimeoutSeconds` must be a positive number of seconds, got NaN.");
    configFails({ idleTimeoutSeconds: 600, touchAfterSeconds: 600 }, "`touchAfterSeconds` (600) must be below `idleTimeoutSeconds` (600)");
    configFails({ touchAfterSeconds: -1 }, "`touchAfterSeconds` must be a number of seconds >= 0");
    configFails(
      { rememberMeSeconds: 100, absoluteTimeoutSeconds: 50 },
      "`rememberMeSeconds` (100) exceeds `absoluteTimeoutSeconds` (50); a remembered session still ends at the absolute timeout",
    );
    configFails({ maxPayloadBytes: 0 }, "`maxPayloadBytes` must be a positive integer");
    configFails({ storeTimeoutMs: -5 }, "`storeTimeoutMs` must be a number of milliseconds >= 0");
  });

  it("defaults keep remember-me within a short absolute timeout", () => {
    const manager = createSessionManager({ secrets: SECRET_A, absoluteTimeoutSeconds: 3600 });
    expect(manager.options.rememberMeSeconds).toBe(3600);
    const defaults = createSessionManager({ secrets: SECRET_A });
    expect(defaults.options).toMatchObject({
      idleTimeoutMs: 86_400_000,
      absoluteTimeoutMs: 2_592_000_000,
      rememberMeSeconds: 1_209_600,
      saveUninitialized: false,
      maxPayloadBytes: 65_536,
      cookie: { name: "tessera.sid", path: "/", sameSite: "lax", secure: "auto", httpOnly: true, persistent: false },
    });
  });

  it("functions and header name", () => {
    configFails({ now: 5 as unknown as () => number }, "`now` must be a function.");
    configFails({ onEvent: "log" as unknown as () => void }, "`onEvent` must be a function.");
    configFails({ headerName: "x session" }, "`headerName` must be a valid HTTP header name");
  });

  it("stores that do not implement the port", () => {
    configFails({ store: {} as never }, "the store has no `name`");
    configFails({ store: { name: "half", get() {} } as never }, "[tessera] [half] the store has no `create()` method");
    const inner = memoryStore();
    configFails(
      {
        store: {
          name: "liar",
          capabilities: { patch: true, touch: false, ownerIndex: false, nativeTtl: false, atomicConditionalWrites: true },
          get: inner.get,
          create: inner.create,
          replace: inner.replace,
          destroy: inner.destroy,
        },
      },
      "[tessera] [liar] the store declares capabilities.patch but has no `patch()` method.",
    );
    configFails({ store: { ...inner, capabilities: undefined } as never }, "the store has no `capabilities` object.");
  });

  it("memory store options", () => {
    expect(() => memoryStore({ maxEntries: 0 })).toThrow("[tessera] [memory] `maxEntries` must be a positive integer.");
    expect(() => memoryStore({ sweepBatchSize: -1 })).toThrow("`sweepBatchSize` must be an integer >= 0.");
  });
});
