/**
 * A Cloudflare Worker with Tessera sessions: Hono, `@tessera/adapter-hono`, and sessions kept in
 * Workers KV through `@tessera/store-unstorage` and unstorage's `cloudflare-kv-binding` driver.
 *
 * Routes (JSON in, JSON out). Every POST needs the token from `GET /csrf` in the `x-csrf-token`
 * header (the `csrf` option): a cross-site page cannot set that header without CORS, so a
 * `text/plain` form posting JSON-looking bytes from another site is refused (403).
 * - `GET /`        who is logged in, their cart, and a one-time notice (flash)
 * - `GET /csrf`    `{ "token" }` for the `x-csrf-token` header (fetch it again after login and logout)
 * - `POST /login`  `{ "user": "ann", "remember": true }`: new session ID, owner, remember-me
 * - `POST /cart`   `{ "item": "tea" }`: adds an item
 * - `POST /logout` ends the session (its KV entry is deleted and the cookie cleared)
 */

import { env } from "cloudflare:workers";
import { type SessionEnv, session } from "@tessera/adapter-hono";
import { unstorageStore } from "@tessera/store-unstorage";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { createStorage } from "unstorage";
import cloudflareKVBindingDriver from "unstorage/drivers/cloudflare-kv-binding";

declare global {
  namespace Cloudflare {
    /** The Worker's bindings (see wrangler.toml). */
    interface Env {
      /** The KV namespace that holds the sessions. */
      SESSIONS: KVNamespace;
      /** Comma-separated signing secrets, current first (`wrangler secret put SESSION_SECRET`). */
      SESSION_SECRET: string;
    }
  }
}

type Data = { user: string; cart: string[] };

const app = new Hono<SessionEnv<Data>>();

// `env` from "cloudflare:workers" gives the bindings at module scope, so the middleware (and its
// prepared keys) is built once per isolate. Nothing here does I/O, which global scope forbids.
app.use(
  session<Data>({
    secrets: env.SESSION_SECRET.split(",").map((secret) => secret.trim()),
    store: unstorageStore(createStorage({ driver: cloudflareKVBindingDriver({ binding: env.SESSIONS }) }), { prefix: "tessera" }),
    // KV takes about one write per second per key: a read-only request refreshes the session's
    // expiry only once a quarter of the idle window has passed (the default touch throttle).
    idleTimeoutSeconds: 60 * 60 * 24,
    // The JSON POSTs below read any body as JSON: without this, another site's `text/plain` form
    // could post them. The page's script sends `GET /csrf`'s token in the `x-csrf-token` header.
    csrf: true,
  }),
);

app.onError((error, c) => {
  const code = error instanceof HTTPException ? (error.cause as { code?: string } | undefined)?.code : undefined;
  return c.json({ error: code ?? error.name }, error instanceof HTTPException ? error.status : 500);
});

app.get("/csrf", (c) => c.json({ token: c.get("session").csrfToken() }));

app.get("/", (c) => {
  const s = c.get("session");
  return c.json({ user: s.get("user") ?? null, cart: s.get("cart") ?? [], notice: s.flash<string>("notice") ?? null });
});

app.post("/login", async (c) => {
  const { user, remember } = await c.req.json<{ user?: unknown; remember?: unknown }>();
  if (typeof user !== "string" || user.length === 0 || user.length > 64) return c.json({ error: "user must be 1-64 characters" }, 400);
  const s = c.get("session");
  // A new, empty session at every privilege change; the anonymous cart is carried over on purpose.
  const cart = s.get("cart");
  s.regenerate().set("cart", cart);
  s.set("user", user);
  s.owner = user;
  s.rememberMe(remember === true);
  s.flash("notice", `Welcome, ${user}`);
  return c.json({ user });
});

app.post("/cart", async (c) => {
  const { item } = await c.req.json<{ item?: unknown }>();
  if (typeof item !== "string" || item.length === 0) return c.json({ error: "item must be a non-empty string" }, 400);
  const s = c.get("session");
  const cart = [...(s.get("cart") ?? []), item];
  s.set("cart", cart);
  return c.json({ cart });
});

app.post("/logout", (c) => {
  const s = c.get("session");
  s.destroy();
  return c.json({ user: null });
});

export default app;
