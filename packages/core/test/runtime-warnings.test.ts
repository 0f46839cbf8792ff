/**
 * The `memory-store-per-isolate` warning: a manager without a `store` on a runtime that is not Node
 * warns once (event + console). The `core (edge-runtime)` project runs this file in an edge VM,
 * which defines the global `EdgeRuntime`; the `core (node)` project runs it on Node, where the
 * memory store is shared by the whole process and nothing is said.
 */
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from "vitest";
import { createSessionManager, memoryStore, type SessionEvent } from "../src/index.js";
import { isNodeRuntime } from "../src/runtime-warnings.js";
import { SECRET_A } from "./helpers.js";

/** The console, through `globalThis`: the core's tests compile without DOM or Node types. */
const consoleLike = (globalThis as unknown as { console: { warn: (...args: unknown[]) => void } }).console;
const onEdge = typeof (globalThis as { EdgeRuntime?: unknown }).EdgeRuntime === "string";

describe(`the default-store warning (${onEdge ? "edge VM" : "Node"})`, () => {
  let warn: MockInstance<(...args: unknown[]) => void>;
  beforeEach(() => {
    // Mocked so the test output stays clean; the calls are what the test checks.
    warn = vi.spyOn(consoleLike, "warn").mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  const warnings = (events: SessionEvent[]) => events.filter((event) => event.type === "warning");

  it(onEdge ? "fires once per manager, naming the fix" : "stays silent on Node", () => {
    const events: SessionEvent[] = [];
    const manager = createSessionManager({ secrets: SECRET_A, onEvent: (event) => events.push(event) });
    expect(manager.store.name).toBe("memory");
    if (!onEdge) {
      expect(isNodeRuntime()).toBe(true);
      expect(warnings(events)).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
      return;
    }
    expect(isNodeRuntime()).toBe(false);
    expect(warnings(events)).toHaveLength(1);
    const [event] = warnings(events);
    expect(event).toMatchObject({ type: "warning", code: "memory-store-per-isolate" });
    expect((event as { message: string }).message).toMatch(
      /Pass a store: on Workers .* each isolate has its own memory, so sessions vanish at random/,
    );
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toBe((event as { message: string }).message);

    createSessionManager({ secrets: SECRET_A });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("never fires when a store is given", () => {
    const events: SessionEvent[] = [];
    createSessionManager({ secrets: SECRET_A, store: memoryStore(), onEvent: (event) => events.push(event) });
    expect(warnings(events)).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it("a manager's requests add no further warning", async () => {
    const events: SessionEvent[] = [];
    const manager = createSessionManager({ secrets: SECRET_A, onEvent: (event) => events.push(event) });
    const before = warn.mock.calls.length;
    const session = await manager.load({ cookieHeader: null });
    session.set("counter", 1);
    await manager.commit(session, { appendSetCookie() {} });
    expect(warn.mock.calls.length).toBe(before);
    expect(warnings(events)).toHaveLength(onEdge ? 1 : 0);
  });
});
