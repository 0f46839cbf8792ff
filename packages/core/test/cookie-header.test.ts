import { parseCookie } from "cookie";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCookie, SetCookieWriter } from "../src/cookie-header.js";
import { type CookieOptions, resolveOptions } from "../src/options.js";
import { harness, SECRET_A } from "./helpers.js";

/** The reference: the cookie package's reading of one cookie (empty counts as absent). */
function parsedCookie(header: string, name: string): string | null {
  const value = parseCookie(header, { decode: (v) => v })[name];
  return value === undefined || value === "" ? null : value;
}

const NAME = "tessera.sid";
/** Characters String#trim removes but the cookie package keeps (it trims only spaces and tabs). */
const UNICODE_SPACES = ["\u00a0", "\u2028", "\u2029", "\ufeff", "\u3000", "\u000b", "\u000c", "\n", "\r"];

describe("reading the session cookie", () => {
  it("the fast scan agrees with the cookie package on any header", () => {
    const nameArb = fc.constantFrom(NAME, `x${NAME}`, `${NAME}x`, "tessera", "sid", "a", "__Host-sid", " ", "");
    const valueArb = fc.oneof(
      fc.string({ unit: fc.constantFrom("a", "B", "0", ".", "-", "_", "=", " ", '"', "\t", "é", ...UNICODE_SPACES), maxLength: 12 }),
      fc.constant(`"quoted.value"`),
      fc.constant(`${NAME}=inner`),
    );
    const pairArb = fc.tuple(nameArb, fc.constantFrom("=", " =", "= ", ""), valueArb).map(([n, eq, v]) => `${n}${eq}${v}`);
    const headerArb = fc.array(pairArb, { maxLength: 6 }).chain((pairs) =>
      fc
        .array(fc.constantFrom("; ", ";", " ; ", ";  ", ";\u00a0", "\ufeff; ", ";\u2028"), {
          minLength: pairs.length,
          maxLength: pairs.length,
        })
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
    [`${NAME}=\u00a0abc\u00a0`, "\u00a0abc\u00a0"], // kept, as the cookie package keeps them
    [`${NAME}=abc\u2028; b=2`, "abc\u2028"],
    [`\ufeff${NAME}=abc`, null], // the name is "\ufeff" + NAME, not NAME
    [`${NAME}=\ufeff`, "\ufeff"],
  ])("%s → %s", (header, expected) => {
    expect(readCookie(header, NAME)).toBe(expected);
  });
});

describe("Secure where browsers require it", () => {
  const writer = (cookie: CookieOptions) => new SetCookieWriter(resolveOptions({ secrets: SECRET_A, cookie }).cookie);
  const attributes = (line: string) => line.split("; ").slice(1);

  it('`sameSite: "none"` with `secure: "auto"` sends Secure even on a plain-HTTP request', async () => {
    const h = harness({ cookie: { sameSite: "none" } });
    const { setCookies } = await h.request((s) => void s.set("n", 1), { secure: false });
    expect(setCookies).toHaveLength(1);
    expect(attributes(setCookies[0] as string)).toEqual(expect.arrayContaining(["SameSite=None", "Secure"]));
    const none = writer({ sameSite: "none" });
    for (const requestIsSecure of [false, true]) {
      expect(attributes(none.line("t", undefined, requestIsSecure))).toContain("Secure");
      expect(attributes(none.clearLine(requestIsSecure))).toContain("Secure");
    }
  });

  it('`partitioned: true` with `secure: "auto"` sends Secure even on a plain-HTTP request', () => {
    const partitioned = writer({ partitioned: true });
    expect(attributes(partitioned.line("t", 60, false))).toEqual(expect.arrayContaining(["Partitioned", "Secure"]));
    expect(attributes(partitioned.clearLine(false))).toEqual(expect.arrayContaining(["Partitioned", "Secure"]));
  });

  it('other cookies keep `secure: "auto"`: Secure only over HTTPS', () => {
    for (const sameSite of ["lax", "strict"] as const) {
      const auto = writer({ sameSite });
      expect(attributes(auto.line("t", undefined, false))).not.toContain("Secure");
      expect(attributes(auto.line("t", undefined, true))).toContain("Secure");
    }
    expect(attributes(writer({ secure: true }).line("t", undefined, false))).toContain("Secure");
    expect(attributes(writer({ secure: false }).line("t", undefined, true))).not.toContain("Secure");
  });
});
