import { afterEach, describe, expect, it, vi } from "vitest";
import { onRequestError } from "@/instrumentation";
import { CENSOR, createLogger, logError, logger, REDACTED_KEYS, scrubSecrets, setLogDestinationForTests, type LogLevel } from "@/lib/log";

/** A destination that keeps every line pino writes, and the lines parsed. */
function capture(level: LogLevel = "info") {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) };
  return {
    destination,
    log: createLogger(destination, level),
    text: () => lines.join(""),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const INSTALL_CODE = "83FED3407A939723A5C639B26916D505";
const NESTED_INSTALL_CODE = "A1B2C3D4E5F60718293A4B5C6D7E8F90";
const NOTE_BODY = "Meter is behind the boiler, ring twice at the side gate";
const SIGN_IN_TOKEN = "9c1f3b7ad02e44d1b8f6e5a4c3b2a19087f6e5d4c3b2a190";
const SIGN_IN_URL = `http://portal.test/api/auth/callback/email?token=${SIGN_IN_TOKEN}&email=ann%40supplier.test`;
const SESSION_TOKEN = "2f1c8a90-3b4d-4e5f-8a6b-7c8d9e0f1a2b";
const COOKIE_HEADER = `next-auth.session-token=${SESSION_TOKEN}; next-auth.csrf-token=csrfvalue77`;
const API_KEY = "icp_live_Zk3Qp9Lm2Xv8Rt5Wn1Yb";
const AUTH_SECRET = "test-secret-test-secret-test-secret-0123";
const DB_PASSWORD = "Pg-Passw0rd-xyzzy";
const DATABASE_URL = `postgres://portal:${DB_PASSWORD}@db.internal:5432/portal`;
const ERROR_TOKEN = "deadbeefcafebabe0011223344556677";

afterEach(() => {
  setLogDestinationForTests();
  vi.unstubAllEnvs();
});

describe("the logger's redaction", () => {
  it("writes none of the secrets it is given, and keeps the context around them", () => {
    const { log, text, records } = capture();
    const failure = new Error(
      `could not decrypt ${INSTALL_CODE} for RIC0000042; link http://portal.test/api/auth/callback/email?token=${ERROR_TOKEN} rejected; database ${DATABASE_URL} refused`,
    );
    log.error(
      {
        reference: "RIC0000042",
        installCode: INSTALL_CODE,
        request: { reference: "RIC0000042", installCode: NESTED_INSTALL_CODE, noteBody: NOTE_BODY },
        note: NOTE_BODY,
        email: { to: "ann@supplier.test", url: SIGN_IN_URL, text: `Sign in: ${SIGN_IN_URL}`, html: `<a href="${SIGN_IN_URL}">Sign in</a>` },
        session: { sessionToken: SESSION_TOKEN },
        req: { method: "GET", headers: { cookie: COOKIE_HEADER, authorization: `Bearer ${API_KEY}` } },
        client: { apiKey: API_KEY },
        config: { AUTH_SECRET, DATABASE_URL },
        err: failure,
      },
      `reveal failed for RIC0000042 with code ${INSTALL_CODE}`,
    );

    const out = text();
    for (const secret of [
      INSTALL_CODE,
      NESTED_INSTALL_CODE,
      NOTE_BODY,
      SIGN_IN_TOKEN,
      SESSION_TOKEN,
      "csrfvalue77",
      API_KEY,
      AUTH_SECRET,
      DB_PASSWORD,
      ERROR_TOKEN,
    ]) {
      expect(out, secret).not.toContain(secret);
    }

    const [record] = records();
    expect(record.reference).toBe("RIC0000042");
    expect(record.request).toEqual({ reference: "RIC0000042", installCode: CENSOR, noteBody: CENSOR });
    expect(record.installCode).toBe(CENSOR);
    expect(record.email).toEqual({ to: "ann@supplier.test", url: CENSOR, text: CENSOR, html: CENSOR });
    expect(record.req).toEqual({ method: "GET", headers: { cookie: CENSOR, authorization: CENSOR } });
    expect(record.msg).toBe(`reveal failed for RIC0000042 with code ${CENSOR}`);
    const err = record.err as { type: string; message: string; stack: string };
    expect(err.type).toBe("Error");
    expect(err.message).toBe(
      `could not decrypt ${CENSOR} for RIC0000042; link http://portal.test/api/auth/callback/email?token=${CENSOR} rejected; database postgres://portal:${CENSOR}@db.internal:5432/portal refused`,
    );
    // The stack repeats the message: scrubbed there too, frames kept.
    expect(err.stack).toContain("could not decrypt [redacted] for RIC0000042");
    expect(err.stack).toMatch(/\n\s+at /);
  });

  it.each([0, 1, 2])("redacts every listed key %i level(s) down", (depth) => {
    const { log, records } = capture();
    for (const key of REDACTED_KEYS) {
      let value: Record<string, unknown> = { [key]: `value-of-${key}`, kept: "visible" };
      for (let i = 0; i < depth; i++) value = { level: value };
      log.info(value, key);
    }
    const out = records();
    expect(out).toHaveLength(REDACTED_KEYS.length);
    for (const record of out) {
      let inner = record;
      for (let i = 0; i < depth; i++) inner = inner.level as Record<string, unknown>;
      expect(inner[record.msg as string], record.msg as string).toBe(CENSOR);
      expect(inner.kept).toBe("visible");
    }
  });

  it("redacts a child logger's bindings and an Error logged on its own", () => {
    const { log, text, records } = capture();
    log.child({ token: SIGN_IN_TOKEN, job: "cleanup" }).info("started");
    log.error(new Error(`bad code ${INSTALL_CODE}`));
    expect(text()).not.toContain(SIGN_IN_TOKEN);
    expect(text()).not.toContain(INSTALL_CODE);
    const [child, error] = records();
    expect(child).toMatchObject({ token: CENSOR, job: "cleanup", msg: "started" });
    expect(error.msg).toBe(`bad code ${CENSOR}`);
  });

  it("keeps an error's own code and digest, but not an Install Code passed off as a code", () => {
    const { log, text, records } = capture();
    log.error({ err: Object.assign(new Error("unique constraint"), { code: "P2002", digest: "2213874950" }) }, "a");
    log.error({ err: Object.assign(new Error("odd"), { code: INSTALL_CODE }) }, "b");
    log.error({ err: { code: INSTALL_CODE, message: "not an Error" } }, "c");
    log.error({ code: "VALIDATION" }, "d");
    const [a, b, c, d] = records();
    expect(a.err).toMatchObject({ message: "unique constraint", code: "P2002", digest: "2213874950" });
    expect((b.err as Record<string, unknown>).code).toBeUndefined();
    expect(c.err).toEqual({ type: "object", message: "not an Error" });
    expect(d.code).toBe(CENSOR);
    expect(text()).not.toContain(INSTALL_CODE);
  });
});

describe("scrubSecrets", () => {
  it.each([
    ["bare Install Code", `code ${INSTALL_CODE} rejected`, `code ${CENSOR} rejected`],
    ["lower-case, 12 digits", "code 83fed3407a93 rejected", `code ${CENSOR} rejected`],
    ["grouped as on a label", "code 83FE D340 7A93 9723 A5C6 rejected", `code ${CENSOR} rejected`],
    ["hyphenated groups", "code 83FE-D340-7A93 rejected", `code ${CENSOR} rejected`],
    ["a UUID session token", `session ${SESSION_TOKEN} expired`, `session ${CENSOR} expired`],
    ["sign-in link", `open ${SIGN_IN_URL} now`, `open http://portal.test/api/auth/callback/email?token=${CENSOR}&email=ann%40supplier.test now`],
    ["token in key=value text", "token=abc.def-ghi failed", `token=${CENSOR} failed`],
    ["Cookie header", `Cookie: ${COOKIE_HEADER}\nnext line`, `Cookie: ${CENSOR}\nnext line`],
    ["next-auth cookie alone", "got __Secure-next-auth.session-token=abc123; Path=/", `got __Secure-next-auth.session-token=${CENSOR}; Path=/`],
    ["Authorization header", `authorization: Bearer ${API_KEY}`, `authorization: ${CENSOR}`],
    ["bare bearer credential", `sent Bearer ${API_KEY}`, `sent Bearer ${CENSOR}`],
    ["JWT", "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl ok", `jwt ${CENSOR} ok`],
    ["postgres password", DATABASE_URL, `postgres://portal:${CENSOR}@db.internal:5432/portal`],
    ["smtps password", "smtps://mailer:hunter2@smtp.example:465", `smtps://mailer:${CENSOR}@smtp.example:465`],
    ["base64url secret", `secret ${"Ab3".repeat(12)} leaked`, `secret ${CENSOR} leaked`],
    ["reference and dates", "Request RIC0000042 was closed on 2026-01-05", "Request RIC0000042 was closed on 2026-01-05"],
    ["Device ID in pairs", "Device 00-0A-1B-2C-3D-4E-5F-60 not found", "Device 00-0A-1B-2C-3D-4E-5F-60 not found"],
    ["URL with a port, no password", "GET http://localhost:3000/requests failed", "GET http://localhost:3000/requests failed"],
    ["short hex and error codes", "P2002 ECONNREFUSED cafe 0xff", "P2002 ECONNREFUSED cafe 0xff"],
  ])("%s", (_name, input, expected) => {
    expect(scrubSecrets(input)).toBe(expected);
  });
});

describe("logger() and logError", () => {
  it("takes its level from LOG_LEVEL, and 'silent' writes nothing", () => {
    const lines: string[] = [];
    const destination = { write: (line: string) => void lines.push(line) };
    vi.stubEnv("LOG_LEVEL", "warn");
    const quiet = createLogger(destination);
    quiet.info("dropped");
    quiet.warn("kept");
    expect(quiet.level).toBe("warn");
    expect(lines).toHaveLength(1);

    const silent = capture("silent");
    silent.log.error("nothing");
    expect(silent.text()).toBe("");

    vi.stubEnv("LOG_LEVEL", "loud");
    expect(createLogger(destination).level).toBe("info");
    vi.stubEnv("LOG_LEVEL", " Debug ");
    expect(createLogger(destination).level).toBe("debug");
  });

  it("is one logger per process, and logError writes the error with its context", () => {
    const { destination, text } = capture();
    setLogDestinationForTests(destination);
    expect(logger()).toBe(logger());
    logError(new Error(`failed on ${INSTALL_CODE}`), { emailId: "e-1", attempt: 3 }, "email delivery failed");
    const record = JSON.parse(text());
    expect(record).toMatchObject({ level: 50, emailId: "e-1", attempt: 3, msg: "email delivery failed" });
    expect(record.err.message).toBe(`failed on ${CENSOR}`);
  });

  it("logError never throws, even when the destination does", () => {
    setLogDestinationForTests({
      write: () => {
        throw new Error("disk full");
      },
    });
    expect(() => logError(new Error("x"), { a: 1 })).not.toThrow();
    expect(() => logError("a string was thrown")).not.toThrow();
  });
});

describe("onRequestError (instrumentation.ts)", () => {
  it("logs the digest, path, method and router kind, and nothing from the request's headers", async () => {
    const { destination, text } = capture();
    setLogDestinationForTests(destination);
    const error = Object.assign(new Error(`render failed for ${INSTALL_CODE}`), { digest: "3181428270" });
    await onRequestError(
      error,
      {
        path: `/requests/RIC0000042?token=${SIGN_IN_TOKEN}`,
        method: "GET",
        headers: { cookie: COOKIE_HEADER, authorization: `Bearer ${API_KEY}`, "x-forwarded-for": "203.0.113.9" },
      },
      { routerKind: "App Router", routePath: "/requests/[reference]", routeType: "render", revalidateReason: undefined },
    );

    const record = JSON.parse(text());
    expect(record).toMatchObject({
      level: 50,
      msg: "request failed",
      digest: "3181428270",
      path: "/requests/RIC0000042",
      method: "GET",
      routerKind: "App Router",
      routePath: "/requests/[reference]",
      routeType: "render",
    });
    expect(record.err).toMatchObject({ message: `render failed for ${CENSOR}`, digest: "3181428270" });
    expect(record).not.toHaveProperty("headers");
    const out = text();
    for (const leaked of [SESSION_TOKEN, "csrfvalue77", API_KEY, "203.0.113.9", "x-forwarded-for", SIGN_IN_TOKEN, INSTALL_CODE]) {
      expect(out, leaked).not.toContain(leaked);
    }
  });
});
