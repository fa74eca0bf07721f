import type { z } from "zod";

// One error type for every rule the portal enforces. Routes and server actions map it once to an
// HTTP status or a form state; anything else that escapes a use case is a defect (a 500).

export type AppErrorCode =
  | "VALIDATION" // the input is wrong: field messages say how
  | "NOT_FOUND" // absent, or not visible to this actor (never told apart: references cannot be probed)
  | "FORBIDDEN" // visible, but this actor may not do this
  | "CONFLICT" // the state changed, or a duplicate
  | "RATE_LIMITED" // too many of these in a short time: try again after retryAfterSeconds
  | "UNAVAILABLE"; // try again shortly (e.g. the embedded database is busy)

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors: FieldErrors = {},
    /** RATE_LIMITED, UNAVAILABLE: when trying again makes sense (an API answers Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }

  static validation(fieldErrors: FieldErrors, message = "Check the highlighted fields"): AppError {
    return new AppError("VALIDATION", message, fieldErrors);
  }

  static notFound(message = "Not found"): AppError {
    return new AppError("NOT_FOUND", message);
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  VALIDATION: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Parses input with a use case's schema; a failure is a VALIDATION AppError with field messages. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // A Map, then own properties: no field name can reach an object's prototype.
  const byField = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : "form";
    byField.set(field, [...(byField.get(field) ?? []), issue.message]);
  }
  throw AppError.validation(Object.fromEntries(byField));
}

/** What a form shows after a server action: field messages, a message, and the values to keep. */
export type FormState = {
  ok?: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
};

/** The one mapping from a rule's refusal to a form's state; anything else is a defect and is rethrown. */
export function formStateFromError(error: unknown, values?: Record<string, string>): FormState {
  if (!isAppError(error)) throw error;
  return { ok: false, message: error.message, fieldErrors: error.fieldErrors, values };
}
