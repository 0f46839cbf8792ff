/** The demo on Hono (run on Node by @hono/node-server): a typed `c.get("session")`. */
import { type SessionEnv, type SessionOptions, session } from "@tessera/adapter-hono";
import {
  homePage,
  profilePage,
  REMEMBER_ME_SECONDS,
  readLoginForm,
  refusedPage,
  revokedNotice,
  signedOutPage,
  unavailablePage,
} from "@tessera/example-shared";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";

type Data = { user: string; visits: number };
const framework = "Hono";

export function createApp(options: Pick<SessionOptions, "secrets" | "store">): Hono<SessionEnv<Data>> {
  // csrf: every POST needs the form's `_csrf` token and must come from the demo's own pages.
  const sessions = session<Data>({ ...options, rememberMeSeconds: REMEMBER_ME_SECONDS, csrf: true });
  const app = new Hono<SessionEnv<Data>>().use(sessions);

  app.get("/", (c) => {
    const s = c.get("session");
    s.set("visits", (s.get("visits") ?? 0) + 1);
    return c.html(
      homePage({
        framework,
        user: s.get("user"),
        visits: s.get("visits") ?? 0,
        notice: s.flash<string>("notice"),
        csrfToken: s.csrfToken(),
      }),
    );
  });

  app.post("/login", async (c) => {
    const s = c.get("session");
    const form = readLoginForm(await c.req.parseBody());
    if ("error" in form) {
      s.flash("notice", form.error);
      return c.redirect("/", 303);
    }
    // A new, empty session at login: a planted cookie is worthless and planted data stays behind.
    // Carry over only what the app chooses to (here the visit counter).
    const visits = s.get("visits");
    s.regenerate().set("visits", visits);
    s.set("user", form.username).rememberMe(form.remember).flash("notice", `Signed in as ${form.username}.`);
    s.owner = form.username;
    return c.redirect("/profile", 303);
  });

  app.get("/profile", async (c) => {
    const s = c.get("session");
    const user = s.get("user");
    const visits = s.get("visits") ?? 0;
    const notice = s.flash<string>("notice");
    if (!user) return c.html(signedOutPage({ framework, visits, notice }), 401);
    const mine = await sessions.manager.listSessions(user);
    return c.html(
      profilePage({
        framework,
        user,
        visits,
        notice,
        remembered: s.isPersistent,
        csrfToken: s.csrfToken(),
        sessions: mine.map((m) => ({ current: m.id === s.id, lastSeenAt: m.lastSeenAt, persistent: m.persistent })),
      }),
    );
  });

  app.post("/logout", (c) => {
    c.get("session").destroy().flash("notice", "Signed out."); // the flash starts a new, anonymous session
    return c.redirect("/", 303);
  });

  app.post("/logout-others", async (c) => {
    const s = c.get("session");
    if (s.owner) s.flash("notice", revokedNotice(await sessions.manager.revokeSessions(s.owner, { except: s })));
    return c.redirect("/profile", 303);
  });

  app.onError((error, c) => {
    const status = error instanceof HTTPException ? error.status : 500;
    const refused = error instanceof HTTPException && (error.cause as { code?: string } | undefined)?.code === "CSRF_REJECTED";
    return c.html(refused ? refusedPage(framework) : unavailablePage(framework), status);
  });
  return app;
}
