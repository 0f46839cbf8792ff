/**
 * `testRaces(name, driver, redis)`: the two races of one browser's overlapping requests, over real
 * HTTP, on the memory store and on real Redis (node-redis and ioredis). The store is wrapped in a
 * {@link gatedStore}, so the test picks the interleaving: no sleeps.
 *
 * - Login race: request A's write is held while request B logs in; the browser, applying both
 *   responses in either order, must end logged in.
 * - Logout race: request A's `regenerate({ keepData: true })` is held at its destroy of the old
 *   record while request B logs out; no record may hold the user's data afterwards.
 */
import { memoryStore, type SessionRecord, type Store } from "@tessera/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, type Reply } from "./browser.js";
import type { RunningApp, SessionSnapshot } from "./contract.js";
import { isClearing } from "./cookie-jar.js";
import { gatedStore } from "./gated-store.js";
import { SECRET_A } from "./test-adapter.js";

/** Options the race app is started with. */
export interface RaceAppOptions {
  /** Signing secrets, current first (Express: `secret`). */
  readonly secrets: readonly string[];
  /** The store (gated by the test). */
  readonly store: Store;
}

/**
 * The routes the race app must answer, with the adapter's own API. `{ id, isNew, data }` is the
 * session's ID, whether it is new, and its data as a plain object. Values in the query are JSON.
 */
export const RACE_ROUTES = {
  "GET /session": "changes nothing; answers { id, isNew, data }",
  "POST /set?data=<json object>": "assigns every key of the object to the session; answers { id, isNew, data }",
  "POST /login?user=<json string>":
    "a login: `regenerate()` (starts empty), then the data key `user` and the session's `owner` set to the user; answers { id, isNew, data }",
  "POST /elevate": "`regenerate({ keepData: true })` (a privilege change that keeps the data); answers { id, isNew, data }",
  "POST /logout": "destroys the session (Koa: `ctx.session = null`); answers { destroyed: true }",
} as const;

/** Starts the app described by {@link RACE_ROUTES}. */
export interface RaceDriver {
  start(options: RaceAppOptions): Promise<RunningApp>;
}

/**
 * What the Redis runs need, passed in by the adapter's test so that packages resolve from the
 * adapter (its dev dependencies), not from this suite.
 */
export interface RaceRedisDeps {
  /** `startRedisServer` of `@tessera/test-redis`. */
  startRedisServer(): Promise<{ url: string; stop(): Promise<void> }>;
  /** `redisStore` of `@tessera/store-redis`. */
  redisStore(options: { client: never; prefix: string }): Store & { ids(): AsyncIterable<string> };
  /** `(name) => import(name)`, written in the adapter's test file. */
  importFromAdapter(name: string): Promise<unknown>;
  /** The adapter package's name, for the message of a skipped client. */
  readonly packageName: string;
}

/** How many times each race runs; the figure reported is "failures of RUNS". */
export const RACE_RUNS = 9;

/** A store the scenarios can list: a fresh, isolated one per run. */
type ListableStore = Store & { ids(): AsyncIterable<string> };

interface StoreKind {
  readonly name: string;
  /** Prepares the kind (a server, a client); returns why it cannot run, if it cannot. */
  open(): Promise<string | undefined>;
  /** A new store, empty and isolated from the other runs. */
  fresh(): ListableStore;
  close(): Promise<void>;
}

interface ConnectedClient {
  readonly client: unknown;
  close(): Promise<void>;
}

/** The two client libraries, each connected the way its README shows. */
const CLIENT_LIBRARIES: Record<string, (module: unknown, url: string) => Promise<ConnectedClient>> = {
  redis: async (module, url) => {
    const { createClient } = module as {
      createClient(options: { url: string }): {
        connect(): Promise<unknown>;
        quit(): Promise<unknown>;
        on(e: "error", f: () => void): void;
      };
    };
    const client = createClient({ url });
    client.on("error", () => {}); // node-redis throws on an unhandled `error` event; a failure shows in the test instead
    await client.connect();
    return { client, close: async () => void (await client.quit()) };
  },
  ioredis: async (module, url) => {
    type IORedisClient = { connect(): Promise<unknown>; quit(): Promise<unknown>; on(e: "error", f: () => void): void };
    const IORedis = (module as { default: new (url: string, options: { lazyConnect: boolean }) => IORedisClient }).default;
    const client = new IORedis(url, { lazyConnect: true });
    client.on("error", () => {});
    await client.connect();
    return { client, close: async () => void (await client.quit()) };
  },
};

function memoryKind(): StoreKind {
  return { name: "memory", open: async () => undefined, fresh: () => memoryStore(), close: async () => {} };
}

function redisKind(library: keyof typeof CLIENT_LIBRARIES, deps: RaceRedisDeps): StoreKind {
  let server: { url: string; stop(): Promise<void> } | undefined;
  let connected: ConnectedClient | undefined;
  let runs = 0;
  return {
    name: `Redis (${library === "redis" ? "node-redis" : library})`,
    async open() {
      let module: unknown;
      try {
        module = await deps.importFromAdapter(library);
      } catch {
        return `\`${library}\` does not resolve from ${deps.packageName}: pnpm add -D --filter ${deps.packageName} ${library}`;
      }
      server = await deps.startRedisServer();
      connected = await (CLIENT_LIBRARIES[library] as (typeof CLIENT_LIBRARIES)[string])(module, server.url);
      return undefined;
    },
    fresh() {
      if (connected === undefined) throw new Error("the Redis client is not connected");
      runs++;
      return deps.redisStore({ client: connected.client as never, prefix: `races-${runs}:` });
    },
    async close() {
      await connected?.close();
      await server?.stop();
    },
  };
}

