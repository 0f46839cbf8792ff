/**
 * Checks, before anything is measured, that a server really does what its scenario says: the bare
 * server answers, A finds the seeded session and leaves it unchanged, B increments the counter,
 * C sets a cookie for a session that a later request finds. Returns the headers the load
 * generator must send to reproduce the scenario.
 */
import { CookieJar } from "./cookie-jar.js";
import type { Scenario } from "./scenarios.js";

export class VerificationError extends Error {
  override name = "VerificationError";
}

export interface VerifiedScenario {
  /** Headers for every load request (the session cookie for A and B, none for C and bare). */
  headers: Record<string, string>;
  /** What was checked, for the report. */
  checks: string[];
}

interface Reply {
  status: number;
  body: unknown;
  setCookie: string[];
}

async function get(baseUrl: string, path: string, jar?: CookieJar): Promise<Reply> {
  const headers: Record<string, string> = {};
  const cookie = jar?.header();
  if (cookie) headers.cookie = cookie;
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the error message.
  }
  const setCookie = response.headers.getSetCookie();
  jar?.update(setCookie);
  return { status: response.status, body, setCookie };
}

function expectBody(label: string, reply: Reply, expected: Record<string, unknown>): void {
  const body = reply.body as Record<string, unknown> | null;
  const matches =
    reply.status === 200 && typeof body === "object" && body !== null && Object.entries(expected).every(([k, v]) => body[k] === v);
  if (!matches) {
    throw new VerificationError(`${label}: expected 200 ${JSON.stringify(expected)}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  }
}

function cookieHeaders(jar: CookieJar, label: string): Record<string, string> {
  const cookie = jar.header();
  if (cookie === null) throw new VerificationError(`${label}: no session cookie to send`);
  return { cookie };
}

export async function verifyScenario(baseUrl: string, scenario: Scenario): Promise<VerifiedScenario> {
  if (scenario === "bare") {
    expectBody("bare GET /", await get(baseUrl, "/"), { ok: true });
    return { headers: {}, checks: ["GET / answers {ok:true}"] };
  }
  if (scenario === "C") {
    const jar = new CookieJar();
    const created = await get(baseUrl, "/", jar);
    expectBody("C GET / without a cookie", created, { created: true });
    if (created.setCookie.length === 0) throw new VerificationError("C GET / without a cookie: no Set-Cookie in the response");
    expectBody("C GET /read with the new cookie", await get(baseUrl, "/read", jar), { found: true, counter: 1 });
    return { headers: {}, checks: ["GET / without a cookie sets a cookie", "that cookie finds the saved session (counter 1)"] };
  }
  const jar = new CookieJar();
  const seeded = await get(baseUrl, "/seed", jar);
  expectBody("GET /seed", seeded, { seeded: true });
  if (jar.size === 0) throw new VerificationError("GET /seed: no Set-Cookie in the response");
  if (scenario === "A") {
    const headers = cookieHeaders(jar, "A");
    expectBody("A GET / (1st)", await get(baseUrl, "/", jar), { found: true, counter: 0 });
    expectBody("A GET / (2nd)", await get(baseUrl, "/", jar), { found: true, counter: 0 });
    return { headers, checks: ["GET / finds the seeded session (counter 0)", "a second GET / finds it unchanged"] };
  }
  expectBody("B GET / (1st)", await get(baseUrl, "/", jar), { counter: 1 });
  expectBody("B GET / (2nd)", await get(baseUrl, "/", jar), { counter: 2 });
  expectBody("B GET /read", await get(baseUrl, "/read", jar), { found: true, counter: 2 });
  return { headers: cookieHeaders(jar, "B"), checks: ["GET / increments the counter (1, then 2)", "GET /read sees 2"] };
}
