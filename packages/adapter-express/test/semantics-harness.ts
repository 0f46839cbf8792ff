/**
 * One Express app, run on the real express-session or on Tessera with the same options and the same
 * store (express-session's MemoryStore, through the bridge for Tessera), so each semantics test can
 * check that both behave alike, or differ exactly as the deliberate-differences table says.
 */
import { createRequire } from "node:module";
import express, { type ErrorRequestHandler, type Express, type Request, type RequestHandler } from "express";
import { type SessionOptions, session } from "../src/index.js";
import { SECRET, serve } from "./helpers.js";

type Callback = (error?: unknown, value?: unknown) => void;
/** The part of express-session's MemoryStore used here. */
interface LegacyMemoryStore {
  emit(event: "connect" | "disconnect"): boolean;
  get(sid: string, callback: Callback): void;
  set(sid: string, record: object, callback?: Callback): void;
  touch(sid: string, record: object, callback?: Callback): void;
  destroy(sid: string, callback?: Callback): void;
}
/**
 * express-session, loaded without its types: @types/express-session would give `req.session` its
 * own type in this whole program (see tsconfig.test.json).
 */
interface ExpressSessionModule {
  (options: object): RequestHandler;
  MemoryStore: new () => LegacyMemoryStore;
}
const expressSession = createRequire(import.meta.url)("express-session") as ExpressSessionModule;

export const IMPLEMENTATIONS = ["express-session", "tessera"] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/** The cookie name every app uses (express-session's and Tessera's defaults differ). */
export const NAME = "sid";

/** A request arriving over HTTPS at the proxy (both apps trust it). */
export const HTTPS = { "x-forwarded-proto": "https" };

/** express-session's MemoryStore, counting the calls it gets. */
export class CountingMemoryStore extends expressSession.MemoryStore {
  readonly calls: string[] = [];

  override get(sid: string, callback: Callback): void {
    this.calls.push("get");
    super.get(sid, callback);
  }

  override set(sid: string, record: object, callback?: Callback): void {
    this.calls.push("set");
    super.set(sid, record, callback);
  }

  override touch(sid: string, record: object, callback?: Callback): void {
    this.calls.push("touch");
    super.touch(sid, record, callback);
  }

  override destroy(sid: string, callback?: Callback): void {
    this.calls.push("destroy");
    super.destroy(sid, callback);
  }

  /** The stored records, by session ID. */
  records(): Record<string, { [key: string]: unknown; cookie: Record<string, unknown> }> {
    const raw = (this as unknown as { sessions: Record<string, string> }).sessions;
    return Object.fromEntries(Object.entries(raw).map(([id, json]) => [id, JSON.parse(json)]));
  }

  writes(): string[] {
    return this.calls.filter((call) => call !== "get");
  }
}

export type AnyOptions = Partial<SessionOptions> & Record<string, unknown>;

/** Untyped session data, as a JavaScript app would use it. */
export const data = (req: Request) => req.session as unknown as Record<string, unknown>;

/**
 * Starts the app on `implementation`. Routes: `GET /read` (the session as JSON, or `null` without
 * one), `POST /write?n=...` (sets `n`), and whatever `routes` adds.
 */
export async function start(implementation: Implementation, options: AnyOptions = {}, routes?: (app: Express) => void) {
  const store = new CountingMemoryStore();
  const app = express();
  app.set("trust proxy", true);
  const given = { secret: SECRET, name: NAME, resave: false, saveUninitialized: false, store, ...options };
  app.use(implementation === "express-session" ? expressSession(given) : session(given as unknown as SessionOptions));
  app.get(/\/read$/, (req, res) => {
    res.json(req.session ? { id: req.session.id, sessionID: req.sessionID, n: data(req).n ?? null } : null);
  });
  app.post(/\/write$/, (req, res) => {
    data(req).n = Number(req.query.n ?? 1);
    res.json({ id: req.session.id });
  });
  routes?.(app);
  app.use(((error, _req, res, _next) => {
    res.status(500).json({ code: error.code ?? null, message: String(error.message) });
  }) as ErrorRequestHandler);
  return { server: await serve(app), store };
}

/** The `Set-Cookie` line for the session cookie, if the response has one. */
export function cookieLine(response: Response, name = NAME): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The `name=value` pair of the session cookie, to send back. */
export function cookiePair(response: Response, name = NAME): string {
  const line = cookieLine(response, name);
  if (line === undefined) throw new Error(`no ${name} cookie in the response`);
  return line.split(";")[0] as string;
}
