import { describe, expect, it } from "vitest";
import { CookieJar } from "../src/cookie-jar.js";

describe("CookieJar", () => {
  it("sends every cookie it was given, latest value wins", () => {
    const jar = new CookieJar();
    jar.update(["koa.sess=abc; path=/; httponly", "koa.sess.sig=def; path=/; httponly"]);
    jar.update(["koa.sess=xyz; path=/"]);
    expect(jar.header()).toBe("koa.sess=xyz; koa.sess.sig=def");
  });

  it("drops a cookie cleared with Max-Age=0, an empty value or a past Expires", () => {
    const jar = new CookieJar();
    jar.update(["a=1", "b=2", "c=3", "d=4"]);
    jar.update(["a=; Path=/", "b=x; Max-Age=0", "c=y; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]);
    expect(jar.header()).toBe("d=4");
  });

  it("has no header when empty", () => {
    expect(new CookieJar().header()).toBeNull();
  });
});
