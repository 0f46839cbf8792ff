/**
 * The demo's pages, as plain HTML strings, so the three apps (Express, Koa, Hono) render the
 * same thing and differ only in how they use their framework and its Tessera adapter.
 */

/** What a page shows. */
export interface PageModel {
  /** The framework's name, shown in the title. */
  framework: string;
  /** The signed-in user, if any. */
  user?: string | undefined;
  /** Visits counted by this session. */
  visits: number;
  /** A one-time message (flash). */
  notice?: string | undefined;
  /** Whether the session cookie is persistent ("remember me"). */
  remembered?: boolean;
  /** The user's sessions (profile page). */
  sessions?: ReadonlyArray<{ current: boolean; lastSeenAt: number; persistent: boolean }>;
  /** A CSRF token from `session.csrfToken()`, sent back by every form in its `_csrf` field. */
  csrfToken?: string;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

function layout(model: PageModel, title: string, body: string): string {
  const notice = model.notice ? `<p class="notice" role="status">${escapeHtml(model.notice)}</p>` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Tessera on ${escapeHtml(model.framework)}</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #1d2433; }
  nav a { margin-right: 1rem; }
  .notice { background: #e8f4ea; border: 1px solid #9ccba5; padding: .5rem .75rem; border-radius: .25rem; }
  form { margin: 1rem 0; }
  input[type=text] { padding: .3rem; }
  button { padding: .3rem .8rem; }
  table { border-collapse: collapse; } td, th { padding: .2rem .6rem; text-align: left; }
</style>
</head>
<body>
<nav><a href="/">Home</a><a href="/profile">Profile</a></nav>
<h1>${escapeHtml(title)}</h1>
${notice}
${body}
<p><small>Tessera on ${escapeHtml(model.framework)}. Visits in this session: <span id="visits">${model.visits}</span></small></p>
</body>
</html>
`;
}

/** The hidden field that carries the CSRF token back with a form (the adapters' `csrf` option checks it). */
function csrfField(model: PageModel): string {
  return model.csrfToken ? `<input type="hidden" name="_csrf" value="${escapeHtml(model.csrfToken)}">` : "";
}

/** The home page: the visit counter, and the login form or who is signed in. */
export function homePage(model: PageModel): string {
  const body = model.user
    ? `<p>Signed in as <strong id="user">${escapeHtml(model.user)}</strong>. <a href="/profile">Your profile</a></p>
<form method="post" action="/logout">${csrfField(model)}<button type="submit">Log out</button></form>`
    : `<form method="post" action="/login">${csrfField(model)}
  <label>Name <input type="text" name="username" required maxlength="40" autocomplete="username"></label>
  <label><input type="checkbox" name="remember"> Remember me</label>
  <button type="submit">Log in</button>
</form>
<p>Any name works: this demo has no passwords. Logging in gives the session a new ID.</p>`;
  return layout(model, "Tessera demo", body);
}

/** The profile page of a signed-in user. */
export function profilePage(model: PageModel & { user: string }): string {
  const rows = (model.sessions ?? [])
    .map(
      (s) =>
        `<tr><td>${s.current ? "this browser" : "elsewhere"}</td><td>${new Date(s.lastSeenAt).toISOString()}</td><td>${s.persistent ? "remembered" : "until the browser closes"}</td></tr>`,
    )
    .join("\n");
  const body = `<p>Signed in as <strong id="user">${escapeHtml(model.user)}</strong>${model.remembered ? " (remembered on this browser)" : ""}.</p>
<h2>Your sessions</h2>
<table><tr><th>where</th><th>last seen</th><th>cookie</th></tr>
${rows}
</table>
<form method="post" action="/logout-others">${csrfField(model)}<button type="submit">Log out my other sessions</button></form>
<form method="post" action="/logout">${csrfField(model)}<button type="submit">Log out</button></form>`;
  return layout(model, "Profile", body);
}

/** The profile page when nobody is signed in (sent with status 401). */
export function signedOutPage(model: PageModel): string {
  return layout(model, "Profile", `<p id="signed-out">Not signed in. <a href="/">Log in</a></p>`);
}

/** The page for a request the CSRF check refused (sent with status 403). */
export function refusedPage(framework: string): string {
  return layout(
    { framework, visits: 0 },
    "Request refused",
    `<p id="refused">This request did not come from this site's own page, so it was refused. <a href="/">Back to the demo</a></p>`,
  );
}

/** The page for a store outage (sent with status 503). */
export function unavailablePage(framework: string): string {
  return layout({ framework, visits: 0 }, "Try again soon", "<p>The session store is not answering.</p>");
}
