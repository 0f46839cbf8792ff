/**
 * `req.sessionID`, which follows the session's ID (after `regenerate()` or `destroy()` too), as a
 * getter defined once on the request class instead of an accessor on every request: an own
 * accessor gives each request its own shape and costs Express ~30 µs a request. A request only
 * gets one data property, its session. Assigning `req.sessionID` still works (it becomes an own
 * value), so code that sets it, as express-session does, is unaffected.
 */
import type { IncomingMessage } from "node:http";
import type { Session } from "@tessera/core";
import { classPrototypeOf } from "./class-prototype.js";

/** The request's session (an own property); `undefined` on the class marks it as set up. */
const SESSION = Symbol("tessera.session");

type WithSession = IncomingMessage & { [SESSION]?: Session };

function defineSessionId(proto: object): void {
  Object.defineProperty(proto, SESSION, { value: undefined, writable: true });
  Object.defineProperty(proto, "sessionID", {
    configurable: true,
    enumerable: false,
    get(this: WithSession) {
      return this[SESSION]?.id;
    },
    set(this: WithSession, value: unknown) {
      Object.defineProperty(this, "sessionID", { value, writable: true, configurable: true, enumerable: true });
    },
  });
}

/** Makes `req.sessionID` read `session.id`. */
export function exposeSessionId(req: IncomingMessage, session: Session): void {
  if (!(SESSION in req)) defineSessionId(classPrototypeOf(req));
  (req as WithSession)[SESSION] = session;
}
