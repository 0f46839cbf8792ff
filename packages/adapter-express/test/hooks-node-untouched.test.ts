/**
 * The hooks stay on Express's own prototypes: Node's request and response classes, and therefore
 * every other server in the process, are never changed, before or after session requests ran.
 */
import { IncomingMessage, OutgoingMessage, type RequestListener, ServerResponse } from "node:http";
import express from "express";
import express4 from "express4";
import { beforeAll, describe, expect, it } from "vitest";
import { uninstallHooks } from "../src/class-hooks.js";
import { session } from "../src/index.js";
import { fixture, SECRET, serve, sessionCookie } from "./helpers.js";

const NODE_PROTOTYPES = {
  IncomingMessage: IncomingMessage.prototype,
  ServerResponse: ServerResponse.prototype,
  OutgoingMessage: OutgoingMessage.prototype,
};
const HOOKED = ["writeHead", "write", "end", "flushHeaders", "setHeader", "appendHeader", "removeHeader", "headersSent"] as const;

/** Every own property of Node's prototypes, as descriptors (functions compared by identity). */
function nodeSnapshot() {
  return Object.entries(NODE_PROTOTYPES).map(([name, proto]) => ({
    name,
    properties: Reflect.ownKeys(proto).map((key) => [key, Object.getOwnPropertyDescriptor(proto, key)] as const),
  }));
}

/** The method or accessor a plain `res` resolves `name` to, found through its prototype chain. */
function resolved(object: object, name: string): unknown {
  for (let p: object | null = object; p !== null; p = Object.getPrototypeOf(p)) {
    const descriptor = Object.getOwnPropertyDescriptor(p, name);
    if (descriptor !== undefined) return descriptor.get ?? descriptor.value;
  }
  return undefined;
}

const before = nodeSnapshot();
/** What Node's own classes give a response, taken before any session request ran in this file. */
const nodeOwn = Object.fromEntries(HOOKED.map((name) => [name, resolved(ServerResponse.prototype, name)]));

/** A plain node:http server that reports what its request and response look like. */
const inspectingServer: RequestListener = (req, res) => {
  const report = {
    sessionIDInRequest: "sessionID" in req,
    ownKeys: [...Reflect.ownKeys(req), ...Reflect.ownKeys(res)]
      .filter((key) => HOOKED.includes(key as never) || key === "sessionID" || String(key).includes("tessera"))
      .map(String),
    nodeOwnMethods: HOOKED.every((name) => resolved(res, name) === nodeOwn[name]),
    requestPrototype: Object.getPrototypeOf(req) === IncomingMessage.prototype,
    responsePrototype: Object.getPrototypeOf(res) === ServerResponse.prototype,
  };
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(report));
};

async function writeAndRead(app: {
  fetch: (path: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<Response>;
}) {
  const created = await app.fetch("/write", { method: "POST" });
  const cookie = sessionCookie(created);
  expect(cookie, "the session app sets its cookie").toBeDefined();
  const read = await app.fetch("/read", { headers: { cookie: cookie as string } });
  expect(await read.json()).toEqual({ n: 1 });
}

function expressSessionApp(createApp: typeof express) {
  const app = createApp();
  app.use(session({ secret: SECRET, store: fixture().store }));
  app.post("/write", (req, res) => {
    (req.session as { n?: number }).n = 1;
    res.send("ok");
  });
  app.get("/read", (req, res) => {
    res.json({ n: (req.session as { n?: number }).n });
  });
  return app;
}

function plainSessionServer(): RequestListener {
  const sessions = session({ secret: SECRET, store: fixture().store });
  return (req, res) =>
    sessions(req, res, (error) => {
      if (error) throw error;
      const data = (req as unknown as { session: { n?: number } }).session;
      if (req.method === "POST") data.n = 1;
      res.end(req.method === "POST" ? "ok" : JSON.stringify({ n: data.n }));
    });
}

const noTesseraKey = (properties: ReadonlyArray<readonly [PropertyKey, unknown]>) =>
  properties.filter(([key]) => String(key).includes("tessera")).map(([key]) => String(key));

describe("a plain node:http server in the same process is untouched", () => {
  beforeAll(() => uninstallHooks());

  it("before and after Express 5, Express 4 and plain node:http session requests", async () => {
    const plain = await serve(inspectingServer);
    const untouched = {
      sessionIDInRequest: false,
      ownKeys: [],
      nodeOwnMethods: true,
      requestPrototype: true,
      responsePrototype: true,
    };
    expect(await (await plain.fetch("/")).json()).toEqual(untouched);

    await writeAndRead(await serve(expressSessionApp(express)));
    await writeAndRead(await serve(expressSessionApp(express4)));
    await writeAndRead(await serve(plainSessionServer()));

    expect(await (await plain.fetch("/")).json()).toEqual(untouched);
    const after = nodeSnapshot();
    expect(after).toEqual(before);
    for (const { name, properties } of after) expect(noTesseraKey(properties), name).toEqual([]);
  });

  it("a plain node:http session server hooks only its own request and response", async () => {
    const seen: Array<{ ownSessionID: boolean; ownEnd: boolean; sessionID: unknown; classEnd: boolean }> = [];
    const sessions = session({ secret: SECRET, store: fixture().store });
    const app = await serve((req, res) =>
      sessions(req, res, () => {
        (req as unknown as { session: { n?: number } }).session.n = 1;
        seen.push({
          ownSessionID: Object.hasOwn(req, "sessionID"),
          ownEnd: Object.hasOwn(res, "end"),
          sessionID: (req as unknown as { sessionID: unknown }).sessionID,
          classEnd: ServerResponse.prototype.end === nodeOwn.end,
        });
        res.end("ok");
      }),
    );
    const response = await app.fetch("/");
    expect(await response.text()).toBe("ok");
    const [entry] = seen;
    expect(entry).toMatchObject({ ownSessionID: true, ownEnd: true, classEnd: true });
    expect(sessionCookie(response)).toContain(`.${String(entry?.sessionID)}.`);
  });
});

describe("the hooks sit on Express's shared prototypes, and uninstallHooks() removes them", () => {
  it.each([
    ["express 5", express],
    ["express 4", express4 as typeof express],
  ])("%s: on express.response / express.request, not on app.response, and gone after uninstallHooks()", async (_name, createApp) => {
    uninstallHooks();
    const ownDescriptors = (target: object) => Object.getOwnPropertyDescriptors(target);
    const pristine = { response: ownDescriptors(createApp.response), request: ownDescriptors(createApp.request) };
    expect(HOOKED.some((name) => Object.hasOwn(createApp.response, name))).toBe(false);

    const app = expressSessionApp(createApp);
    await writeAndRead(await serve(app));
    for (const name of HOOKED) expect(Object.hasOwn(createApp.response, name), name).toBe(true);
    expect(Object.hasOwn(createApp.request, "sessionID")).toBe(true);
    expect(HOOKED.some((name) => Object.hasOwn(app.response, name))).toBe(false);
    expect(Object.hasOwn(app.request, "sessionID")).toBe(false);

    uninstallHooks();
    expect(ownDescriptors(createApp.response)).toEqual(pristine.response);
    expect(ownDescriptors(createApp.request)).toEqual(pristine.request);
    expect(Object.getOwnPropertySymbols(createApp.response)).toEqual([]);
    expect("sessionID" in createApp.request).toBe(false);

    // The next session request installs them again.
    await writeAndRead(await serve(app));
    expect(Object.hasOwn(createApp.response, "end")).toBe(true);
  });
});
