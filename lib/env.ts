import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Cron } from "croner";
import { z } from "zod";
import { appUrlFrom, isHttps } from "./http/app-url";
import { DEVICE_STATUSES, DeviceStatus } from "./inventory/device-kinds";
import { parseKeyRing } from "./install-code/key-ring";
import { parseTimeOfDay, type SlaRule } from "./sla/rule-config";

// Every environment variable the portal reads, parsed once. A bad or missing variable is one
// clear line in the error, never a crash deep inside a request.

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v), "must be a postgresql:// URL");

/** "HH:MM" or unset/"none" (lib/sla/rule.ts). */
const timeOfDay = z
  .string()
  .optional()
  .transform((v, ctx) => {
    try {
      return parseTimeOfDay(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a time of day like 17:00, or none" });
      return z.NEVER;
    }
  });

/** A cron pattern as croner reads it: five fields, or six with seconds first. */
const cronPattern = z
  .string()
  .trim()
  .refine((v) => {
    try {
      new Cron(v);
      return true;
    } catch {
      return false;
    }
  }, 'must be a cron pattern like "* * * * *" (every minute)');

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().trim().min(1).default("./data"),
  PORT: z.coerce.number().int("must be a whole number").min(1).max(65535, "must be a port number from 1 to 65535").default(3000),
  APP_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
  ALLOW_HTTP_APP_URL: z.enum(["true", "false"], { error: "must be true or false" }).default("false"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** One key, or several separated by commas, newest first (lib/install-code/key-ring.ts). */
  INSTALL_CODE_KEY: z
    .string()
    .transform((v, ctx) => {
      const ring = parseKeyRing(v);
      if (ring.ok) return ring.keys;
      ctx.addIssue({ code: "custom", message: ring.error });
      return z.NEVER;
    })
    .optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "must be an smtp:// or smtps:// URL" }).optional(),
  MAIL_FROM: z.string().trim().min(3).default("Install Code Portal <no-reply@install-code-portal.invalid>"),
  ELIGIBLE_DEVICE_STATUSES: z
    .string()
    .default("Pending,Whitelisted,InstalledNotCommissioned")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(
      z
        .array(z.enum(DeviceStatus, { error: `each status must be one of ${DEVICE_STATUSES.join(", ")}` }))
        .min(1, "must name at least one Device status"),
    ),
  RESPONSE_WORKING_DAYS: z.coerce.number().int("must be a whole number").min(1).max(60).default(5),
  SLA_DUE_TIME: timeOfDay,
  SLA_SAME_DAY_CUTOFF: timeOfDay,
  /** "false": this process runs no scheduler (several instances with `npm run worker` beside them). */
  RUN_SCHEDULER: z.enum(["true", "false"], { error: "must be true or false" }).default("true"),
  /** When the scheduler looks for reminders and breaches to send (lib/sla/schedule.ts), UK time. */
  SLA_SCAN_CRON: cronPattern.default("* * * * *"),
  /** When the daily digests go out (lib/notifications/digest.ts), UK time. */
  EMAIL_DIGEST_CRON: cronPattern.default("0 7 * * *"),
  SESSION_IDLE_MINUTES: z.coerce.number().int("must be a whole number").min(2, "must be at least 2").max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int("must be a whole number").min(1).max(24 * 30).default(12),
  SIGN_IN_LINKS_PER_ADDRESS: z.coerce.number().int("must be a whole number").min(1).max(1000).default(3),
  SIGN_IN_LINKS_PER_CLIENT: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(30),
  RAISES_PER_ORGANISATION_PER_MINUTE: z.coerce.number().int("must be a whole number").min(1).max(1_000_000).default(1200),
  API_REQUESTS_PER_KEY_PER_MINUTE: z.coerce.number().int("must be a whole number").min(1).max(10_000_000).default(3000),
  BULK_RAISES_PER_ORGANISATION_PER_HOUR: z.coerce.number().int("must be a whole number").min(1).max(100_000).default(20),
  INSTALL_CODE_RETENTION_DAYS: z.coerce.number().int("must be a whole number").min(1).max(3650).default(30),
  EMAIL_BODY_RETENTION_DAYS: z.coerce.number().int("must be a whole number").min(1).max(3650).default(90),
  RECORD_RETENTION_YEARS: z.coerce.number().int("must be a whole number").min(1, "must be at least 1").max(100).default(6),
  TRUSTED_PROXY_HOPS: z.coerce.number().int("must be a whole number").min(0).max(5).default(0),
  /** Webhook endpoints (lib/webhooks/url.ts): unset means true outside production, false in it. */
  WEBHOOK_ALLOW_HTTP: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: z.enum(["true", "false"], { error: "must be true or false" }).optional(),
  /** The bearer token /api/metrics asks for; unset: /api/metrics answers 404. */
  METRICS_TOKEN: z.string().trim().min(32, "must be at least 32 characters").optional(),
  /** SIGTERM: how long requests in flight and background runs get before the process exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int("must be a whole number").min(1).max(600).default(25),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  /** DATABASE_URL unset: the embedded database under dataDir, generated secrets, demo data. */
  demoMode: boolean;
  dataDir: string;
  port: number;
  appUrl: string;
  /** ALLOW_HTTP_APP_URL=true: a production APP_URL may be http:// (TLS terminated on this machine). */
  allowHttpAppUrl: boolean;
  authSecret: string;
  /**
   * INSTALL_CODE_KEY: the keys that open Install Codes and webhook secrets, newest first; the first
   * seals everything written (docs/decisions/028-key-rotation.md).
   */
  installCodeKeys: string[];
  smtpUrl: string | undefined;
  mailFrom: string;
  /** SMI statuses in which a Device's Install Code may be requested. */
  eligibleDeviceStatuses: DeviceStatus[];
  /** Working Days the installing Supplier has to respond (SEC Appendix AC: five). */
  responseWorkingDays: number;
  /** The obligation's rule (lib/sla/rule.ts): RESPONSE_WORKING_DAYS, SLA_DUE_TIME, SLA_SAME_DAY_CUTOFF. */
  slaRule: SlaRule;
  runScheduler: boolean;
  /** The obligation scan's cron pattern (SLA_SCAN_CRON), read in UK time. */
  slaScanCron: string;
  /** When the daily email digests are sent (EMAIL_DIGEST_CRON), read in UK time. */
  emailDigestCron: string;
  /** A session ends after this long without a request... */
  sessionIdleMinutes: number;
  /** ...and this long after signing in, whatever happens. */
  sessionMaxHours: number;
  /** Sign-in links an email address may be sent in 10 minutes. */
  signInLinksPerAddress: number;
  /** Sign-in links one client address may ask for in 10 minutes. */
  signInLinksPerClient: number;
  /** Requests one organisation may raise in a minute. */
  raisesPerOrganisationPerMinute: number;
  /** Calls one API key may make in a minute (/api/v1). */
  apiRequestsPerKeyPerMinute: number;
  /** Bulk raises (files of up to 10,000 rows) one organisation may make in an hour. */
  bulkRaisesPerOrganisationPerHour: number;
  /** Days after a request is closed when its Install Codes' ciphertext is erased (lib/retention). */
  installCodeRetentionDays: number;
  /** Days after an email was written when its body is blanked (lib/retention), subject and dates kept. */
  emailBodyRetentionDays: number;
  /** Reverse proxies in front of the portal that append to X-Forwarded-For (0: none). */
  trustedProxyHops: number;
  /**
   * A webhook endpoint may be http:// (WEBHOOK_ALLOW_HTTP). Default: only when NODE_ENV is not
   * production, whatever the database (docs/decisions/020-webhooks.md).
   */
  webhooksAllowHttp: boolean;
  /**
   * A webhook endpoint may be, or resolve to, a loopback, private, link-local or other non-public
   * address (WEBHOOK_ALLOW_PRIVATE_ADDRESSES). Default: only when NODE_ENV is not production.
   */
  webhooksAllowPrivateAddresses: boolean;
  /** The bearer token of /api/metrics (METRICS_TOKEN); undefined: /api/metrics answers 404. */
  metricsToken: string | undefined;
  /** SIGTERM: the bound on a graceful stop (lib/ops/shutdown.ts). */
  shutdownTimeoutSeconds: number;
  /** Closed requests (timelines, notes, emails) and monthly reports are deleted this many years on (lib/retention). */
  recordRetentionYears: number;
};

