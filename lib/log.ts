import pino, { type DestinationStream, type Logger } from "pino";

// The server's one structured logger: JSON lines on stdout, secrets removed before a line is
// written. Keys that carry secrets are redacted by name (pino's `redact`); free text (log messages,
// error messages) goes through scrubSecrets. See docs/decisions/009-logging-and-error-ids.md.
// LOG_LEVEL is read here, not through lib/env.ts, so that a bad configuration can still be logged.

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type LogContext = Record<string, unknown>;

export const CENSOR = "[redacted]";

/** Keys whose values are never written, wherever they sit in the first three levels of a log object. */
export const REDACTED_KEYS = [
  "installCode",
  "code",
  "encrypted",
  "body",
  "note",
  "noteBody",
  "text",
  "html",
  "token",
  "sessionToken",
  "password",
  "secret",
  "key",
  "apiKey",
  "authorization",
  "cookie",
  "cookies",
  "url",
  "INSTALL_CODE_KEY",
  "AUTH_SECRET",
  "SMTP_URL",
  "DATABASE_URL",
  "databaseUrl",
  "smtpUrl",
  "authSecret",
  "installCodeKey",
  "installCodeKeys",
] as const;

// pino's `*` matches exactly one level, so each key is listed at the top and one and two levels down.
const REDACT_PATHS = [
  ...REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  ...["headers.cookie", "headers.authorization", "req.headers.cookie", "req.headers.authorization"].flatMap((p) => [
    p,
    `*.${p}`,
  ]),
];

type Rule = [RegExp, (match: string, ...groups: string[]) => string];

const SCRUB_RULES: Rule[] = [
  // Cookie / Set-Cookie / Authorization header values, up to the end of the line.
  [/\b((?:set-)?cookie|authorization)(\s*[:=]\s*)[^\r\n]+/gi, (_m, name: string, sep: string) => `${name}${sep}${CENSOR}`],
  // next-auth's cookies (session, CSRF, callback) named anywhere, e.g. in a pasted header.
  [/((?:__Secure-|__Host-)?next-auth\.[\w.-]+)=[^;\s&"']+/gi, (_m, name: string) => `${name}=${CENSOR}`],
  // Passwords in connection URLs: postgres://user:password@host, smtps://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/gi, (_m, userPart: string) => `${userPart}:${CENSOR}@`],
  // Tokens, secrets and keys in query strings or key=value text (a sign-in link's token=...).
  [
    /(^|[?&;\s"'(])([\w.-]*(?:token|secret|password|passwd|api_?key|key|signature|code)=)[^&\s#"';)]+/gi,
    (_m, before: string, name: string) => `${before}${name}${CENSOR}`,
  ],
  // A bearer credential written without its header name.
  [/\bBearer\s+[\w.~+/=-]+/gi, () => `Bearer ${CENSOR}`],
  // JWTs (next-auth's JWE/JWT tokens begin with eyJ).
  [/\beyJ[\w-]*\.[\w-]+(?:\.[\w-]*){0,3}/g, () => CENSOR],
  // Anything that looks like an Install Code: 12 or more hexadecimal digits, bare or in groups
  // (as on a label). This also masks UUIDs (session tokens among them) and hex keys, by design.
  [
    /[0-9A-Fa-f]{4,}(?:[ -]?[0-9A-Fa-f]{4,})*/g,
    (run: string) => (run.replace(/[ -]/g, "").length >= 12 ? CENSOR : run),
  ],
  // Long random-looking runs (base64url secrets, stored "v1."/"v2." ciphertexts): 32+ characters mixing
  // letters and digits.
  [/[A-Za-z0-9_-]{32,}/g, (run: string) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? CENSOR : run)],
];

/**
 * Masks what may be secret in free text: Install Codes (12+ hex digits), next-auth tokens and
 * cookies, URLs with token=..., Cookie and Authorization header values, passwords in connection
 * URLs. Pure; errs towards masking.
 */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replace] of SCRUB_RULES) out = out.replace(pattern, replace as (substring: string, ...args: string[]) => string);
  return out;
}

