/**
 * The `csrf` option on Hono: gathers what the core's `checkCsrf` needs from the request (the token
 * from the header, else from the form field) and answers a refusal with an `HTTPException` (403).
 * The form is read with `c.req.parseBody()`, which Hono caches: the handler's own `parseBody()`
 * (or `formData()`) gets the same fields without reading the body again.
 */
import { type CsrfPolicy, checkCsrf, csrfRejection, type Session, type SessionData } from "@tessera/core";
import { formField, isUrlEncodedForm } from "@tessera/core/internal";
import type { Context } from "hono";

function isMultipartForm(contentType: string | undefined): boolean {
  return contentType?.trimStart().toLowerCase().startsWith("multipart/form-data") === true;
}

async function tokenOf(c: Context, policy: CsrfPolicy): Promise<string | null> {
  const header = c.req.header(policy.headerName);
  if (header !== undefined) return header;
  const contentType = c.req.header("content-type");
  if (!isUrlEncodedForm(contentType) && !isMultipartForm(contentType)) return null;
  return formField(await c.req.parseBody(), policy.fieldName);
}

/**
 * Resolves when the request passes the check on `session`; rejects with the `CSRF_REJECTED`
 * `SessionError` (status 403) when not. `secure`: the request is HTTPS (a TLS proxy's `X-Forwarded-Proto` counted).
 */
export async function verifyCsrf<Data extends SessionData>(
  c: Context,
  session: Session<Data>,
  policy: CsrfPolicy,
  secure: boolean,
): Promise<void> {
  const method = c.req.method;
  const url = secure && c.req.url.startsWith("http:") ? `https:${c.req.url.slice(5)}` : c.req.url;
  if (!policy.protects(method, url)) return;
  const result = checkCsrf(
    {
      method,
      url,
      origin: c.req.header("origin") ?? null,
      secFetchSite: c.req.header("sec-fetch-site") ?? null,
      token: await tokenOf(c, policy),
    },
    session,
    policy,
  );
  if (!result.ok) throw csrfRejection(result.reason, "hono");
}
