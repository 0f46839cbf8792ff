/**
 * @tessera/adapter-hono — Tessera sessions for Hono, on any runtime.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { session, type SessionEnv } from "@tessera/adapter-hono";
 *
 * type Data = { views: number };
 * const app = new Hono<SessionEnv<Data>>();
 * app.use(session<Data>({ secrets: [env.SESSION_SECRET] }));
 * app.get("/", (c) => {
 *   const s = c.get("session");
 *   s.set("views", (s.get("views") ?? 0) + 1);
 *   return c.text(`${s.get("views")} views`);
 * });
 * ```
 * @module
 */
export type { Session, SessionData } from "@tessera/core";
export { isSessionError, memoryStore, SessionError } from "@tessera/core";
export { type SessionEnv, type SessionMiddleware, type SessionOptions, session } from "./middleware.js";