/**
 * An error's own code ("P2002", "ECONNREFUSED", an AppError code), vetted by serializeError. `code`
 * is also how an Install Code is named, so the key is redacted everywhere; the censor lets this
 * box, and only it, through.
 */
class ErrorCode {
  constructor(readonly value: string | number) {}
  toJSON(): string | number {
    return this.value;
  }
}

type SerializedError = {
  type: string;
  message: string;
  stack?: string;
  code?: ErrorCode;
  digest?: string;
  cause?: SerializedError;
};

/** Scrubs the stack's header (it repeats the message) and keeps its frames, file paths and all. */
function scrubStack(stack: string): string {
  const firstFrame = stack.search(/^\s+at /m);
  if (firstFrame < 0) return scrubSecrets(stack);
  return scrubSecrets(stack.slice(0, firstFrame)) + stack.slice(firstFrame);
}

/** The `err` serializer: name, message, stack, code, digest (and cause), with free text scrubbed. */
export function serializeError(value: unknown, depth = 0): SerializedError {
  if (!(value instanceof Error)) {
    // Something other than an Error was thrown: its own message if it has one, never its fields.
    const message = typeof value === "object" && value !== null && "message" in value ? (value as { message: unknown }).message : value;
    return { type: value === null ? "null" : typeof value, message: scrubSecrets(typeof message === "object" ? "(not an Error)" : String(message)) };
  }
  const extra = value as Error & { code?: unknown; digest?: unknown };
  const out: SerializedError = { type: value.name, message: scrubSecrets(value.message) };
  if (typeof value.stack === "string") out.stack = scrubStack(value.stack);
  if (typeof extra.code === "string" || typeof extra.code === "number") {
    const text = String(extra.code);
    if (text.length <= 64 && scrubSecrets(text) === text) out.code = new ErrorCode(extra.code);
  }
  if (typeof extra.digest === "string") out.digest = extra.digest;
  if (value.cause !== undefined && depth < 3) out.cause = serializeError(value.cause, depth + 1);
  return out;
}

function censor(value: unknown): unknown {
  return value instanceof ErrorCode ? value.value : CENSOR;
}

const LEVELS: readonly string[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function levelFromEnv(): LogLevel {
  const raw = process.env.LOG_LEVEL?.trim().toLowerCase();
  return raw && LEVELS.includes(raw) ? (raw as LogLevel) : "info";
}

/** A logger writing JSON lines to `destination`; `logger()` uses it with stdout. */
export function createLogger(destination: DestinationStream, level: LogLevel = levelFromEnv()): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor },
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        // Messages are free text: scrub them. An Error logged on its own would have its raw
        // message copied into msg by pino: give it the scrubbed one instead.
        logMethod(args, method) {
          const out: unknown[] = (args as unknown[]).map((a) => (typeof a === "string" ? scrubSecrets(a) : a));
          if (out[0] instanceof Error && typeof out[1] !== "string") out.splice(1, 0, scrubSecrets(out[0].message));
          return method.apply(this, out as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

// One logger per process: Next loads server code in several module graphs (and dev reloads them),
// so the instance lives on globalThis.
type Slot = { __installCodePortalLogger?: Logger };
const slot = globalThis as unknown as Slot;

/** The server's logger, created on first use. */
export function logger(): Logger {
  slot.__installCodePortalLogger ??= createLogger(pino.destination({ dest: 1, sync: true }));
  return slot.__installCodePortalLogger;
}

/** Tests: send `logger()`'s output to `destination`; no argument goes back to stdout (lazily). */
export function setLogDestinationForTests(destination?: DestinationStream, level: LogLevel = "info"): void {
  slot.__installCodePortalLogger = destination ? createLogger(destination, level) : undefined;
}

/** Logs an unexpected error with its context at level "error". Never throws. */
export function logError(error: unknown, context: LogContext = {}, message = "unexpected error"): void {
  try {
    logger().error({ ...context, err: error }, message);
  } catch {
    // Logging must never take a request or a job down with it.
  }
}
