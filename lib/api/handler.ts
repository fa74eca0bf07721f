import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import { authenticateApiKey } from "../api-keys/keys";
import { clientAddressFrom } from "../auth/client-address";
import { now as clockNow } from "../clock";
import { databaseUnavailable, isPoolExhausted, noteDatabaseError, portalBusy, retryWhileUnreachable } from "../db/availability";
import { env } from "../env";
import { AppError, isAppError, type AppErrorCode, type FieldErrors } from "../errors";
import { consume } from "../limits/rate-limit";
import { logError } from "../log";
import { recordHttpRequest, routePattern } from "../ops/metrics";
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  IDEMPOTENCY_KEY_MESSAGE,
  IDEMPOTENCY_KEY_PATTERN,
  releaseIdempotencyKey,
  requestFingerprint,
  SETTLE_WITHIN_MS,
} from "./idempotency";

// The one door of /api/v1 (docs/decisions/021-service-user-api.md): every route handler is
// `apiRoute(options, handler)`. It authenticates the bearer key (401), applies the key's rate limit
// (429 with Retry-After), reads the body (400 malformed JSON, 413, 415), replays Idempotency-Key
// retries, calls the handler (which calls one use case), and maps every refusal to one error shape:
// {"error": {"code", "message", "fields"}}. Anything else is a 500 with an error id, logged.

export type ApiCall<P> = {
  actor: Actor;
  params: P;
  query: URLSearchParams;
  /** The parsed JSON body (undefined when none was sent), or the text of a CSV body. */
  body: unknown;
  contentType: "json" | "csv" | "none";
  request: Request;
};

export type ApiAnswer = { status: number; body: unknown; headers?: Record<string, string> };

export type ApiRouteOptions = {
  /** POSTs that create or change: an Idempotency-Key header makes a retry return the first answer. */
  idempotent?: boolean;
  /** Which bodies are read: none (GET), JSON, or JSON or CSV (bulk). */
  accepts?: "none" | "json" | "json-or-csv";
  /** Largest body read, in bytes (default 64 KiB). */
  maxBodyBytes?: number;
};

