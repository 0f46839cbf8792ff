/**
 * The demo on Express, written as an express-session app would be: `req.session.user = ...`,
 * `regenerate`/`destroy` with promises, `cookie.maxAge` for "remember me".
 */
import { type SessionOptions, session } from "@tessera/adapter-express";
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
import express, { type ErrorRequestHandler, type Express } from "express";

declare module "@tessera/adapter-express" {
  interface SessionData {
    user: string;
    visits: number;
  }
}

const framework = "Express";

export function createApp(options: Pick<SessionOptions, "secret" | "store">): Express {
  // The demo keeps the cookie name all three frameworks share (express-session's default is connect.sid).
  // csrf: every POST needs the form's `_csrf` token and must come from the demo's own pages.
  const sessions = session({ ...options, name: "tessera.sid", rememberMeSeconds: REMEMBER_ME_SECONDS, csrf: true });
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: "16kb" }));
  app.use(sessions);

  app.get("/", (req, res) => {
    req.session.visits = (req.session.visits ?? 0) + 1;
    res.send(
      homePage({
        framework,
        user: req.session.user,
        visits: req.session.visits,
        notice: req.session.flash<string>("notice"),
        csrfToken: req.session.csrfToken(),
      }),
    );
  });

  app.post("/login", async (req, res) => {
    const form = readLoginForm(req.body ?? {});
    if ("error" in form) {
      req.session.flash("notice", form.error);
      res.redirect(303, "/");
      return;
    }
    // A new, empty session at login: a planted cookie is worthless and planted data stays behind.
    // Carry over only what the app chooses to (here the visit counter).
    const { visits } = req.session;
    await req.session.regenerate();
    req.session.visits = visits;
    req.session.user = form.username;
    req.session.owner = form.username;
    req.session.cookie.maxAge = form.remember ? REMEMBER_ME_SECONDS * 1000 : null;
    req.session.flash("notice", `Signed in as ${form.username}.`);
    res.redirect(303, "/profile");
  });

  app.get("/profile", async (req, res) => {
    const { user, visits = 0 } = req.session;
    const notice = req.session.flash<string>("notice");
    if (!user) {
      res.status(401).send(signedOutPage({ framework, visits, notice }));
      return;
    }
    const mine = await sessions.manager.listSessions(user);
    const current = req.session.id;
    res.send(
      profilePage({
        framework,
        user,
        visits,
        notice,
        remembered: req.session.cookie.maxAge !== null,
        csrfToken: req.session.csrfToken(),
        sessions: mine.map((s) => ({ current: s.id === current, lastSeenAt: s.lastSeenAt, persistent: s.persistent })),
      }),
    );
  });

  app.post("/logout", async (req, res) => {
    await req.session.destroy();
    req.session.flash("notice", "Signed out."); // starts a new, anonymous session
    res.redirect(303, "/");
  });

  app.post("/logout-others", async (req, res) => {
    const owner = req.session.owner;
    if (!owner) {
      res.redirect(303, "/profile");
      return;
    }
    const count = await sessions.manager.revokeSessions(owner, { except: req.session.id });
    req.session.flash("notice", revokedNotice(count));
    res.redirect(303, "/profile");
  });

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const status = error.status ?? 500;
    res.status(status).send(error.code === "CSRF_REJECTED" ? refusedPage(framework) : unavailablePage(framework));
  };
  app.use(onError);
  return app;
}
