/**
 * `ctx.session` before the session middleware has run for a request: as with koa-session, it is
 * already a session object, so a test can build a context (`app.createContext(req, res)`) and set
 * `ctx.session = { user: "ann" }` or `ctx.session.user = "ann"` (mocking), and an earlier
 * middleware can do the same. Nothing is loaded yet: when the middleware runs, what was set here
 * is applied to the loaded session (an assigned object replaces its data, `null` ends it).
 */
import { SessionError } from "@tessera/core";
import { formatMessage } from "@tessera/core/internal";

/** Marks that the whole session was assigned (`ctx.session = {...}` or `null`), not just keys. */
const REPLACED = Symbol("tessera.replaced");
const DESTROYED = Symbol("tessera.destroyed");
const MAX_AGE = Symbol("tessera.maxAge");

/** A session object of data keys, with koa-session's members on its prototype. */
export class EarlySession {
  [REPLACED] = false;
  [DESTROYED] = false;
  [MAX_AGE]: number | "session" | undefined;

  /** `data`: what `ctx.session = data` assigned; `null`: `ctx.session = null`. */
  static assigned(data: object | null): EarlySession {
    const early = new EarlySession();
    early[REPLACED] = true;
    if (data === null) early[DESTROYED] = true;
    else Object.assign(early, data);
    return early;
  }

  /** Always true: nothing is stored before the middleware has run. */
  get isNew(): boolean {
    return true;
  }

  get maxAge(): number | "session" | undefined {
    return this[MAX_AGE];
  }

  set maxAge(value: number | "session" | undefined) {
    this[MAX_AGE] = value;
  }

  get length(): number {
    return Object.keys(this).length;
  }

  get populated(): boolean {
    return this.length > 0;
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this));
  }

  inspect(): Record<string, unknown> {
    return this.toJSON();
  }

  /** Resolves at once: what was set is saved when the middleware runs. */
  save(): Promise<void> {
    return Promise.resolve();
  }

  /** Resolves at once: what was set is committed by the middleware. */
  manuallyCommit(): Promise<void> {
    return Promise.resolve();
  }

  /** What the middleware applies to the loaded session. */
  static changes(early: EarlySession): {
    replaced: boolean;
    destroyed: boolean;
    maxAge: number | "session" | undefined;
    data: Record<string, unknown>;
  } {
    return { replaced: early[REPLACED], destroyed: early[DESTROYED], maxAge: early[MAX_AGE], data: early.toJSON() };
  }
}

/** The early session for `value` assigned to `ctx.session`; throws for what koa-session refuses too. */
export function assignedEarly(value: unknown): EarlySession {
  if (value === null || value === undefined) return EarlySession.assigned(null);
  if (typeof value === "object") return value instanceof EarlySession ? value : EarlySession.assigned(value);
  throw new SessionError("INVALID_ARGUMENT", formatMessage("koa", "ctx.session takes null (destroy) or an object of data."));
}
