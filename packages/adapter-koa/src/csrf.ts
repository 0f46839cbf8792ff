/**
 * The `csrf` option on Koa: gathers what the core's `checkCsrf` needs from the context (the token
 * from the header, else from the URL-encoded form field) and throws the refusal into Koa's error
 * handling. A body a parser set before is read from `ctx.request.body`; otherwise the form is read
 * here and set there, which koa-bodyparser and @koa/bodyparser take as already parsed.
 */
import { type CsrfPolicy, checkCsrf, csrfRejection, type Session } from "@tessera/core";
import { formField, isUrlEncodedForm, readUrlEncodedForm } from "@tessera/core/internal";
import type { DefaultState, ParameterizedContext } from "koa";

type KoaContext = ParameterizedContext<DefaultState, object>;
/** `ctx.request` as the body parsers leave it. */
type ParsedRequest = KoaContext["request"] & { body?: unknown };

async function tokenOf(ctx: KoaContext, policy: CsrfPolicy): Promise<string | null> {
  const header = ctx.get(policy.headerName);
  if (header !== "") return header;
  const request = ctx.request as ParsedRequest;
  if (request.body !== undefined) return formField(request.body, policy.fieldName);
  if (!isUrlEncodedForm(ctx.get("content-type")) || ctx.req.readableEnded) return null;
  const form = await readUrlEncodedForm(ctx.req, undefined, "koa");
  request.body = form;
  return formField(form, policy.fieldName);
}

/** Resolves when the request passes the check on `session`; throws the `CSRF_REJECTED` `SessionError` (status 403) when not. */
export async function verifyCsrf(ctx: KoaContext, session: Session, policy: CsrfPolicy): Promise<void> {
  const target = ctx.originalUrl;
  if (!policy.protects(ctx.method, target)) return;
  const result = checkCsrf(
    {
      method: ctx.method,
      // Not `ctx.origin`: Koa 3 answers it from the request's Origin header.
      url: `${ctx.protocol}://${ctx.host}${target}`,
      origin: ctx.get("origin") || null,
      secFetchSite: ctx.get("sec-fetch-site") || null,
      token: await tokenOf(ctx, policy),
    },
    session,
    policy,
  );
  if (!result.ok) throw csrfRejection(result.reason, "koa");
}