/** A browser's cookie jar, fed with the responses in the order the test chooses. */
function receive(browser: Browser, reply: Reply<unknown>): void {
  if (reply.sessionLine !== undefined) browser.cookie = isClearing(reply.sessionLine) ? null : (reply.sessionLine.split(";")[0] as string);
}

/** Sends one request with `browser`'s cookie without letting the response change it. */
async function send<Body = SessionSnapshot>(app: RunningApp, browser: Browser, method: string, path: string): Promise<Reply<Body>> {
  const detached = new Browser(app);
  detached.cookie = browser.cookie;
  const reply = await detached.request<Body>(method, path);
  expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.body)}`).toBe(200);
  return reply;
}

/** Every record in the store, as its data. */
async function allData(store: ListableStore): Promise<Array<SessionRecord["data"]>> {
  const out: Array<SessionRecord["data"]> = [];
  for await (const id of store.ids()) {
    const record = await store.get(id);
    if (record !== null) out.push(record.data);
  }
  return out;
}

const json = (value: unknown) => encodeURIComponent(JSON.stringify(value));

/** Registers the login and logout races for one adapter, on memory and on real Redis with each client. */
export function testRaces(name: string, driver: RaceDriver, redis: RaceRedisDeps): void {
  const kinds = [memoryKind(), redisKind("redis", redis), redisKind("ioredis", redis)];
  for (const kind of kinds) {
    describe(`races over HTTP: ${name} on ${kind.name}`, () => {
      let unavailable: string | undefined;
      const running: RunningApp[] = [];
      beforeAll(async () => {
        unavailable = await kind.open();
      });
      afterAll(async () => {
        await Promise.all(running.splice(0).map((app) => app.close()));
        await kind.close();
      });

      /** A fresh gated store and an app on it. */
      const start = async () => {
        const inner = kind.fresh();
        const store = gatedStore(inner);
        const app = await driver.start({ secrets: [SECRET_A], store });
        running.push(app);
        return { inner, store, app, browser: new Browser(app) };
      };

      for (const arrival of ["A then B", "B then A"] as const) {
        it(`login race (responses reach the browser ${arrival}): no session cookie from the slow write, 0 of ${RACE_RUNS} browsers logged out`, async (context) => {
          if (unavailable !== undefined) context.skip(unavailable);
          let loggedOut = 0;
          let cookieLinesFromTheSlowWrite = 0;
          for (let run = 0; run < RACE_RUNS; run++) {
            const { store, app, browser } = await start();
            receive(browser, await send(app, browser, "POST", `/set?data=${json({ cart: ["tea"] })}`));
            expect(browser.cookie).not.toBeNull();

            // A: a slow request that writes; its store write is held on the way.
            const gate = store.hold("patch");
            const slow = send(app, browser, "POST", `/set?data=${json({ cart: ["tea", `cups-${run}`] })}`);
            await gate.reached;
            // B: the login, from the same browser, completes meanwhile.
            const login = await send(app, browser, "POST", `/login?user=${json("bob")}`);
            expect(login.body.data).toMatchObject({ user: "bob" });
            expect(login.sessionLine).toBeDefined();
            gate.open();
            const write = await slow;

            // A found its record moved away: its response must leave the browser's cookie alone (a
            // clearing line logs the browser out, a line for the old session undoes the login).
            if (write.sessionLine !== undefined) cookieLinesFromTheSlowWrite++;
            for (const reply of arrival === "A then B" ? [write, login] : [login, write]) receive(browser, reply);
            const after = await send(app, browser, "GET", "/session");
            if (after.body.isNew || after.body.data.user !== "bob") loggedOut++;
          }
          expect({ loggedOut, cookieLinesFromTheSlowWrite }, `of ${RACE_RUNS} runs`).toEqual({
            loggedOut: 0,
            cookieLinesFromTheSlowWrite: 0,
          });
        });
      }

      it(`logout race: a logout during regenerate({ keepData: true }) wins, 0 of ${RACE_RUNS} sessions resurrected`, async (context) => {
        if (unavailable !== undefined) context.skip(unavailable);
        let resurrected = 0;
        let cookieForTheMove = 0;
        for (let run = 0; run < RACE_RUNS; run++) {
          const { inner, store, app, browser } = await start();
          receive(browser, await send(app, browser, "POST", `/login?user=${json("bob")}`));
          receive(browser, await send(app, browser, "POST", `/set?data=${json({ role: "admin" })}`));
          expect(await allData(inner)).toEqual([{ user: "bob", role: "admin" }]);

          // A: moves the session keeping its data; its destroy of the old record is held.
          const gate = store.hold("destroy");
          const elevate = send(app, browser, "POST", "/elevate");
          await gate.reached;
          // B: the logout, from the same browser, completes meanwhile.
          const logout = await send(app, browser, "POST", "/logout");
          expect(logout.sessionLine !== undefined && isClearing(logout.sessionLine)).toBe(true);
          gate.open();
          const moved = await elevate;

          // A found the old record gone: it carries nothing over and issues no cookie for a moved session.
          if (moved.sessionLine !== undefined && !isClearing(moved.sessionLine)) cookieForTheMove++;
          const left = await allData(inner);
          if (left.some((data) => data.user === "bob" || data.role === "admin")) resurrected++;
        }
        expect({ resurrected, cookieForTheMove }, `of ${RACE_RUNS} runs`).toEqual({ resurrected: 0, cookieForTheMove: 0 });
      });
    });
  }
}
