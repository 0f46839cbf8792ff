import type { RequestListener } from "node:http";
import { countingStore, type RunningApp, SECRET_A, serveNode } from "@tessera/adapter-test-suite";
import { memoryStore } from "@tessera/core";
import { afterEach } from "vitest";

/** Servers started by a test file, closed after each test. */
const running: RunningApp[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((app) => app.close()));
});

export async function serve(listener: RequestListener) {
  const app = await serveNode(listener);
  running.push(app);
  return app;
}

export const SECRET = SECRET_A;

/** A counting memory store with a fake clock. */
export function fixture() {
  let current = Date.now();
  const clock = { now: () => current, advanceSeconds: (seconds: number) => (current += seconds * 1000) };
  return { clock, store: countingStore(memoryStore({ now: clock.now })) };
}

/** The session cookie pair (`connect.sid=...`) a response sets, if any. */
export function sessionCookie(response: Response, name = "connect.sid"): string | undefined {
  const line = response.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
  return line?.split(";")[0];
}

export function sessionLine(response: Response, name = "connect.sid"): string | undefined {
  return response.headers.getSetCookie().find((l) => l.startsWith(`${name}=`));
}
