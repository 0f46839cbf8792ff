/**
 * The `compression` middleware in front of and behind the session middleware, on Express 5,
 * Express 4 and plain node:http: the gzip body decompresses to what the app sent, the session
 * cookie is in the headers and the record is stored when the response arrives. Each test starts
 * with no hooks installed, so its first request is the one where compression (in front) wrapped
 * the response before the session middleware ever ran.
 */
import { request as httpRequest, type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import { gunzipSync } from "node:zlib";
import compression from "compression";
import express from "express";
import express4 from "express4";
import { beforeEach, describe, expect, it } from "vitest";
import { uninstallHooks } from "../src/class-hooks.js";
import { type NextFunction, session } from "../src/index.js";
import { fixture, SECRET, serve } from "./helpers.js";

type Store = ReturnType<typeof fixture>["store"];
type Middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
type Position = "in front of" | "behind";

/** Well above compression's 1 kB threshold. */
const PARTS = ["alpha ".repeat(400), "beta ".repeat(400), "gamma ".repeat(400)];
const BODY = PARTS.join("");

/** The app's handler: counts in the session, then sends the body in one piece or in three writes. */
function handle(req: IncomingMessage, res: ServerResponse, streamed: boolean): void {
  const data = (req as unknown as { session: { n?: number } }).session;
  data.n = (data.n ?? 0) + 1;
  res.setHeader("content-type", "text/plain");
  if (!streamed) {
    res.end(BODY);
    return;
  }
  res.write(PARTS[0]);
  res.write(PARTS[1]);
  setTimeout(() => res.end(PARTS[2]), 5);
}

function middlewares(position: Position, store: Store): Middleware[] {
  const sessions = session({ secret: SECRET, store }) as Middleware;
  const compress = compression() as unknown as Middleware;
  return position === "in front of" ? [compress, sessions] : [sessions, compress];
}

function expressApp(createApp: typeof express, position: Position, store: Store): RequestListener {
  const app = createApp();
  for (const middleware of middlewares(position, store)) app.use(middleware);
  app.get("/", (req, res) => handle(req, res, req.query.streamed === "1"));
  return app;
}

/** connect-style chaining on plain node:http. */
function plainApp(position: Position, store: Store): RequestListener {
  const chain = middlewares(position, store);
  return (req, res) => {
    const run = (index: number) => (error?: unknown) => {
      if (error) throw error;
      const middleware = chain[index];
      if (middleware === undefined) handle(req, res, (req.url ?? "").includes("streamed=1"));
      else middleware(req, res, run(index + 1));
    };
    run(0)();
  };
}

interface RawResponse {
  encoding: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** A request that asks for gzip and decompresses it itself (fetch would hide the encoding). */
function getGzip(url: string, cookie?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "accept-encoding": "gzip" };
    if (cookie !== undefined) headers.cookie = cookie;
    httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const raw = Buffer.concat(chunks);
        const encoding = response.headers["content-encoding"];
        const line = response.headers["set-cookie"]?.find((l) => l.startsWith("connect.sid="));
        resolve({ encoding, cookie: line?.split(";")[0], body: String(encoding === "gzip" ? gunzipSync(raw) : raw) });
      });
      response.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

const idOf = (cookie: string | undefined) => cookie?.split(".")[2] as string;

beforeEach(() => uninstallHooks());

const servers: Array<[string, (position: Position, store: Store) => RequestListener]> = [
  ["express 5", (position, store) => expressApp(express, position, store)],
  ["express 4", (position, store) => expressApp(express4 as typeof express, position, store)],
  ["node:http", plainApp],
];

describe.each(servers)("compression on %s", (_name, build) => {
  it.each<[Position, boolean]>([
    ["in front of", false],
    ["behind", false],
    ["in front of", true],
    ["behind", true],
  ])("compression %s the session (streamed: %s): gzip body intact, cookie set, record stored", async (position, streamed) => {
    const { store } = fixture();
    const app = await serve(build(position, store));
    const url = `${app.url}/?streamed=${streamed ? 1 : 0}`;
    // Two new sessions (the first before any hook existed), then a change to the first one.
    const stored = async (response: RawResponse) => (await store.memory.get(idOf(response.cookie)))?.data;
    const first = await getGzip(url);
    expect(await stored(first)).toEqual({ n: 1 });
    const second = await getGzip(url);
    expect(await stored(second)).toEqual({ n: 1 });
    const again = await getGzip(url, first.cookie);
    expect(await stored(first)).toEqual({ n: 2 });
    for (const response of [first, second, again]) {
      expect(response.encoding).toBe("gzip");
      expect(response.body).toBe(BODY);
    }
    expect(first.cookie).toMatch(/^connect\.sid=/);
    expect(second.cookie).toMatch(/^connect\.sid=/);
    expect(idOf(second.cookie)).not.toBe(idOf(first.cookie));
  });
});
