/**
 * The scenarios every session case runs, and the routes each session server exposes. Each
 * scenario runs on its own server process; the handler at `/` is the scenario's, while `/seed`
 * (create the seeded session) and `/read` (report the session without changing it) exist on every
 * session server so the orchestrator can set up and verify the scenario.
 */

/** `bare` has no session middleware; `A` reads, `B` writes, `C` creates a session per request. */
export type Scenario = "bare" | "A" | "B" | "C";
export type SessionScenario = Exclude<Scenario, "bare">;

export const SESSION_SCENARIOS: readonly SessionScenario[] = ["A", "B", "C"];

export const SCENARIO_LABELS: Record<Scenario, string> = {
  bare: "bare",
  A: "A read",
  B: "B write",
  C: "C new",
};

/** The small session every case seeds (and C creates): a counter and a user object. */
export const SEEDED_USER = Object.freeze({ id: "u-1", name: "Ann", roles: Object.freeze(["reader"]) });

/** At least 32 characters, as every library under test wants. */
export const BENCH_SECRET = "tessera-bench-secret-0123456789abcdefghijklmnop";

/** What the scenario handlers answer, read back by the verification. */
export interface ReadBody {
  found: boolean;
  counter: number | null;
}
export interface WriteBody {
  counter: number;
}
export interface CreateBody {
  created: true;
}
export interface BareBody {
  ok: true;
}

/**
 * A library's view of the session, so every framework's routes are written once per framework.
 * `Ctx` is the framework's request context (Express `req`, Koa `ctx`, Hono `c`).
 */
export interface SessionAccess<Ctx> {
  getCounter(ctx: Ctx): number | undefined;
  setCounter(ctx: Ctx, value: number): void;
  setUser(ctx: Ctx, user: typeof SEEDED_USER): void;
}

/** The body of a read: whether the seeded session was found, and its counter. */
export function readBody(counter: number | undefined): ReadBody {
  return { found: typeof counter === "number", counter: counter ?? null };
}
