import { parseCookie } from "cookie";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCookie } from "../src/cookie-header.js";

/** The reference: the cookie package's reading of one cookie (empty counts as absent). */
function parsedCookie(header: string, name: string): string | null {
  const value = parseCookie(header, { decode: (v) => v })[name];
  return value === undefined || value === "" ? null : value;
}

const NAME = "tessera.sid";

describe("reading the session cookie", () => {
  it("the fast scan agrees with the cookie package on any header", () => {
    const nameArb = fc.constantFrom(NAME, `x${NAME}`, `${NAME}x`, "tessera", "sid", "a", "__Host-sid", " ", "");
    const valueArb = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "B", "0", ".", "-", "_", "=", " ", '"', "\t", "é"), maxLength: 12 }),
      fc.constant(`"quoted.value"`),
      fc.constant(`${NAME}=inner`),
    );
    const pairArb = fc.tuple(nameArb, fc.constantFrom("=", " =", "= ", ""), valueArb).map(([n, eq, v]) => `${n}${eq}${v}`);
    const headerArb = fc
      .array(pairArb, { maxLength: 6 })
      .chain((pairs) =>
        fc
          .array(fc.constantFrom("; ", ";", " ; ", ";  "), { minLength: pairs.length, maxLength: pairs.length })
          .map((seps) => pairs.map((p, i) => (i === 0 ? p : `${seps[i]}${p}`)).join("")),
      );
    fc.assert(
      fc.property(headerArb, (header) => {
        expect(readCookie(header, NAME)).toBe(parsedCookie(header, NAME));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    [null, null],
    ["", null],
    [`${NAME}=abc`, "abc"],
    [`a=1; ${NAME}=abc; b=2`, "abc"],
    [`a=1;${NAME} = abc ;b=2`, "abc"],
    [`x${NAME}=no; ${NAME}=yes`, "yes"],
    [`a=${NAME}=no`, null],
    [`${NAME}=first; ${NAME}=second`, "first"],
    [`${NAME}="quoted"`, `"quoted"`], // as the cookie package reads it
    [`${NAME}=`, null],
  ])("%s → %s", (header, expected) => {
    expect(readCookie(header, NAME)).toBe(expected);
  });
});
