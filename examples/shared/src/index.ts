/** What the demo apps share. */
export { readUrlEncoded } from "./form.js";
export { REMEMBER_ME_SECONDS, readLoginForm, revokedNotice } from "./login.js";
export { escapeHtml, homePage, type PageModel, profilePage, refusedPage, signedOutPage, unavailablePage } from "./pages.js";
export { createDemoStore, type DemoStore } from "./store.js";

/** The demo's signing secret when `SESSION_SECRET` is not set. Demo only: never use a fixed secret in production. */
export const DEMO_SECRET = "tessera-demo-secret-do-not-use-in-production-0123456789";