type Raw = Record<string, string | undefined>;
export type EnvResult = { ok: true; env: Env } | { ok: false; errors: string[] };

/** Variables a real deployment (PostgreSQL server and NODE_ENV=production) must set itself. */
const REQUIRED_IN_PRODUCTION = ["AUTH_SECRET", "INSTALL_CODE_KEY", "SMTP_URL", "APP_URL"] as const;

/**
 * Parses raw variables. `secrets` supplies generated AUTH_SECRET / INSTALL_CODE_KEY where the
 * environment gives none and the deployment is not a production one.
 */
export function parseEnv(raw: Raw, secrets?: () => { AUTH_SECRET: string; INSTALL_CODE_KEY: string }): EnvResult {
  // An empty variable counts as unset (docker-compose and .env files produce them).
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    };
  }
  const v = parsed.data;
  const production = v.NODE_ENV === "production" && v.DATABASE_URL !== undefined;
  if (production) {
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => v[name] === undefined);
    if (missing.length > 0) {
      return {
        ok: false,
        errors: missing.map((name) => `${name}: is required when DATABASE_URL is set and NODE_ENV=production`),
      };
    }
    if (v.APP_URL && !isHttps(v.APP_URL) && v.ALLOW_HTTP_APP_URL !== "true") {
      return {
        ok: false,
        errors: [
          "APP_URL: must be an https:// URL when DATABASE_URL is set and NODE_ENV=production " +
            "(set ALLOW_HTTP_APP_URL=true only if a TLS-terminating proxy on this machine serves the portal)",
        ],
      };
    }
  }
  const generated = v.AUTH_SECRET && v.INSTALL_CODE_KEY ? undefined : secrets?.();
  const authSecret = v.AUTH_SECRET ?? generated?.AUTH_SECRET;
  // The generated file may hold a ring too (rotating the demo's key, docs/deployment.md).
  const generatedRing = !v.INSTALL_CODE_KEY && generated ? parseKeyRing(generated.INSTALL_CODE_KEY ?? "") : undefined;
  if (generatedRing && !generatedRing.ok) return { ok: false, errors: [`INSTALL_CODE_KEY (in DATA_DIR/secrets.json): ${generatedRing.error}`] };
  const installCodeKeys = v.INSTALL_CODE_KEY ?? (generatedRing?.ok ? generatedRing.keys : undefined);
  if (!authSecret || !installCodeKeys) {
    return {
      ok: false,
      errors: [
        ...(authSecret ? [] : ["AUTH_SECRET: is required"]),
        ...(installCodeKeys ? [] : ["INSTALL_CODE_KEY: is required"]),
      ],
    };
  }
  return {
    ok: true,
    env: {
      nodeEnv: v.NODE_ENV,
      databaseUrl: v.DATABASE_URL,
      demoMode: v.DATABASE_URL === undefined,
      dataDir: path.resolve(v.DATA_DIR),
      port: v.PORT,
      appUrl: appUrlFrom(v.APP_URL, v.PORT),
      allowHttpAppUrl: v.ALLOW_HTTP_APP_URL === "true",
      authSecret,
      installCodeKeys,
      smtpUrl: v.SMTP_URL,
      mailFrom: v.MAIL_FROM,
      eligibleDeviceStatuses: v.ELIGIBLE_DEVICE_STATUSES,
      responseWorkingDays: v.RESPONSE_WORKING_DAYS,
      slaRule: { workingDays: v.RESPONSE_WORKING_DAYS, dueTime: v.SLA_DUE_TIME, sameDayCutoff: v.SLA_SAME_DAY_CUTOFF },
      runScheduler: v.RUN_SCHEDULER === "true",
      slaScanCron: v.SLA_SCAN_CRON,
      emailDigestCron: v.EMAIL_DIGEST_CRON,
      sessionIdleMinutes: v.SESSION_IDLE_MINUTES,
      sessionMaxHours: v.SESSION_MAX_HOURS,
      signInLinksPerAddress: v.SIGN_IN_LINKS_PER_ADDRESS,
      signInLinksPerClient: v.SIGN_IN_LINKS_PER_CLIENT,
      raisesPerOrganisationPerMinute: v.RAISES_PER_ORGANISATION_PER_MINUTE,
      apiRequestsPerKeyPerMinute: v.API_REQUESTS_PER_KEY_PER_MINUTE,
      bulkRaisesPerOrganisationPerHour: v.BULK_RAISES_PER_ORGANISATION_PER_HOUR,
      installCodeRetentionDays: v.INSTALL_CODE_RETENTION_DAYS,
      emailBodyRetentionDays: v.EMAIL_BODY_RETENTION_DAYS,
      trustedProxyHops: v.TRUSTED_PROXY_HOPS,
      webhooksAllowHttp: (v.WEBHOOK_ALLOW_HTTP ?? (v.NODE_ENV === "production" ? "false" : "true")) === "true",
      webhooksAllowPrivateAddresses: (v.WEBHOOK_ALLOW_PRIVATE_ADDRESSES ?? (v.NODE_ENV === "production" ? "false" : "true")) === "true",
      metricsToken: v.METRICS_TOKEN,
      shutdownTimeoutSeconds: v.SHUTDOWN_TIMEOUT_SECONDS,
      recordRetentionYears: v.RECORD_RETENTION_YEARS,
    },
  };
}

/** Secrets generated once into DATA_DIR/secrets.json and reused, so sessions survive restarts. */
export function dataDirSecrets(dataDir: string) {
  return () => {
    const file = path.join(path.resolve(dataDir), "secrets.json");
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { AUTH_SECRET: string; INSTALL_CODE_KEY: string };
    const secrets = {
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      INSTALL_CODE_KEY: randomBytes(32).toString("hex"),
    };
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process wrote them first: use theirs.
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return JSON.parse(readFileSync(file, "utf8"));
      throw error;
    }
    return secrets;
  };
}

export class EnvError extends Error {
  constructor(readonly errors: string[]) {
    super(`Invalid configuration:\n${errors.map((e) => `  ${e}`).join("\n")}`);
    this.name = "EnvError";
  }
}

let cached: Env | undefined;

/** The parsed environment of this process; throws EnvError listing every bad variable. */
export function env(): Env {
  if (cached) return cached;
  const result = parseEnv(process.env, dataDirSecrets(process.env.DATA_DIR || "./data"));
  if (!result.ok) throw new EnvError(result.errors);
  cached = result.env;
  return cached;
}
