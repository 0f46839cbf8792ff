/**
 * @tessera/adapter-express — Tessera sessions for Express 4 and 5 and connect-style servers, with
 * express-session's options and `req.session` API. Switch by changing the import:
 *
 * @example
 * ```ts
 * import { session } from "@tessera/adapter-express";
 * app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true } }));
 * app.get("/", (req, res) => {
 *   req.session.views = (req.session.views ?? 0) + 1;
 *   res.send(`${req.session.views} views`);
 * });
 * ```
 * @module
 */
import type { RequestSession } from "./middleware.js";

export type { SessionCallback, SessionCookieView, SessionView } from "@tessera/core";
export { isSessionError, memoryStore, SessionError } from "@tessera/core";
export {
  type NextFunction,
  type RequestSession,
  type SessionData,
  type SessionMiddleware,
  type SessionRequest,
  session,
} from "./middleware.js";
export type { ExpressCookieOptions, SessionOptions } from "./options.js";

declare global {
  // Express's Request gets the same members as with express-session.
  namespace Express {
    interface Request {
      session: RequestSession;
      readonly sessionID: string;
    }
  }
}
