/**
 * Every case the load benchmark runs: each framework bare, with Tessera (memory store, Redis
 * store) and with the library its users would otherwise pick.
 */
import type { SessionScenario } from "./scenarios.js";

export type Framework = "express" | "koa" | "hono";
export type Library = "bare" | "tessera" | "express-session" | "koa-session" | "hono-sessions";
export type StoreKind = "none" | "memory" | "redis" | "postgres" | "cookie";

export interface CaseSpec {
  /** `<framework>/<library>-<store>`, e.g. `express/tessera-memory`. */
  readonly id: string;
  readonly framework: Framework;
  readonly library: Library;
  readonly store: StoreKind;
  /** Human-readable name for the table. */
  readonly label: string;
  /** Needs the benchmark's Redis server. */
  readonly redis: boolean;
  /** Needs the benchmark's PostgreSQL server. */
  readonly postgres: boolean;
  /** For Tessera cases: the competitor cases this one is compared with on the same scenario. */
  readonly competitors: readonly string[];
}

export const FRAMEWORKS: readonly Framework[] = ["express", "koa", "hono"];

function spec(framework: Framework, library: Library, store: StoreKind, label: string, competitors: string[] = []): CaseSpec {
  const id = library === "bare" ? `${framework}/bare` : `${framework}/${library}-${store}`;
  return { id, framework, library, store, label, redis: store === "redis", postgres: store === "postgres", competitors };
}

export const CASES: readonly CaseSpec[] = [
  spec("express", "bare", "none", "Express 5 (bare)"),
  spec("express", "tessera", "memory", "Express + Tessera (memory)", ["express/express-session-memory"]),
  spec("express", "tessera", "redis", "Express + Tessera (Redis)", ["express/express-session-redis"]),
  spec("express", "tessera", "postgres", "Express + Tessera (PostgreSQL)", ["express/express-session-postgres"]),
  spec("express", "express-session", "memory", "Express + express-session (MemoryStore)"),
  spec("express", "express-session", "redis", "Express + express-session + connect-redis"),
  spec("express", "express-session", "postgres", "Express + express-session + connect-pg-simple"),
  spec("koa", "bare", "none", "Koa 3 (bare)"),
  spec("koa", "tessera", "memory", "Koa + Tessera (memory)", ["koa/koa-session-cookie"]),
  spec("koa", "tessera", "redis", "Koa + Tessera (Redis)", ["koa/koa-session-cookie"]),
  spec("koa", "koa-session", "cookie", "Koa + koa-session (cookie)"),
  spec("hono", "bare", "none", "Hono 4 on @hono/node-server (bare)"),
  spec("hono", "tessera", "memory", "Hono + Tessera (memory)", ["hono/hono-sessions-cookie", "hono/hono-sessions-memory"]),
  spec("hono", "tessera", "redis", "Hono + Tessera (Redis)", ["hono/hono-sessions-cookie", "hono/hono-sessions-memory"]),
  spec("hono", "hono-sessions", "cookie", "Hono + hono-sessions (CookieStore)"),
  spec("hono", "hono-sessions", "memory", "Hono + hono-sessions (MemoryStore)"),
];

export function caseById(id: string): CaseSpec {
  const found = CASES.find((c) => c.id === id);
  if (!found) throw new Error(`unknown case "${id}"; known: ${CASES.map((c) => c.id).join(", ")}`);
  return found;
}

export function bareCaseOf(framework: Framework): CaseSpec {
  return caseById(`${framework}/bare`);
}

/** One measured unit: a session case on one scenario. */
export interface CaseRun {
  readonly spec: CaseSpec;
  readonly scenario: SessionScenario;
}
