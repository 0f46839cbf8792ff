/**
 * What express-session decides per request, in front of the middleware: a request outside
 * `cookie.path` gets no session; `cookie` may be a function of the request; `genid` is called
 * with the request. An app that uses none of them gets the middleware itself, with no wrapper.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import { memoryStore, type Store } from "@tessera/core";
import { configError } from "@tessera/core/internal";
import { bridgeStore, isExpressSessionStore } from "./compat/store-bridge.js";
import type { NextFunction, SessionMiddleware } from "./middleware.js";
import { checkExpressOptionNames, type ExpressCookieOptions, type SessionOptions } from "./options.js";

/** How many cookie configurations a `cookie(req)` function may give before the least used one is rebuilt. */
const MAX_COOKIE_CONFIGURATIONS = 32;

/** The path of the URL the request came in with (before Express's mounting strips a prefix), as express-session reads it. */
function originalPath(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? "/";
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  return path === "" ? "/" : path;
}

/** express-session's scope test: the request path starts with the cookie path (as a string). */
function inScope(req: IncomingMessage, cookiePath: string | undefined): boolean {
  return cookiePath === undefined || cookiePath === "/" || originalPath(req).startsWith(cookiePath);
}

/** A stable key for a cookie configuration (a Date by its time). */
function configurationKey(cookie: ExpressCookieOptions): string {
  const entries = Object.keys(cookie)
    .sort()
    .map((name) => [name, cookie[name as keyof ExpressCookieOptions]]);
  return JSON.stringify(entries);
}

/**
 * Builds the middleware for `options` with `create` (the middleware factory), adding the request
 * scope express-session has: path scoping, `cookie(req)` and `genid(req)`.
 */
export function scopeToRequest(options: SessionOptions, create: (options: SessionOptions) => SessionMiddleware): SessionMiddleware {
  checkExpressOptionNames(options);
  const { cookie, genid } = options;
  // genid(req) runs deep in the core (a new session, a regenerate), so the request travels with the async context.
  const requests = typeof genid === "function" ? new AsyncLocalStorage<IncomingMessage>() : undefined;
  const scoped: SessionOptions =
    requests === undefined ? options : { ...options, genid: () => genid?.(requests.getStore() as IncomingMessage) as string };

  if (typeof cookie !== "function") {
    const inner = create(scoped);
    const cookiePath = cookie?.path;
    if ((cookiePath === undefined || cookiePath === "/") && requests === undefined) return inner;
    const middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction): void => {
      if (!inScope(req, cookiePath)) next();
      else if (requests === undefined) inner(req, res, next);
      else requests.run(req, inner, req, res, next);
    };
    return Object.assign(middleware, { manager: inner.manager });
  }

  // One middleware per cookie configuration the function gives, all on one store.
  const store: Store = isExpressSessionStore(options.store)
    ? bridgeStore(options.store)
    : (options.store ?? memoryStore(options.now ? { now: options.now } : {}));
  const shared: SessionOptions = { ...scoped, store };
  const base = create({ ...shared, cookie: {} });
  const byConfiguration = new Map<string, SessionMiddleware>();
  const middlewareFor = (given: ExpressCookieOptions): SessionMiddleware => {
    const key = configurationKey(given);
    let inner = byConfiguration.get(key);
    if (inner === undefined) {
      inner = create({ ...shared, cookie: given });
      if (byConfiguration.size >= MAX_COOKIE_CONFIGURATIONS) byConfiguration.delete(byConfiguration.keys().next().value as string);
    } else byConfiguration.delete(key); // re-inserted below as the most recently used
    byConfiguration.set(key, inner);
    return inner;
  };
  /** The middleware for this request's cookie configuration; `null` when the request is outside its path. */
  const select = (req: IncomingMessage): SessionMiddleware | null => {
    const given = cookie(req);
    if (typeof given !== "object" || given === null)
      throw configError("`cookie(req)` must return an object of cookie attributes.", "express");
    return inScope(req, given.path) ? middlewareFor(given) : null;
  };
  const middleware = (req: IncomingMessage, res: ServerResponse, next: NextFunction): void => {
    let inner: SessionMiddleware | null;
    try {
      inner = select(req);
    } catch (error) {
      next(error);
      return;
    }
    if (inner === null) next();
    else if (requests === undefined) inner(req, res, next);
    else requests.run(req, inner, req, res, next);
  };
  return Object.assign(middleware, { manager: base.manager });
}
