/** The demo on Koa: `ctx.session` with property access, `ctx.session = null` to log out. */
import { session } from "@tessera/adapter-koa";
import type { SessionManagerOptions } from "@tessera/core";
import {
  homePage,
  profilePage,
  REMEMBER_ME_SECONDS,
  readLoginForm,
  readUrlEncoded,
  refusedPage,
  revokedNotice,
  signedOutPage,
  unavailablePage,
} from "@tessera/example-shared";
import Koa from "koa";

type Data = { user: string; visits: number };
const framework = "Koa";

export function createApp(options: Pick<SessionManagerOptions, "secrets" | "store">): Koa {
  // The demo keeps the cookie all three frameworks share: Tessera's name, a browser-session cookie
  // unless "remember me" (koa-session's defaults are `koa.sess` and a one-day persistent cookie).
  // csrf: every POST needs the form's `_csrf` token and must come from the demo's own pages.
  const sessions = session<Data>({ ...options, key: "tessera.sid", maxAge: "session", rememberMeSeconds: REMEMBER_ME_SECONDS, csrf: true });
  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      ctx.status = (error as { status?: number }).status ?? 500;
      ctx.body = (error as { code?: string }).code === "CSRF_REJECTED" ? refusedPage(framework) : unavailablePage(framework);
      ctx.app.emit("error", error, ctx);
    }
  });
  app.silent = true; // errors are reported through the "error" event only
  const routes = app.use(sessions);

  routes.use(async (ctx) => {
    const s = ctx.session;
    const route = `${ctx.method} ${ctx.path}`;
    if (route === "GET /") {
      s.visits = (s.visits ?? 0) + 1;
      ctx.body = homePage({ framework, user: s.user, visits: s.visits, notice: s.flash<string>("notice"), csrfToken: s.csrfToken() });
    } else if (route === "POST /login") {
      // The csrf check already read the form into ctx.request.body (when the token came in it).
      const parsed = (ctx.request as { body?: Record<string, unknown> }).body;
      const form = readLoginForm(parsed ?? (await readUrlEncoded(ctx.req)));
      if ("error" in form) s.flash("notice", form.error);
      else {
        // A new, empty session at login: a planted cookie is worthless and planted data stays behind.
        // Carry over only what the app chooses to (here the visit counter).
        const { visits } = s;
        await s.regenerate();
        s.visits = visits;
        s.user = form.username;
        s.owner = form.username;
        s.rememberMe(form.remember);
        s.flash("notice", `Signed in as ${form.username}.`);
      }
      ctx.status = 303;
      ctx.redirect("error" in form ? "/" : "/profile");
    } else if (route === "GET /profile") {
      const notice = s.flash<string>("notice");
      if (!s.user) {
        ctx.status = 401;
        ctx.body = signedOutPage({ framework, visits: s.visits ?? 0, notice });
        return;
      }
      const mine = await sessions.manager.listSessions(s.user);
      ctx.body = profilePage({
        framework,
        user: s.user,
        visits: s.visits ?? 0,
        notice,
        remembered: s.cookie.maxAge !== null,
        csrfToken: s.csrfToken(),
        sessions: mine.map((m) => ({ current: m.id === s.id, lastSeenAt: m.lastSeenAt, persistent: m.persistent })),
      });
    } else if (route === "POST /logout") {
      ctx.session = null;
      ctx.session.flash("notice", "Signed out."); // starts a new, anonymous session
      ctx.status = 303;
      ctx.redirect("/");
    } else if (route === "POST /logout-others") {
      if (s.owner) s.flash("notice", revokedNotice(await sessions.manager.revokeSessions(s.owner, { except: s.id })));
      ctx.status = 303;
      ctx.redirect("/profile");
    } else {
      ctx.status = 404;
    }
  });
  return app;
}
