import { describe, expect, it } from "vitest";
import { memoryStore } from "../src/index.js";
import { fakeClock, harness, SECRET_A, SECRET_B } from "./helpers.js";

type Data = { count: number };

/** Two managers on one store, as two processes mid-deploy: one has promoted B, the other not yet. */
function midRotation() {
  const clock = fakeClock();
  const store = memoryStore({ now: clock.now });
  const notYetPromoted = harness<Data>({ secrets: { current: SECRET_A, next: SECRET_B }, store, now: clock.now });
  const promoted = harness<Data>({ secrets: { current: SECRET_B, previous: SECRET_A }, store, now: clock.now });
  return { notYetPromoted, promoted };
}

const increment = (s: { get(key: "count"): number | undefined; set(key: "count", value: number): unknown }) => {
  s.set("count", (s.get("count") ?? 0) + 1);
};

describe("rotating secrets between two managers on one store", () => {
  it("a cookie is re-signed once by the promoted manager and never signed back", async () => {
    const { notYetPromoted, promoted } = midRotation();
    await notYetPromoted.request(increment);
    let cookie = notYetPromoted.cookie;
    const setCookies: string[][] = [];
    for (let i = 0; i < 10; i++) {
      const h = i % 2 === 0 ? promoted : notYetPromoted;
      const exchange = await h.request(increment, { cookie });
      expect(exchange.session.get("count")).toBe(i + 2);
      setCookies.push(exchange.setCookies);
      if (exchange.setCookies.length > 0) cookie = (exchange.setCookies[0] as string).split(";")[0] as string;
    }
    expect(setCookies.map((lines) => lines.length)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(promoted.eventsOf("re-signed")).toHaveLength(1);
    expect(notYetPromoted.eventsOf("re-signed")).toEqual([]);
  });

  it("a cookie signed with a `next` secret is accepted as it is, with no write and no header", async () => {
    const { notYetPromoted, promoted } = midRotation();
    await promoted.request(increment);
    const { session, setCookies } = await notYetPromoted.request(() => {}, { cookie: promoted.cookie });
    expect(session.isNew).toBe(false);
    expect(session.get("count")).toBe(1);
    expect(setCookies).toEqual([]);
    expect(notYetPromoted.store.writes()).toEqual([]);
  });
});
