/**
 * `ctx.sessionOptions`, as koa-session has it: the options, per request. `maxAge` is live (setting
 * it changes this request's session lifetime, as `ctx.session.maxAge` does); the other options are
 * the app's and read-only, since Tessera sets the same cookie attributes for every request.
 */
import { type Session, SessionError } from "@tessera/core";
import { formatMessage } from "@tessera/core/internal";
import { maxAgeOf, setMaxAge } from "./session-view.js";

/** The prototype every request's `ctx.sessionOptions` inherits: the options, read-only. */
export function sessionOptionsPrototype(options: Readonly<Record<string, unknown>>): object {
  const prototype = {};
  for (const [name, value] of Object.entries(options)) {
    Object.defineProperty(prototype, name, {
      enumerable: true,
      get: () => value,
      set() {
        throw new SessionError(
          "INVALID_ARGUMENT",
          formatMessage("koa", `ctx.sessionOptions.${name} cannot be changed per request (only maxAge can); set it in session(options).`),
        );
      },
    });
  }
  return Object.freeze(prototype);
}

/** `ctx.sessionOptions` of one request (`session` is `undefined` before the middleware has run). */
export function sessionOptionsView(prototype: object, session: Session | undefined): Record<string, unknown> {
  if (session === undefined) return prototype as Record<string, unknown>;
  return Object.create(prototype, {
    maxAge: {
      enumerable: true,
      get: () => maxAgeOf(session),
      set: (value: unknown) => setMaxAge(session, value),
    },
  }) as Record<string, unknown>;
}
