/**
 * `session(options)`: express-session's middleware, on the Tessera core. It translates the request
 * into the core's request port, exposes the session as `req.session` (an object view with
 * express-session's methods) and commits through a {@link SessionHold} before the headers go out.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { createSessionManager, csrfPolicy, type SessionManager, type SessionView } from "@tessera/core";
import { isForwardedHttps } from "@tessera/core/internal";
import { verifyCsrf } from "./csrf.js";
import { resolveExpressOptions, type SessionOptions } from "./options.js";
import { SessionHold } from "./response-hold.js";

/**
 * The session's data, declared by interface merging as with express-session:
 * `declare module "@tessera/adapter-express" { interface SessionData { userId: string } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: apps add their keys by declaration merging.
export interface SessionData {}

/** `req.session`: the data as properties, plus `id`, `cookie`, `regenerate`, `destroy`, `reload`, `save`, `touch`, ... */
export type RequestSession = SessionView<SessionData>;

/** A request that went through the middleware (for apps on `http.createServer`). */
export interface SessionRequest extends IncomingMessage {
  /** The session. Set it to `null` (or delete it) to drop it, see the `unset` option. */
  session: RequestSession;
  /** The session ID, as in express-session. */
  readonly sessionID: string;
}

/** Express's and connect's `next`. */
export type NextFunction = (error?: unknown) => void;

/** The middleware, with the session manager it uses (for `listSessions`, `revokeSessions`, ...). */
export interface SessionMiddleware {
  (req: IncomingMessage, res: ServerResponse, next: NextFunction): void;
  readonly manager: SessionManager;
}

/** HTTPS as express-session decides it: the socket, else the proxy setting. */
function isSecure(req: IncomingMessage, proxy: boolean | undefined): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (proxy === false) return false;
  if (proxy === true) return isForwardedHttps(req.headers["x-forwarded-proto"]);
  return (req as { secure?: unknown }).secure === true;
}

/** Creates the middleware. Validates every option now: a mistake throws `INVALID_CONFIG` at startup. */
export function session(options: SessionOptions): SessionMiddleware {
  const { csrf = false, ...sessionOptions } = options;
  const csrfChecks = csrf === false ? undefined : csrfPolicy(csrf, "express");
  const settings = resolveExpressOptions(sessionOptions);
  const manager = createSessionManager(settings.manager);

  function tesseraSession(req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
    const request = req as SessionRequest;
    if (request.session !== undefined) {
      next(); // a session middleware already ran
      return;
    }
    if (settings.bridge?.ready === false) {
      next(); // the store reported `disconnect`: no session, as express-session does
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    const secure = isSecure(req, settings.proxy);
    manager.load({ cookieHeader: req.headers.cookie ?? null, secure, header }).then((loaded) => {
      request.session = new SessionHold(req, res, manager, loaded, settings.unset, next).view as RequestSession;
      if (csrfChecks === undefined) next();
      else verifyCsrf(req, loaded, csrfChecks, secure).then(() => next(), next);
    }, next);
  }
  return Object.assign(tesseraSession, { manager });
}
