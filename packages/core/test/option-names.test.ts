import { describe, expect, it } from "vitest";
import { checkOptionNames, closestOptionName } from "../src/internal.js";

const KNOWN = ["secrets", "idleTimeoutSeconds", "absoluteTimeoutSeconds", "rolling", "maxAge", "store"];

describe("checkOptionNames: adapters refuse options they would otherwise ignore", () => {
  it("a prefix of a known name points to it (idleTimeout → idleTimeoutSeconds)", () => {
    expect(closestOptionName("idleTimeout", KNOWN)).toBe("idleTimeoutSeconds");
    expect(() => checkOptionNames({ idleTimeout: 5 }, { known: KNOWN, source: "koa" })).toThrow(
      "[tessera] [koa] unknown option `idleTimeout`; did you mean `idleTimeoutSeconds`?",
    );
  });

  it("a small typo points to the nearest name; a far one lists the options", () => {
    expect(closestOptionName("rollin", KNOWN)).toBe("rolling");
    expect(closestOptionName("MaxAge", KNOWN)).toBe("maxAge");
    expect(closestOptionName("zzzzzz", KNOWN)).toBeUndefined();
    expect(() => checkOptionNames({ zzzzzz: 1 }, { known: KNOWN })).toThrow("the options are `secrets`, `idleTimeoutSeconds`");
  });

  it("a recognised but unsupported option gives its reason", () => {
    const run = () => checkOptionNames({ ttl: 1 }, { known: KNOWN, unsupported: { ttl: "use `maxAge`." } });
    expect(run).toThrow(
      expect.objectContaining({ code: "INVALID_CONFIG", message: "[tessera] option `ttl` is not supported: use `maxAge`." }),
    );
  });

  it("known names and undefined values pass", () => {
    expect(() => checkOptionNames({ secrets: "x", rolling: true, typo: undefined }, { known: KNOWN })).not.toThrow();
  });
});
