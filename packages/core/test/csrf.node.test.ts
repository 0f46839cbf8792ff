/**
 * The CSRF secret is out of reach of what an app does with its session object in Node: logging
 * it (every `util.inspect` variant) and walking every property (`reachableFrom`).
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { INSPECT_VARIANTS, reachableFrom } from "../../adapter-test-suite/src/session-exposure.js";
import { CSRF_KEY } from "../src/reserved-keys.js";
import { bindSession } from "../src/session-view.js";
import { harness } from "./helpers.js";

async function withSecret() {
  const h = harness();
  const { session } = await h.request((s) => void s.set("user", "ann").csrfToken());
  const record = (await h.memory.get(session.id)) as { data: Record<string, string> };
  const secret = record.data[CSRF_KEY] as string;
  const view = bindSession(h.manager, session, { appendSetCookie: () => {} }).view;
  void view.csrfToken; // build the view's lazy members, so the walk reaches them
  return { session, view, secret };
}

describe("the CSRF secret is hidden from inspection and property walks", () => {
  it.each(Object.entries(INSPECT_VARIANTS))("util.inspect (%s) of the session and its view", async (_name, options) => {
    const { session, view, secret } = await withSecret();
    expect(secret).toHaveLength(43);
    for (const object of [session, view]) {
      const text = inspect(object, options);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(CSRF_KEY);
    }
  });

  it("no value reachable by property access holds the secret", async () => {
    const { session, view, secret } = await withSecret();
    for (const object of [session, view]) {
      const { values, keys } = reachableFrom(object);
      expect(values.length).toBeGreaterThan(5);
      expect(keys).not.toContain(CSRF_KEY);
      for (const value of values) if (typeof value === "string") expect(value.includes(secret)).toBe(false);
    }
  });
});
