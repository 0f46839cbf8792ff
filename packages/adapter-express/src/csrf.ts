/**
 * The `csrf` option on Express: gathers what the core's `checkCsrf` needs from the request (the
 * token from the header, else from the URL-encoded form field) and hands a refusal to `next`.
 * A form the app's `express.urlencoded()` already parsed is read from `req.body`; otherwise the
 * body is read here and left parsed as body-parser leaves it, so a parser mounted later skips it.
 */
import type { IncomingMessage } from "node:http";
import { type CsrfPolicy, checkCsrf, csrfRejection, type Session } from "@tessera/core";
import { formField, isUrlEncodedForm, readUrlEncodedForm } from "@tessera/core/internal";

/** A request as body-parser leaves it: `req.body` parsed, and `_body` set so its other parsers skip it. */
interface ParsedRequest extends IncomingMessage {
  body?: unknown;
  _body?: boolean;
  originalUrl?: string;
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

async function tokenOf(req: ParsedRequest, policy: CsrfPolicy): Promise<string | null> {
  const header = headerValue(req, policy.headerName);
  if (header !== null) return header;
  if (req._body === true || (typeof req.body === "object" && req.body !== null)) return formField(req.body, policy.fieldName);
  if (!isUrlEncodedForm(req.headers["content-type"]) || req.readableEnded) return null;
  const form = await readUrlEncodedForm(req, undefined, "express");
  req.body = form;
  req._body = true;
  return formField(form, policy.fieldName);
}

/**
 * Resolves when `req` passes the check on `session`; rejects with the `CSRF_REJECTED`
 * `SessionError` (status 403) when it does not.
 */
export async function verifyCsrf(req: IncomingMessage, session: Session, policy: CsrfPolicy, secure: boolean): Promise<void> {
  const request = req as ParsedRequest;
  const method = req.method ?? "GET";
  const target = request.originalUrl ?? req.url ?? "/";
  if (!policy.protects(method, target)) return;
  const result = checkCsrf(
    {
      method,
      url: `${secure ? "https" : "http"}://${req.headers.host ?? "localhost"}${target}`,
      origin: headerValue(req, "origin"),
      secFetchSite: headerValue(req, "sec-fetch-site"),
      token: await tokenOf(request, policy),
    },
    session,
    policy,
  );
  if (!result.ok) throw csrfRejection(result.reason, "express");
}
