/**
 * The suite's app (see ROUTES in @tessera/adapter-test-suite), written with Express (4 or 5) and
 * with plain node:http, the way an app on each would be written.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { COOKIE_NAME, type SuiteAppOptions } from "@tessera/adapter-test-suite";
import type express from "express";
import type { ErrorRequestHandler, Express, Request } from "express";
import { type SessionOptions, type SessionRequest, session } from "../src/index.js";

export function sessionOptions(options: SuiteAppOptions, extra: Partial<SessionOptions> = {}): SessionOptions {
  return {
    secret: options.secrets,
    name: COOKIE_NAME, // the suite's cookie name, shared by every adapter
    store: options.store,
    now: options.now,
    idleTimeoutSeconds: options.idleTimeoutSeconds,
    absoluteTimeoutSeconds: options.absoluteTimeoutSeconds,
    rememberMeSeconds: options.rememberMeSeconds,
    ...extra,
  };
}

const snapshot = (req: IncomingMessage & { session: SessionRequest["session"] }) => ({
  id: req.session.id,
  isNew: req.session.isNew,
  data: req.session.toJSON(),
});
/** Untyped data access, as a JavaScript app would do it. */
const data = (req: { session: object }) => req.session as Record<string, unknown>;
const queryJson = (value: unknown) => JSON.parse(String(value)) as unknown;

/** Answers like the suite's error handler contract: the error's status and `{ error, code }`. */
export const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  res.status(error.status ?? 500).json({ error: error.name, code: error.code });
};

/** The suite app on Express; `createApp` is Express 4's or 5's factory. */
export function expressApp(createApp: typeof express, options: SuiteAppOptions, extra?: Partial<SessionOptions>): Express {
  const app = createApp();
  app.use(session(sessionOptions(options, extra)));
  app.get("/session", (req, res) => {
    res.json(snapshot(req));
  });
  app.post("/set", (req: Request, res) => {
    for (const [key, value] of Object.entries(queryJson(req.query.data) as object)) data(req)[key] = value;
    res.json(snapshot(req));
  });
  app.post("/regenerate", (req, res, next) => {
    req.session.regenerate((error) => {
      if (error) return next(error);
      for (const [key, value] of Object.entries(queryJson(req.query.data) as object)) data(req)[key] = value;
      res.json(snapshot(req));
    });
  });
  app.post("/destroy", (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.json({ destroyed: true })));
  });
  app.post("/remember", (req, res) => {
    req.session.cookie.maxAge = req.query.on === "true" ? options.rememberMeSeconds * 1000 : null;
    res.json(snapshot(req));
  });
  app.post("/flash", (req, res) => {
    req.session.flash("message", queryJson(req.query.message));
    res.json(snapshot(req));
  });
  app.get("/flash", (req, res) => {
    res.json({ message: req.session.flash("message") ?? null });
  });
  app.get("/other-cookies", (req, res) => {
    res.cookie("a", "1");
    res.append("Set-Cookie", "b=2; Path=/");
    data(req).visited = true;
    res.json(snapshot(req));
  });
  return app;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
}

/** The suite app as connect-style middleware on plain node:http, using the promise API. */
export function connectApp(options: SuiteAppOptions): RequestListener {
  const middleware = session(sessionOptions(options));
  const route = async (req: SessionRequest, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const query = (name: string) => queryJson(url.searchParams.get(name));
    switch (`${req.method} ${url.pathname}`) {
      case "GET /session":
        return sendJson(res, 200, snapshot(req));
      case "POST /set":
        for (const [key, value] of Object.entries(query("data") as object)) data(req)[key] = value;
        return sendJson(res, 200, snapshot(req));
      case "POST /regenerate":
        await req.session.regenerate();
        for (const [key, value] of Object.entries(query("data") as object)) data(req)[key] = value;
        return sendJson(res, 200, snapshot(req));
      case "POST /destroy":
        await req.session.destroy();
        return sendJson(res, 200, { destroyed: true });
      case "POST /remember":
        req.session.cookie.maxAge = query("on") === true ? options.rememberMeSeconds * 1000 : null;
        return sendJson(res, 200, snapshot(req));
      case "POST /flash":
        req.session.flash("message", query("message"));
        return sendJson(res, 200, snapshot(req));
      case "GET /flash":
        return sendJson(res, 200, { message: req.session.flash("message") ?? null });
      case "GET /other-cookies":
        res.setHeader("Set-Cookie", ["a=1; Path=/", "b=2; Path=/"]);
        data(req).visited = true;
        return sendJson(res, 200, snapshot(req));
      default:
        return sendJson(res, 404, { error: "not found" });
    }
  };
  return (req, res) => {
    // connect's `next`: the middleware calls it once to continue, and again with an error if the
    // commit fails before the response went out.
    const next = (error?: unknown) => {
      if (error === undefined) {
        route(req as SessionRequest, res).catch(next);
        return;
      }
      const { status = 500, name, code } = error as { status?: number; name?: string; code?: string };
      sendJson(res, status, { error: name, code });
    };
    middleware(req, res, next);
  };
}