/** The API's status for each refusal of a rule; invalid input is 422 (400 is for JSON that does not parse). */
export const API_STATUS: Record<AppErrorCode, number> = {
  VALIDATION: 422,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export type ApiErrorCode = AppErrorCode | "UNAUTHENTICATED" | "MALFORMED_JSON" | "UNSUPPORTED_MEDIA_TYPE" | "PAYLOAD_TOO_LARGE" | "INTERNAL";

export function apiError(
  status: number,
  code: ApiErrorCode,
  message: string,
  extra: { fields?: FieldErrors; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
): ApiAnswer {
  const fields = extra.fields && Object.keys(extra.fields).length > 0 ? extra.fields : undefined;
  return { status, body: { error: { code, message, ...(fields ? { fields } : {}), ...extra.details } }, headers: extra.headers };
}

/** A rule's refusal as the API's answer; anything that is not one is rethrown (a defect). */
export function answerForError(error: unknown): ApiAnswer {
  if (!isAppError(error)) throw error;
  const headers: Record<string, string> = {};
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  return apiError(API_STATUS[error.code], error.code, error.message, { fields: error.fieldErrors, headers });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CSV_TYPE = /^text\/csv\s*(?:;|$)/i;

function toResponse(answer: ApiAnswer, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers({ "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...answer.headers, ...extraHeaders });
  return new Response(answer.status === 204 ? null : JSON.stringify(answer.body), { status: answer.status, headers });
}

/** The body as text, or null once it passes `max` bytes (read no further: a chunked upload has no Content-Length). */
async function readAtMost(request: Request, max: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readBody(request: Request, options: ApiRouteOptions): Promise<{ ok: true; text: string; contentType: ApiCall<unknown>["contentType"] } | { ok: false; answer: ApiAnswer }> {
  const accepts = options.accepts ?? "none";
  const max = options.maxBodyBytes ?? 64 * 1024;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > max) return { ok: false, answer: apiError(413, "PAYLOAD_TOO_LARGE", `The body can be at most ${max.toLocaleString("en-GB")} bytes`) };
  const text = await readAtMost(request, max);
  if (text === null) return { ok: false, answer: apiError(413, "PAYLOAD_TOO_LARGE", `The body can be at most ${max.toLocaleString("en-GB")} bytes`) };
  if (text.trim() === "") return { ok: true, text: "", contentType: "none" };
  if (accepts === "none") return { ok: true, text: "", contentType: "none" };
  const type = request.headers.get("content-type") ?? "";
  if (JSON_TYPE.test(type)) return { ok: true, text, contentType: "json" };
  if (accepts === "json-or-csv" && CSV_TYPE.test(type)) return { ok: true, text, contentType: "csv" };
  const wanted = accepts === "json-or-csv" ? "application/json or text/csv" : "application/json";
  return { ok: false, answer: apiError(415, "UNSUPPORTED_MEDIA_TYPE", `Send the body as ${wanted} (Content-Type header)`) };
}

/**
 * A route handler for /api/v1. `handler` gets the caller's Actor (the key's service account) and the
 * input, calls one use case and returns the answer; it throws AppError for refusals.
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(options: ApiRouteOptions, handler: (call: ApiCall<P>) => Promise<ApiAnswer>) {
  return async function route(request: Request, context: { params: Promise<P> }): Promise<Response> {
    const startedAt = process.hrtime.bigint();
    const response = await answerRequest(request, context);
    // Counted by the route's pattern, not its path: a reference or Device ID is not a label. Next
    // gives a route without dynamic segments no params at all; and counting never fails an answer.
    try {
      const params = await Promise.resolve(context?.params).catch(() => undefined);
      recordHttpRequest(request.method, routePattern(new URL(request.url).pathname, params), response.status, startedAt);
    } catch (error) {
      logError(error, { path: new URL(request.url).pathname }, "API request not counted in the metrics");
    }
    return response;
  };

  async function answerRequest(request: Request, context: { params: Promise<P> }): Promise<Response> {
    const requestId = randomUUID();
    const ids = { "X-Request-Id": requestId };
    try {
      const authorization = request.headers.get("authorization") ?? "";
      const bearer = /^Bearer\s+(.+)$/i.exec(authorization)?.[1];
      const identity = bearer ? await authenticateApiKey(bearer) : null;
      if (!identity) {
        return toResponse(
          apiError(401, "UNAUTHENTICATED", bearer ? "The API key is not valid (unknown, mistyped or revoked)" : "Send an API key: Authorization: Bearer <key>", {
            headers: { "WWW-Authenticate": 'Bearer realm="install-code-requests"' },
          }),
          ids,
        );
      }
      const actor: Actor = { ...identity.actor, clientAddress: clientAddressFrom(request.headers.get("x-forwarded-for"), env().trustedProxyHops) };

      const perMinute = env().apiRequestsPerKeyPerMinute;
      const limit = await consume({ name: "api", points: perMinute, durationSeconds: 60 }, identity.keyId, (error) =>
        logError(error, { limit: "api" }, "rate limit store unavailable: allowing the request"),
      );
      if (!limit.allowed) {
        return toResponse(
          apiError(429, "RATE_LIMITED", `This API key has made ${perMinute.toLocaleString("en-GB")} calls in the last minute, the most allowed. Try again in ${limit.retryAfterSeconds} seconds.`, {
            headers: { "Retry-After": String(limit.retryAfterSeconds) },
          }),
          ids,
        );
      }

      const read = await readBody(request, options);
      if (!read.ok) return toResponse(read.answer, ids);
      let body: unknown = undefined;
      if (read.contentType === "json") {
        try {
          body = JSON.parse(read.text);
        } catch {
          return toResponse(apiError(400, "MALFORMED_JSON", "The body is not valid JSON"), ids);
        }
      } else if (read.contentType === "csv") {
        body = read.text;
      }
      const call: ApiCall<P> = { actor, params: await context.params, query: new URL(request.url).searchParams, body, contentType: read.contentType, request };

      const key = options.idempotent ? request.headers.get("idempotency-key") : null;
      if (key === null) return toResponse(await answer(handler, call), ids);
      if (!IDEMPOTENCY_KEY_PATTERN.test(key)) return toResponse(apiError(422, "VALIDATION", IDEMPOTENCY_KEY_MESSAGE, { fields: { "Idempotency-Key": [IDEMPOTENCY_KEY_MESSAGE] } }), ids);
      const path = new URL(request.url).pathname;
      const claim = await claimIdempotencyKey(actor.organisationId, key, requestFingerprint(request.method, path, read.text), clockNow());
      if (claim.kind === "replay") return toResponse({ status: claim.answer.status, body: claim.answer.body }, { ...ids, "Idempotent-Replayed": "true" });
      if (claim.kind === "mismatch") {
        return toResponse(apiError(422, "VALIDATION", "This Idempotency-Key was used for a different request: use a new key for a new request", { fields: { "Idempotency-Key": ["Already used for a different request"] } }), ids);
      }
      if (claim.kind === "in-progress") {
        return toResponse(apiError(409, "CONFLICT", "A request with this Idempotency-Key is still being answered: try again in a few seconds", { headers: { "Retry-After": "2" } }), ids);
      }
      let result: ApiAnswer;
      try {
        result = await answer(handler, call);
      } catch (error) {
        await releaseIdempotencyKey(claim.id).catch((e) => logError(e, { requestId }, "could not release an idempotency key"));
        throw error;
      }
      // Limits and faults are not answers: a retry with the key should act once they pass.
      const settle =
        result.status === 429 || result.status >= 500
          ? () => releaseIdempotencyKey(claim.id)
          : () => completeIdempotencyKey(claim.id, { status: result.status, body: result.body }, clockNow());
      await settle().catch((error: unknown) => {
        if (!noteDatabaseError(error)) throw error;
        // The database went away after the call was answered (committed, or refused): answer it as it
        // was. Its key is settled once the database is back, before the claim lapses, so that a retry
        // is replayed rather than acting a second time (the load-and-fault test found notes added twice).
        void retryWhileUnreachable(settle, SETTLE_WITHIN_MS).catch((e: unknown) => logError(e, { requestId }, "could not record an Idempotency-Key's answer"));
      });
      return toResponse(result, ids);
    } catch (error) {
      // The database out of reach (a restart, a failover): 503 and when to try again, not a 500.
      if (noteDatabaseError(error)) return toResponse(answerForError(databaseUnavailable()), ids);
      // Every pooled connection busy for POOL_WAIT_TIMEOUT_MS: overloaded, not an outage.
      if (isPoolExhausted(error)) return toResponse(answerForError(portalBusy()), ids);
      logError(error, { requestId, path: new URL(request.url).pathname, method: request.method }, "API request failed");
      return toResponse(apiError(500, "INTERNAL", `Something went wrong on our side. Quote ${requestId} to the DCC Service Desk if it happens again.`), ids);
    }
  }
}

async function answer<P>(handler: (call: ApiCall<P>) => Promise<ApiAnswer>, call: ApiCall<P>): Promise<ApiAnswer> {
  try {
    return await handler(call);
  } catch (error) {
    if (isAppError(error)) return answerForError(error);
    throw error;
  }
}

/** A JSON body the handler expects to be an object: anything else is a 422 saying so. */
export function bodyObject(call: ApiCall<unknown>): Record<string, unknown> {
  const body = call.body ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw AppError.validation({ body: ["Send a JSON object, like {\"deviceId\": \"00-DB-12-34-56-78-90-A0\"}"] }, "The body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

/** A use case's field names as the API's: a VALIDATION refusal names the API's field. */
export function withApiFieldNames<T>(names: Record<string, string>) {
  return (error: unknown): T => {
    if (isAppError(error) && error.code === "VALIDATION") {
      const fields = Object.fromEntries(Object.entries(error.fieldErrors).map(([field, messages]) => [names[field] ?? field, messages]));
      throw new AppError("VALIDATION", error.message, fields);
    }
    throw error;
  };
}

/** The value of a JSON body's field, or undefined: use cases validate it (a non-string is refused there). */
export function field(body: Record<string, unknown>, name: string): never {
  return (Object.hasOwn(body, name) ? body[name] : undefined) as never;
}
