/** `cookie.secure: "auto"`: when a request counts as HTTPS, per the `proxy` option and Express's `trust proxy`. */
import type { IncomingMessage, ServerResponse } from "node:http";
import express from "express";
import { describe, expect, it } from "vitest";
import { type SessionOptions, session } from "../src/index.js";
import { SECRET, serve, sessionLine } from "./helpers.js";

const forwarded = { method: "POST", headers: { "x-forwarded-proto": "https" } };

async function expressLine(options: Partial<SessionOptions>, trustProxy: boolean) {
  const app = express();
  app.set("trust proxy", trustProxy);
  app.use(session({ secret: SECRET, ...options }));
  app.post("/", (req, res) => {
    (req.session as object as Record<string, unknown>).n = 1;
    res.end();
  });
  return sessionLine(await (await serve(app)).fetch("/", forwarded));
}

describe("secure: auto", () => {
  it("Express without trust proxy: X-Forwarded-Proto is ignored", async () => {
    expect(await expressLine({}, false)).not.toContain("Secure");
  });

  it("Express with trust proxy: X-Forwarded-Proto https gives Secure (req.secure)", async () => {
    expect(await expressLine({}, true)).toContain("; Secure");
  });

  it("proxy: false overrides Express's trust proxy", async () => {
    expect(await expressLine({ proxy: false }, true)).not.toContain("Secure");
  });

  it("proxy: true trusts the header even without Express's setting", async () => {
    expect(await expressLine({ proxy: true }, false)).toContain("; Secure");
  });

  it("plain node:http: the header counts only with proxy: true", async () => {
    const line = async (options: Partial<SessionOptions>) => {
      const middleware = session({ secret: SECRET, ...options });
      const server = await serve((req: IncomingMessage, res: ServerResponse) =>
        middleware(req, res, () => {
          (req as unknown as { session: Record<string, unknown> }).session.n = 1;
          res.end();
        }),
      );
      return sessionLine(await server.fetch("/", forwarded));
    };
    expect(await line({})).not.toContain("Secure");
    expect(await line({ proxy: true })).toContain("; Secure");
  });

  it("secure: true always sets Secure; false never", async () => {
    expect(await expressLine({ cookie: { secure: true } }, true)).toContain("; Secure");
    // As express-session: a Secure-only cookie is not sent in answer to a plain-HTTP request.
    expect(await expressLine({ cookie: { secure: true } }, false)).toBeUndefined();
    expect(await expressLine({ cookie: { secure: false } }, true)).not.toContain("Secure");
  });
});
