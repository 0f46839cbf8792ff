/** `session(options, app)` as koa-session takes it, and every configuration mistake as INVALID_CONFIG at startup. */
import { SECRET_A, serveNode } from "@tessera/adapter-test-suite";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { type KoaSessionOptions, session } from "../src/index.js";

const LONG_KEY = "k".repeat(40);
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function appWithKeys(keys?: unknown): Koa {
  const app = new Koa();
  if (keys !== undefined) app.keys = keys as string[];
  return app;
}

function configError(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error("expected an INVALID_CONFIG error");
}

describe("session(options, app) as koa-session", () => {
  it("app.keys are the secrets when `secrets` is not given; session(app, options) works too", async () => {
    for (const order of ["options, app", "app, options"]) {
      const app = appWithKeys([LONG_KEY]);
      const middleware = order === "options, app" ? session({ maxAge: 60_000 }, app) : session(app, { maxAge: 60_000 });
      app.use(middleware).use((ctx) => {
        ctx.session.views = ((ctx.session.views as number | undefined) ?? 0) + 1;
        ctx.body = ctx.session.views;
      });
      const server = await serveNode(app.callback());
      closers.push(() => server.close());
      const first = await server.fetch("/");
      const cookie = (first.headers.getSetCookie()[0] as string).split(";")[0] as string;
      expect(cookie).toMatch(/^koa\.sess=/);
      expect(await (await server.fetch("/", { headers: { cookie } })).text()).toBe("2");
    }
  });

  it("app.keys too short: INVALID_CONFIG saying why, and how to keep koa-session's cookies valid", () => {
    const error = configError(() => session({}, appWithKeys(["some secret hurr"])));
    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.message).toContain("app.keys[0] is 16 characters");
    expect(error.message).toContain("guessed offline");
    expect(error.message).toContain("leave `app.keys` as it is");
  });

  it("no app.keys and no secrets: INVALID_CONFIG naming both", () => {
    expect(configError(() => session({}, appWithKeys())).message).toMatch(/set `app.keys`.*or give `secrets`/);
    expect(configError(() => session()).code).toBe("INVALID_CONFIG");
  });

  it("`secrets` given: short app.keys are fine (they only verify old cookies)", () => {
    expect(() => session({ secrets: [SECRET_A] }, appWithKeys(["short"]))).not.toThrow();
  });
});

describe("options Tessera does not take", () => {
  const cases: Array<[string, KoaSessionOptions | Record<string, unknown>, RegExp]> = [
    ["a typo names the closest option", { idleTimeout: 60 }, /unknown option `idleTimeout`; did you mean `idleTimeoutSeconds`\?/],
    ["a one-letter typo", { rollin: true }, /did you mean `rolling`\?/],
    ["koa-session's old maxage", { maxage: 1000 }, /`maxage` is not supported: koa-session renamed it `maxAge`/],
    ["encode", { encode: () => "", decode: () => ({}) }, /`encode` is not supported: Tessera seals the cookie/],
    ["koa-generic-session's ttl", { ttl: 1000 }, /`ttl` is not supported: koa-generic-session's; use `maxAge`/],
    [
      "a nested cookie object",
      { cookie: { path: "/" } },
      /`cookie` is not supported: koa-session's cookie attributes are top-level options/,
    ],
    ["signed: false", { signed: false }, /`signed: false` is not supported: Tessera always signs/],
    ["a prefix that is not base64url", { prefix: "sess:", store: { get() {}, set() {}, destroy() {} } }, /`prefix` "sess:" must be/],
    ["externalKey without a store", { externalKey: { get: () => "", set: () => {} } }, /`externalKey` needs a `store`/],
    ["a ContextStore that is not a class of stores", { ContextStore: class {} }, /ContextStore.prototype.get/],
    ["maxAge that is not ms or 'session'", { maxAge: -5 }, /`maxAge` must be a positive number of milliseconds or "session"/],
    ["rolling with touchAfterSeconds", { rolling: true, touchAfterSeconds: 10 }, /give one of them/],
  ];
  for (const [title, options, message] of cases) {
    it(`${title}: INVALID_CONFIG`, () => {
      const error = configError(() => session({ secrets: [SECRET_A], ...(options as KoaSessionOptions) }));
      expect(error.code).toBe("INVALID_CONFIG");
      expect(error.message).toMatch(message);
    });
  }
});
