/**
 * Nothing the app holds after a login-token restore shows the token, the validator, the series key
 * or the hashes: the session, its object view, their JSON, their keys and `util.inspect` (Node's,
 * hence a `.node` test). The store never holds a validator.
 */
import { inspect } from "node:util";
import { expect, it } from "vitest";
import { createSessionManager, memoryStore, type Session } from "../src/index.js";
import { bindSession } from "../src/session-view.js";
import { fakeClock, SECRET_A } from "./helpers.js";

const LOGIN_COOKIE = "tessera.login";

it("nothing reachable from a restored session reveals the login token's secrets", async () => {
  const clock = fakeClock();
  const memory = memoryStore({ now: clock.now });
  const manager = createSessionManager({ secrets: [SECRET_A], now: clock.now, store: memory, loginTokens: {} });
  let loginCookie = "";
  const response = {
    appendSetCookie: (line: string) => {
      if (line.startsWith(`${LOGIN_COOKIE}=`)) loginCookie = line.split(";")[0] as string;
    },
  };
  const login: Session = await manager.load({ cookieHeader: null });
  login.owner = "ann";
  login.issueLoginToken();
  await manager.commit(login, response);
  const [selector, validator] = loginCookie.slice(LOGIN_COOKIE.length + 1).split(".") as [string, string];

  // The browser restarted: only the login cookie comes back.
  const session = await manager.load({ cookieHeader: loginCookie });
  session.set("theme", "dark");
  expect(session.restoredFromLoginToken).toBe(true);
  const series = (await memory.get(selector))?.data ?? {};
  const secrets = [validator, selector, ...Object.values(series).filter((value): value is string => typeof value === "string")];
  expect(secrets.length).toBeGreaterThanOrEqual(4);

  const view = bindSession(manager, session, response).view;
  const shown = [
    JSON.stringify(session),
    inspect(session, { depth: 10, showHidden: true }),
    JSON.stringify(view),
    inspect(view, { depth: 10, showHidden: true }),
    inspect(view, { depth: 10, showHidden: true, showProxy: true }),
    JSON.stringify(Object.keys(view)),
    JSON.stringify(session.keys()),
    String(session.get("~login" as never)),
  ].join("\n");
  for (const secret of secrets) expect(shown).not.toContain(secret);
  expect(shown).toContain("dark");
  expect(session.has("~login" as never)).toBe(false);
  expect(() => session.set("~login" as never, 1 as never)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  expect(view.restoredFromLoginToken).toBe(true);
  expect(typeof view.issueLoginToken).toBe("function");
  expect(() => {
    (view as { restoredFromLoginToken: boolean }).restoredFromLoginToken = false;
  }).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));

  // The store never holds a validator, neither the first nor the rotated one.
  await manager.commit(session, response);
  const rotated = loginCookie.slice(LOGIN_COOKIE.length + 1).split(".")[1] as string;
  expect(rotated).not.toBe(validator);
  const everything: Record<string, unknown> = {};
  for await (const id of memory.ids()) everything[id] = await memory.get(id);
  const dump = JSON.stringify(everything);
  expect(dump).not.toContain(validator);
  expect(dump).not.toContain(rotated);
});
