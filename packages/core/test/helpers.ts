/**
 * Test helpers: a fake clock, a store wrapper that records every call, and a tiny "browser" that
 * keeps the session cookie between requests the way a real one does.
 */
import {
  createSessionManager,
  memoryStore,
  type Session,
  type SessionData,
  type SessionEvent,
  type SessionManager,
  type SessionManagerOptions,
  type Store,
} from "../src/index.js";

export const SECRET_A = "secret-a-0123456789abcdefghijklmnopqrstuvwxyz";
export const SECRET_B = "secret-b-0123456789abcdefghijklmnopqrstuvwxyz";
export const SECRET_C = "secret-c-0123456789abcdefghijklmnopqrstuvwxyz";

/** A clock that only moves when told to. Starts at the real time so stores see sane timestamps. */
export function fakeClock(start = Date.now()) {
  let current = start;
  return {
    now: () => current,
    advanceSeconds(seconds: number) {
      current += seconds * 1000;
    },
  };
}

export type StoreCall = { method: string; args: unknown[] };

/** Wraps a store so every call is recorded (the real store still does the work). */
export function recordingStore(inner: Store): Store & { calls: StoreCall[]; writes(): StoreCall[] } {
  const calls: StoreCall[] = [];
  const wrapped: Record<string, unknown> = {
    // Keep every data property (name, capabilities, a sealed store's kind and limit).
    ...Object.fromEntries(Object.entries(inner).filter(([, value]) => typeof value !== "function")),
    calls,
    writes: () => calls.filter((c) => c.method !== "get" && c.method !== "listByOwner"),
  };
  for (const method of ["get", "create", "replace", "patch", "touch", "destroy", "listByOwner", "destroyByOwner"] as const) {
    const fn = inner[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (typeof fn !== "function") continue;
    wrapped[method] = (...args: unknown[]) => {
      calls.push({ method, args: structuredClone(args) });
      return fn.apply(inner, args);
    };
  }
  return wrapped as unknown as Store & { calls: StoreCall[]; writes(): StoreCall[] };
}

export interface Exchange<Data extends SessionData> {
  session: Session<Data>;
  setCookies: string[];
  headers: Record<string, string>;
}

/** A harness: manager + recording memory store + fake clock + a cookie jar. */
export function harness<Data extends SessionData = SessionData>(options: Partial<SessionManagerOptions> = {}) {
  const clock = fakeClock();
  const memory = memoryStore({ now: clock.now });
  const store = recordingStore(options.store ?? memory);
  const events: SessionEvent[] = [];
  const manager: SessionManager<Data> = createSessionManager<Data>({
    secrets: [SECRET_A],
    now: clock.now,
    onEvent: (event) => events.push(event),
    ...options,
    store,
  });
  let jar: string | null = null;

  /** One request: load, run the handler, commit; updates the jar from Set-Cookie like a browser. */
  async function request(
    handler: (session: Session<Data>) => void | Promise<void> = () => {},
    init: { cookie?: string | null; secure?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Exchange<Data>> {
    const cookieHeader = init.cookie !== undefined ? init.cookie : jar;
    const requestHeaders = Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const session = await manager.load({
      cookieHeader,
      secure: init.secure ?? false,
      header: (name) => requestHeaders[name.toLowerCase()] ?? null,
    });
    await handler(session);
    const setCookies: string[] = [];
    const headers: Record<string, string> = {};
    await manager.commit(session, {
      appendSetCookie: (line) => setCookies.push(line),
      setHeader: (name, value) => {
        headers[name] = value;
      },
    });
    for (const line of setCookies) {
      const pair = line.split(";")[0] as string;
      const value = pair.slice(pair.indexOf("=") + 1);
      jar = value === "" ? null : pair;
    }
    return { session, setCookies, headers };
  }

  return {
    manager,
    store,
    memory,
    clock,
    events,
    request,
    get cookie() {
      return jar;
    },
    set cookie(value: string | null) {
      jar = value;
    },
    eventsOf<T extends SessionEvent["type"]>(type: T) {
      return events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
    },
  };
}

/** The token inside a `name=value` cookie pair. */
export function tokenOf(cookiePair: string): string {
  return cookiePair.slice(cookiePair.indexOf("=") + 1);
}
