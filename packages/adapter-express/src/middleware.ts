/**
 * `session(options)`: express-session's middleware, on the Tessera core. It translates the request
 * into the core's request port, exposes the session as `req.session` (an object view with
 * express-session's methods) and commits through a {@link ResponseHold} before the headers go out.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import {
  bindSession,
  createSessionManager,
  isForwardedHttps,
  type Session,
  type SessionBinding,
  type SessionManager,
  type SessionView,
} from "@tessera/core";
import { type ExpressSettings, resolveExpressOptions, type SessionOptions } from "./options.js";
import { ResponseHold } from "./response-hold.js";
import { exposeSessionId } from "./session-id.js";

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

/** A response's hold that commits `req.session`, honouring `unset`, and hands failures to `next`. */
class SessionHold extends ResponseHold {
  readonly view: RequestSession;
  readonly #request: SessionRequest;
  readonly #session: Session;
  readonly #manager: SessionManager;
  readonly #binding: SessionBinding;
  readonly #unset: ExpressSettings["unset"];
  readonly #next: NextFunction;
  #unsetApplied = false;

  constructor(
    res: ServerResponse,
    request: SessionRequest,
    session: Session,
    manager: SessionManager,
    settings: ExpressSettings,
    next: NextFunction,
  ) {
    super(res);
    this.#request = request;
    this.#session = session;
    this.#manager = manager;
    this.#binding = bindSession(manager, session, this);
    this.#unset = settings.unset;
    this.#next = next;
    this.view = this.#binding.view as RequestSession;
  }

  protected needsCommit(): boolean {
    // `req.session = null` (or `delete req.session`): drop the changes ("keep") or destroy, once.
    if (this.#request.session == null && !this.#unsetApplied) {
      if (this.#unset === "keep") return false;
      this.#unsetApplied = true;
      this.#session.destroy();
    }
    return this.#manager.needsCommit(this.#session);
  }

  protected commit(): Promise<void> {
    return this.#binding.commit();
  }

  protected fail(error: unknown): void {
    this.#next(error);
  }
}

/** Creates the middleware. Validates every option now: a mistake throws `INVALID_CONFIG` at startup. */
export function session(options: SessionOptions): SessionMiddleware {
  const settings = resolveExpressOptions(options);
  const manager = createSessionManager(settings.manager);

  function tesseraSession(req: IncomingMessage, res: ServerResponse, next: NextFunction): void {
    const request = req as SessionRequest;
    if (request.session !== undefined) {
      next(); // a session middleware already ran
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value[0] : value;
    };
    manager.load({ cookieHeader: req.headers.cookie ?? null, secure: isSecure(req, settings.proxy), header }).then((loaded) => {
      request.session = new SessionHold(res, request, loaded, manager, settings, next).view;
      exposeSessionId(request, loaded);
      next();
    }, next);
  }
  return Object.assign(tesseraSession, { manager });
}
