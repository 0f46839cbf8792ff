/**
 * `ctx.session` as koa-session shows it: the core's session view (data keys as properties,
 * `regenerate`, `destroy`, `reload`, `flash`, ...) plus koa-session's members `maxAge` (the
 * session's own lifetime: never a data key), `length`, `populated`, `inspect()`,
 * `manuallyCommit()`, `externalKey`, and a `save()` that saves even an unchanged session.
 */
import { type Session, SessionError, type SessionView } from "@tessera/core";
import { formatMessage } from "@tessera/core/internal";

/** What the Koa members need from the request. */
export interface KoaViewSource {
  readonly session: Session;
  /** The core's view the Koa members wrap. */
  readonly coreView: SessionView;
  /** Whether sessions live in a store (koa-session's `externalKey` exists only then). */
  readonly hasStore: boolean;
  /** The request's commit (hooks included). */
  commit(): Promise<void>;
}

/** koa-session's members of `ctx.session`, as typed for the app. */
export interface KoaSessionMembers {
  /**
   * The session's own lifetime in ms (a persistent cookie), or `"session"` (a browser-session
   * cookie). Setting it changes this session's cookie and idle window; it is never stored as data.
   */
  maxAge: number | "session";
  /** How many data keys the session holds. */
  readonly length: number;
  /** Whether the session holds any data. */
  readonly populated: boolean;
  /** The session's store key (its ID), only with a store; `undefined` for a cookie session. */
  readonly externalKey: string | undefined;
  /** The data, as koa-session's `inspect()` gives it. */
  inspect(): Record<string, unknown>;
  /** Commits now (with `autoCommit: false`, the app's only commit). */
  manuallyCommit(): Promise<void>;
}

const MEMBERS: ReadonlySet<string> = new Set(["maxAge", "length", "populated", "externalKey", "inspect", "manuallyCommit", "save"]);

/** Node's `util.inspect` hook, by its registry name. */
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function invalid(message: string): SessionError {
  return new SessionError("INVALID_ARGUMENT", formatMessage("koa", message));
}

/** The session's lifetime as koa-session reports it. */
export function maxAgeOf(session: Session): number | "session" {
  return session.isPersistent ? session.expiresAt - session.lastSeenAt : "session";
}

/** Sets the session's lifetime as koa-session's `ctx.session.maxAge = value` does. */
export function setMaxAge(session: Session, value: unknown): void {
  if (value === "session") session.rememberMe(false);
  else if (typeof value === "number" && Number.isFinite(value) && value > 0) session.rememberMe(value / 1000);
  else throw invalid(`\`maxAge\` takes a positive number of milliseconds or "session", got ${JSON.stringify(value)}.`);
}

/** The Proxy target: it holds the source, out of reach of traps and property walks. */
class KoaViewTarget {
  readonly #source: KoaViewSource;
  /** The methods, built on first use. */
  #methods: Record<string, unknown> | undefined;

  constructor(source: KoaViewSource) {
    this.#source = source;
  }

  static sourceOf(target: KoaViewTarget): KoaViewSource {
    return target.#source;
  }

  static methodsOf(target: KoaViewTarget): Record<string, unknown> {
    target.#methods ??= methods(target.#source);
    return target.#methods;
  }

  /** What `console.log(ctx.session)` shows: the data (Node inspects a Proxy's target directly). */
  [INSPECT](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    const data = #source in this ? this.#source.coreView.toJSON() : (this as unknown as { toJSON(): unknown }).toJSON();
    return `Session ${typeof inspect === "function" ? inspect(data, options) : JSON.stringify(data)}`;
  }
}

const sourceOf = KoaViewTarget.sourceOf;

function methods(source: KoaViewSource): Record<string, unknown> {
  return {
    inspect: () => source.coreView.toJSON(),
    manuallyCommit: () => source.commit(),
    // koa-session saves even an unchanged session: a forced touch makes the commit write.
    save(callback?: (error: Error | null) => void) {
      source.coreView.touch();
      return callback === undefined ? source.coreView.save() : source.coreView.save(callback);
    },
  };
}

function member(target: KoaViewTarget, name: string): unknown {
  const source = sourceOf(target);
  switch (name) {
    case "maxAge":
      return maxAgeOf(source.session);
    case "length":
      return source.session.keys().length;
    case "populated":
      return source.session.keys().length > 0;
    case "externalKey":
      return source.hasStore ? source.session.id : undefined;
    default:
      return KoaViewTarget.methodsOf(target)[name];
  }
}

const handler: ProxyHandler<KoaViewTarget> = {
  get(target, key) {
    if (typeof key === "string" && MEMBERS.has(key)) return member(target, key);
    return Reflect.get(sourceOf(target).coreView, key);
  },
  set(target, key, value) {
    if (key === "maxAge") setMaxAge(sourceOf(target).session, value);
    else if (typeof key === "string" && MEMBERS.has(key)) throw invalid(`\`session.${key}\` is a session member; it cannot be assigned.`);
    else return Reflect.set(sourceOf(target).coreView, key, value);
    return true;
  },
  deleteProperty(target, key) {
    if (typeof key === "string" && MEMBERS.has(key)) throw invalid(`\`session.${key}\` is a session member; it cannot be deleted.`);
    return Reflect.deleteProperty(sourceOf(target).coreView, key);
  },
  has(target, key) {
    return (typeof key === "string" && MEMBERS.has(key)) || Reflect.has(sourceOf(target).coreView, key);
  },
  ownKeys(target) {
    return Reflect.ownKeys(sourceOf(target).coreView);
  },
  getOwnPropertyDescriptor(target, key) {
    if (typeof key === "string" && MEMBERS.has(key)) return undefined;
    return Reflect.getOwnPropertyDescriptor(sourceOf(target).coreView, key);
  },
  defineProperty(target, key, descriptor) {
    if (key === "maxAge" && "value" in descriptor) {
      setMaxAge(sourceOf(target).session, descriptor.value);
      return true;
    }
    return Reflect.defineProperty(sourceOf(target).coreView, key, descriptor);
  },
};

/** `ctx.session` for one request. */
export function koaSessionView(source: KoaViewSource): SessionView & KoaSessionMembers {
  return new Proxy(new KoaViewTarget(source), handler) as unknown as SessionView & KoaSessionMembers;
}
