/**
 * @tessera/adapter-koa — Tessera sessions for Koa 2 and 3.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import { session } from "@tessera/adapter-koa";
 *
 * const app = new Koa().use(session<{ views: number }>({ secrets: [process.env.SESSION_SECRET] }));
 * app.use((ctx) => {
 *   ctx.session.views = (ctx.session.views ?? 0) + 1;
 *   ctx.body = `${ctx.session.views} views`;
 * });
 * ```
 * @module
 */
export type { SessionCallback, SessionCookieView, SessionManagerOptions as SessionOptions, SessionView } from "@tessera/core";
export { isSessionError, memoryStore, SessionError } from "@tessera/core";
export { type SessionContext, type SessionMiddleware, session } from "./middleware.js";
