/**
 * koa-session stores for the tests, written the way koa-session's README describes them: a plain
 * object with async `get(key, maxAge, { rolling, ctx })`, `set(key, sess, maxAge, { rolling,
 * changed, ctx })` and `destroy(key, { ctx })`, and a `ContextStore` class built per request. Both
 * expire a record `maxAge` ms after its `set`, as koa-redis does, and log every call.
 */

/** One logged call: the method, the key, and what koa-session passes besides. */
export interface StoreCall {
  method: "get" | "set" | "destroy";
  key: string;
  maxAge?: unknown;
  rolling?: unknown;
  changed?: unknown;
  ctx: unknown;
}

interface Entry {
  json: string;
  expiresAt: number;
}

/** A backend shared by stores: the records, as JSON with their expiry, and the call log. */
export class Backend {
  readonly entries = new Map<string, Entry>();
  readonly calls: StoreCall[] = [];

  read(key: string): Record<string, unknown> | null {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return null;
    }
    return JSON.parse(entry.json) as Record<string, unknown>;
  }

  write(key: string, session: unknown, maxAge: unknown): void {
    const ttlMs = typeof maxAge === "number" ? maxAge : 86_400_000;
    this.entries.set(key, { json: JSON.stringify(session), expiresAt: Date.now() + ttlMs });
  }
}

/** A koa-session store over `backend`, with an optional key prefix (for isolation). */
export function koaMemoryStore(backend = new Backend(), prefix = "") {
  return {
    backend,
    async get(key: string, maxAge: unknown, { rolling, ctx }: { rolling: unknown; ctx: unknown }) {
      backend.calls.push({ method: "get", key, maxAge, rolling, ctx });
      return backend.read(prefix + key);
    },
    async set(
      key: string,
      session: unknown,
      maxAge: unknown,
      { rolling, changed, ctx }: { rolling: unknown; changed: unknown; ctx: unknown },
    ) {
      backend.calls.push({ method: "set", key, maxAge, rolling, changed, ctx });
      backend.write(prefix + key, session, maxAge);
    },
    async destroy(key: string, { ctx }: { ctx: unknown }) {
      backend.calls.push({ method: "destroy", key, ctx });
      backend.entries.delete(prefix + key);
    },
  };
}

/** A `ContextStore` class over `backend`: each instance remembers the context it was built with. */
export function contextStoreClass(backend = new Backend()) {
  return class ContextMemoryStore {
    static readonly backend = backend;
    static readonly built: unknown[] = [];
    readonly ctx: unknown;

    constructor(ctx: unknown) {
      this.ctx = ctx;
      ContextMemoryStore.built.push(ctx);
    }

    async get(key: string) {
      backend.calls.push({ method: "get", key, ctx: this.ctx });
      return backend.read(key);
    }

    async set(key: string, session: unknown, maxAge: unknown) {
      backend.calls.push({ method: "set", key, maxAge, ctx: this.ctx });
      backend.write(key, session, maxAge);
    }

    async destroy(key: string) {
      backend.calls.push({ method: "destroy", key, ctx: this.ctx });
      backend.entries.delete(key);
    }
  };
}
