/**
 * koa-session's cookies, read once so its users stay logged in at the switch: `<key>` holds the
 * session (base64 JSON, or through a custom `decode`) or, with a store, its external key;
 * `<key>.sig` signs `<key>=<value>` with the app's keys. The signature is checked by Koa's own
 * `ctx.cookies.get(key, { signed: true })`, the very code koa-session relies on (keygrip over
 * `app.keys`, any key of the list).
 */
import type { KoaSessionStore } from "./store-bridge.js";

/** A session koa-session issued, as read from its cookie or its store. */
export interface LegacySession {
  /** The data, without koa-session's bookkeeping keys. */
  readonly data: Record<string, unknown>;
  /** The session's own lifetime (`_maxAge`, or `"session"` for `_session`), or `undefined`. */
  readonly maxAge: number | "session" | undefined;
  /** The key of its record in the koa-session store, to remove once the session has moved. */
  readonly externalKey: string | undefined;
}

/** The Koa context members read here. */
export interface LegacyContext {
  readonly app: { keys?: unknown };
  readonly cookies: { get(name: string, options?: { signed?: boolean }): string | undefined };
}

/** What reading a legacy session needs. */
export interface LegacySource {
  /** The cookie name (koa-session's `key`). */
  readonly key: string;
  /** koa-session's store (for the external-key form), or `undefined` for the cookie form. */
  readonly store: KoaSessionStore | undefined;
  readonly decode: ((value: string) => unknown) | undefined;
  /** The options koa-session's store receives. */
  readonly maxAge: number | "session" | undefined;
  readonly rolling: boolean;
}

const BOOKKEEPING = new Set(["_expire", "_maxAge", "_session"]);

/** koa-session's default encoding: base64 of the JSON. */
function decodeBase64Json(value: string): unknown {
  return JSON.parse(Buffer.from(value, "base64").toString("utf8"));
}

/** The `Cookie` header marker of a koa-session cookie: Tessera never sets `<key>.sig`. */
export function legacyMarker(key: string): string {
  return `${key}.sig=`;
}

/**
 * The session a verified koa-session cookie carries, or `null` (no keys, a bad signature, an
 * undecodable value, a record gone from the store, or expired by its `_expire`).
 */
export async function readLegacySession(ctx: LegacyContext, source: LegacySource, now: number): Promise<LegacySession | null> {
  if (ctx.app.keys === undefined || ctx.app.keys === null) return null;
  const value = ctx.cookies.get(source.key, { signed: true });
  if (!value) return null;
  let stored: unknown;
  if (source.store !== undefined) {
    stored = await source.store.get(value, source.maxAge, { rolling: source.rolling, ctx });
  } else {
    try {
      stored = (source.decode ?? decodeBase64Json)(value);
    } catch {
      return null;
    }
  }
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) return null;
  const raw = stored as Record<string, unknown>;
  if (typeof raw._expire === "number" && raw._expire < now) return null;
  const data: Record<string, unknown> = {};
  for (const name of Object.keys(raw)) {
    if (!BOOKKEEPING.has(name))
      Object.defineProperty(data, name, { value: raw[name], enumerable: true, writable: true, configurable: true });
  }
  const maxAge = typeof raw._maxAge === "number" && raw._maxAge > 0 ? raw._maxAge : raw._session === true ? "session" : undefined;
  return { data, maxAge, externalKey: source.store === undefined ? undefined : value };
}
