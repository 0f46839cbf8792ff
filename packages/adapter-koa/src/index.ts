/**
 * @tessera/adapter-koa — Tessera sessions for Koa 2 and 3, with koa-session's options, its
 * `ctx.session`, its stores and its cookies. Switch by changing the import:
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import session from "@tessera/adapter-koa";
 *
 * const app = new Koa();
 * app.keys = [process.env.SESSION_SECRET]; // at least 32 characters
 * app.use(session({ maxAge: 86_400_000 }, app));
 * app.use((ctx) => {
 *   ctx.session.views = (ctx.session.views ?? 0) + 1;
 *   ctx.body = `${ctx.session.views} views`;
 * });
 * ```
 * @module
 */
import { session } from "./middleware.js";

export type { SessionCallback, SessionCookieView, SessionView } from "@tessera/core";
export { isSessionError, memoryStore, SessionError, sealedCookieStore } from "@tessera/core";
export type { EarlySession } from "./early-session.js";
export type { KoaApp, KoaSession, SessionContext, SessionMiddleware } from "./middleware.js";
export type { ExternalKey, KoaSessionOptions, KoaSessionOptions as SessionOptions } from "./options.js";
export type { KoaSessionMembers } from "./session-view.js";
export {
  bridgeKoaStore,
  type ContextStoreClass,
  isKoaSessionStore,
  type KoaSessionStore,
  type KoaStoreBridgeOptions,
  type KoaStoreGetOptions,
} from "./store-bridge.js";
export { session };
export default session;
