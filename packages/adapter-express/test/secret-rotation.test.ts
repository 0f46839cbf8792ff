/**
 * `secret: { current, previous, next }`: the core's two-phase rotation through the Express adapter,
 * so processes of a rolling deploy accept each other's cookies without signing them back and forth.
 */
import { SECRET_A, SECRET_B } from "@tessera/adapter-test-suite";
import express from "express";
import { describe, expect, it } from "vitest";
import { type SessionOptions, session } from "../src/index.js";
import { fixture, serve, sessionCookie, sessionLine } from "./helpers.js";

async function start(secret: SessionOptions["secret"], store: SessionOptions["store"]) {
  const app = express();
  app.use(session({ secret, store }));
  app.post("/login", (req, res) => {
    (req.session as unknown as Record<string, unknown>).user = "ann";
    res.json({ ok: true });
  });
  app.get("/", (req, res) => res.json({ user: (req.session as unknown as Record<string, unknown>).user ?? null }));
  return serve(app);
}

describe("secret rotation objects (Express)", () => {
  it("a process with { current: A, next: B } accepts B's cookies as they are; { current: B, previous: A } re-signs A's", async () => {
    const { store } = fixture();
    const phaseOne = await start({ current: SECRET_A, next: SECRET_B }, store);
    const phaseTwo = await start({ current: SECRET_B, previous: SECRET_A }, store);

    const signedByA = sessionCookie(await phaseOne.fetch("/login", { method: "POST" })) as string;
    const resigned = await phaseTwo.fetch("/", { headers: { cookie: signedByA } });
    expect(await resigned.json()).toEqual({ user: "ann" });
    const signedByB = sessionCookie(resigned) as string;
    expect(signedByB).toBeDefined();
    expect(signedByB).not.toBe(signedByA);

    const accepted = await phaseOne.fetch("/", { headers: { cookie: signedByB } });
    expect(await accepted.json()).toEqual({ user: "ann" });
    expect(sessionLine(accepted)).toBeUndefined(); // never signed back with A
  });

  it("a rotation object's secrets are validated like the list's", () => {
    expect(() => session({ secret: { current: "short" } })).toThrow(expect.objectContaining({ code: "INVALID_CONFIG" }));
  });
});
