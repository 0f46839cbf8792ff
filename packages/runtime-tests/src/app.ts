/**
 * The Hono app the portable suite drives: one route that shows the session and one that applies
 * a list of session operations, mounted behind `@tessera/adapter-hono`'s `session()` middleware.
 */
import { session } from "@tessera/adapter-hono";
import { isSessionError, type Session, type SessionManagerOptions } from "@tessera/core";
import { Hono } from "hono";

export type Data = { user: string; counter: number; cart: string[]; a: number; b: number; blob: string; notice: string };

/** Operations a POST applies, in this order. */
export interface Command {
  /** Wait at a barrier shared by concurrent requests (after load, before the handler's changes). */
  hold?: boolean;
  destroy?: boolean;
  regenerate?: boolean | { keepData: boolean };
  set?: Partial<Data>;
  unset?: Array<keyof Data>;
  flash?: Record<string, string>;
  rememberMe?: boolean | number;
}

/** What both routes answer: the session as the handler saw it. */
export interface SessionView {
  id: string;
  isNew: boolean;
  persistent: boolean;
  data: Partial<Data>;
  /** The flash value read by `?flash=<key>` (`null` when there was none). */
  flash?: unknown;
}

type Env = { Variables: { session: Session<Data> } };

function view(s: Session<Data>): SessionView {
  return { id: s.id, isNew: s.isNew, persistent: s.isPersistent, data: s.toJSON() };
}

/** A barrier for `hold`: resolves once `parties` requests have arrived. */
export function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return () => {
    arrived++;
    if (arrived >= parties) release();
    return all;
  };
}

/** Builds the app. `hold` is the barrier that `{ hold: true }` commands wait at. */
export function sessionApp(options: SessionManagerOptions, hold: () => Promise<void> = async () => {}) {
  const app = new Hono<Env>();
  app.use(session<Data>(options));
  app.get("/", (c) => {
    const s = c.get("session");
    const key = c.req.query("flash");
    const flash = key === undefined ? undefined : (s.flash(key) ?? null);
    return c.json({ ...view(s), ...(key === undefined ? {} : { flash }) });
  });
  app.post("/", async (c) => {
    const command = await c.req.json<Command>();
    const s = c.get("session");
    if (command.hold) await hold();
    if (command.destroy) s.destroy();
    if (command.regenerate) s.regenerate(command.regenerate === true ? undefined : command.regenerate);
    for (const [key, value] of Object.entries(command.set ?? {})) s.set(key as keyof Data, value as never);
    for (const key of command.unset ?? []) s.unset(key);
    for (const [key, value] of Object.entries(command.flash ?? {})) s.flash(key, value);
    if (command.rememberMe !== undefined) s.rememberMe(command.rememberMe);
    return c.json(view(s));
  });
  app.onError((error, c) => {
    const cause = (error as { cause?: unknown }).cause;
    const sessionError = isSessionError(error) ? error : isSessionError(cause) ? cause : undefined;
    return c.json({ error: sessionError?.code ?? "OTHER", message: sessionError?.message ?? String(error) }, 500);
  });
  return app;
}
