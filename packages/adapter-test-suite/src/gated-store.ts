/**
 * A store wrapper for deterministic race tests: the test holds the next call of a method at a gate,
 * learns when a request reached it, runs other requests meanwhile, and opens the gate when it
 * chooses. No sleeps: every interleaving is picked by the test. Works on any store-shaped object
 * (its methods return promises); the wrapped store does the real work.
 */

/** One held call. */
export interface Gate {
  /** Resolves when a call reached the gate (it is then waiting for `open`). */
  readonly reached: Promise<void>;
  /** Lets the held call go on to the wrapped store. */
  open(): void;
}

/** What {@link gatedStore} returns: the wrapped store, plus `hold`. */
export type GatedStore<S extends object> = S & {
  /** Holds the next call of `method` at a gate (calls after it are not held). */
  hold(method: keyof S & string): Gate;
};

interface Pending {
  arrive: () => void;
  opened: Promise<void>;
}

export function gatedStore<S extends object>(inner: S): GatedStore<S> {
  const gates = new Map<string, Pending[]>();
  const wrapped: Record<string, unknown> = {};
  // Data members (name, capabilities, ...) are shared; methods are wrapped.
  for (let proto: object | null = inner; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === "constructor" || key in wrapped) continue;
      const value = (inner as Record<string, unknown>)[key];
      if (typeof value !== "function") {
        wrapped[key] = value;
        continue;
      }
      wrapped[key] = async (...args: unknown[]) => {
        const pending = gates.get(key)?.shift();
        if (pending !== undefined) {
          pending.arrive();
          await pending.opened;
        }
        return (value as (...a: unknown[]) => unknown).apply(inner, args);
      };
    }
  }
  wrapped.hold = (method: string): Gate => {
    let arrive!: () => void;
    let open!: () => void;
    const reached = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    const queue = gates.get(method) ?? [];
    queue.push({ arrive, opened });
    gates.set(method, queue);
    return { reached, open };
  };
  return wrapped as GatedStore<S>;
}
