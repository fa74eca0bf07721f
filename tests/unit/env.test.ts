import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dataDirSecrets, parseEnv } from "@/lib/env";

const KEY = "a".repeat(64);
const SECRET = "s".repeat(40);
const generated = () => ({ AUTH_SECRET: "g".repeat(43), INSTALL_CODE_KEY: "b".repeat(64) });

describe("parseEnv", () => {
  it("gives demo mode defaults when nothing is set", () => {
    const result = parseEnv({}, generated);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.demoMode).toBe(true);
    expect(result.env.port).toBe(3000);
    expect(result.env.appUrl).toBe("http://localhost:3000");
    expect(result.env.smtpUrl).toBeUndefined();
    expect(result.env.authSecret).toBe("g".repeat(43));
    expect(result.env.installCodeKeys).toEqual(["b".repeat(64)]);
  });

  it("follows PORT in the default APP_URL and strips a trailing slash from APP_URL", () => {
    const a = parseEnv({ PORT: "4000" }, generated);
    expect(a.ok && a.env.appUrl).toBe("http://localhost:4000");
    const b = parseEnv({ APP_URL: "https://portal.example.org/" }, generated);
    expect(b.ok && b.env.appUrl).toBe("https://portal.example.org");
  });

  it("reports one clear line per bad variable", () => {
    const result = parseEnv(
      { PORT: "eighty", INSTALL_CODE_KEY: "abc", APP_URL: "ftp://x", DATABASE_URL: "mysql://db", SMTP_URL: "http://mail" },
      generated,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(5);
    expect(result.errors).toContain("INSTALL_CODE_KEY: must be 64 hexadecimal characters (a 256-bit key)");
    expect(result.errors).toContain("APP_URL: must be an http:// or https:// URL");
    expect(result.errors).toContain("DATABASE_URL: must be a postgresql:// URL");
    expect(result.errors).toContain("SMTP_URL: must be an smtp:// or smtps:// URL");
    expect(result.errors.find((e) => e.startsWith("PORT: "))).toBeDefined();
  });

  it("rejects a short AUTH_SECRET and an out-of-range PORT", () => {
    const result = parseEnv({ AUTH_SECRET: "short", PORT: "70000" }, generated);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining(["AUTH_SECRET: must be at least 32 characters", "PORT: must be a port number from 1 to 65535"]),
    );
  });

  it("requires real secrets, SMTP and APP_URL for a production deployment on a PostgreSQL server", () => {
    const result = parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgresql://db/portal" }, generated);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      "AUTH_SECRET: is required when DATABASE_URL is set and NODE_ENV=production",
      "INSTALL_CODE_KEY: is required when DATABASE_URL is set and NODE_ENV=production",
      "SMTP_URL: is required when DATABASE_URL is set and NODE_ENV=production",
      "APP_URL: is required when DATABASE_URL is set and NODE_ENV=production",
    ]);
  });

  it("accepts a complete production configuration and never generates secrets for it", () => {
    const result = parseEnv(
      {
        NODE_ENV: "production",
        DATABASE_URL: "postgresql://db/portal",
        AUTH_SECRET: SECRET,
        INSTALL_CODE_KEY: KEY.toUpperCase(),
        SMTP_URL: "smtp://mail.example.org:587",
        APP_URL: "https://portal.example.org",
      },
      () => {
        throw new Error("must not generate secrets in production");
      },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.demoMode).toBe(false);
    expect(result.env.installCodeKeys).toEqual([KEY]);
    expect(result.env.smtpUrl).toBe("smtp://mail.example.org:587");
  });

  it("refuses an http:// APP_URL in production unless ALLOW_HTTP_APP_URL=true", () => {
    const production = {
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://db/portal",
      AUTH_SECRET: SECRET,
      INSTALL_CODE_KEY: KEY,
      SMTP_URL: "smtp://mail.example.org:587",
      APP_URL: "http://portal.example.org",
    };
    const refused = parseEnv(production, generated);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.errors).toEqual([
      "APP_URL: must be an https:// URL when DATABASE_URL is set and NODE_ENV=production " +
        "(set ALLOW_HTTP_APP_URL=true only if a TLS-terminating proxy on this machine serves the portal)",
    ]);

    const allowed = parseEnv({ ...production, ALLOW_HTTP_APP_URL: "true" }, generated);
    expect(allowed.ok && allowed.env.appUrl).toBe("http://portal.example.org");
    expect(allowed.ok && allowed.env.allowHttpAppUrl).toBe(true);
    expect(parseEnv({ ...production, ALLOW_HTTP_APP_URL: "false" }, generated).ok).toBe(false);

    const https = parseEnv({ ...production, APP_URL: "https://portal.example.org" }, generated);
    expect(https.ok && https.env.allowHttpAppUrl).toBe(false);
  });

  it("allows an http:// APP_URL outside production, and refuses an ALLOW_HTTP_APP_URL that is not true or false", () => {
    const demo = parseEnv({ NODE_ENV: "production", APP_URL: "http://127.0.0.1:3000" }, generated);
    expect(demo.ok && demo.env.appUrl).toBe("http://127.0.0.1:3000");
    const development = parseEnv({ DATABASE_URL: "postgresql://db/portal", APP_URL: "http://localhost:3000" }, generated);
    expect(development.ok).toBe(true);
    const bad = parseEnv({ ALLOW_HTTP_APP_URL: "yes" }, generated);
    expect(!bad.ok && bad.errors).toEqual(["ALLOW_HTTP_APP_URL: must be true or false"]);
  });

  it("allows http:// and private webhook endpoints only outside NODE_ENV=production, unless told otherwise", () => {
    const flags = (raw: Record<string, string>) => {
      const result = parseEnv(raw, generated);
      return result.ok ? [result.env.webhooksAllowHttp, result.env.webhooksAllowPrivateAddresses] : result.errors;
    };
    expect(flags({})).toEqual([true, true]);
    expect(flags({ NODE_ENV: "test" })).toEqual([true, true]);
    // Production whatever the database: demo mode started with npm start too.
    expect(flags({ NODE_ENV: "production" })).toEqual([false, false]);
    expect(flags({ NODE_ENV: "production", WEBHOOK_ALLOW_HTTP: "true" })).toEqual([true, false]);
    expect(flags({ NODE_ENV: "production", WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "true" })).toEqual([false, true]);
    expect(flags({ WEBHOOK_ALLOW_HTTP: "false", WEBHOOK_ALLOW_PRIVATE_ADDRESSES: "false" })).toEqual([false, false]);
    expect(flags({ WEBHOOK_ALLOW_HTTP: "yes" })).toEqual(["WEBHOOK_ALLOW_HTTP: must be true or false"]);
  });

  it("treats an empty variable as unset", () => {
    const result = parseEnv({ DATABASE_URL: "", SMTP_URL: "" }, generated);
    expect(result.ok && result.env.demoMode).toBe(true);
  });
});

describe("INSTALL_CODE_KEY, a key ring (docs/decisions/028-key-rotation.md)", () => {
  const NEW = "c".repeat(64);
  const OLD = "d".repeat(64);
  const keysOf = (value: string) => {
    const result = parseEnv({ INSTALL_CODE_KEY: value }, generated);
    return result.ok ? result.env.installCodeKeys : result.errors;
  };

  it("takes several keys, newest first, separated by commas, spaces trimmed, in lower case", () => {
    expect(keysOf(`${NEW.toUpperCase()}, ${OLD} `)).toEqual([NEW, OLD]);
    expect(keysOf(`${OLD},${NEW},${KEY}`)).toEqual([OLD, NEW, KEY]);
  });

  it("names the key at fault by its place, never repeating a key", () => {
    expect(keysOf(`${NEW},${OLD.slice(1)}`)).toEqual(["INSTALL_CODE_KEY: the 2nd key must be 64 hexadecimal characters (a 256-bit key)"]);
    expect(keysOf(`${NEW},,${OLD}`)).toEqual(["INSTALL_CODE_KEY: the 2nd key is empty (list keys newest first, separated by commas)"]);
    expect(keysOf(`${NEW},`)).toEqual(["INSTALL_CODE_KEY: the 2nd key is empty (list keys newest first, separated by commas)"]);
    expect(keysOf(`${NEW},${OLD},${NEW.toUpperCase()}`)).toEqual(["INSTALL_CODE_KEY: the 1st and 3rd keys are the same key: list each key once"]);
    for (const errors of [keysOf(`${NEW},${OLD.slice(1)}`), keysOf(`${NEW},${OLD},${NEW}`)]) {
      for (const line of errors) expect(line).not.toContain("ccccccccc");
    }
  });

  it("reads a ring from DATA_DIR/secrets.json too (rotating the demo's key), and refuses a bad one there", () => {
    const ring = parseEnv({}, () => ({ AUTH_SECRET: "g".repeat(43), INSTALL_CODE_KEY: `${NEW},${OLD}` }));
    expect(ring.ok && ring.env.installCodeKeys).toEqual([NEW, OLD]);
    const bad = parseEnv({}, () => ({ AUTH_SECRET: "g".repeat(43), INSTALL_CODE_KEY: `${NEW},${NEW}` }));
    expect(!bad.ok && bad.errors).toEqual(["INSTALL_CODE_KEY (in DATA_DIR/secrets.json): the 1st and 2nd keys are the same key: list each key once"]);
  });
});

describe("dataDirSecrets", () => {
  it("generates secrets once and reuses them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "icr-env-"));
    const first = dataDirSecrets(dir)();
    const second = dataDirSecrets(dir)();
    expect(second).toEqual(first);
    expect(first.INSTALL_CODE_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(first.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(JSON.parse(readFileSync(path.join(dir, "secrets.json"), "utf8"))).toEqual(first);
    const parsed = parseEnv({}, dataDirSecrets(dir));
    expect(parsed.ok && parsed.env.authSecret).toBe(first.AUTH_SECRET);
  });
});

describe("request rules in configuration", () => {
  it("defaults to the eligible statuses and five Working Days of DOMAIN.md", () => {
    const result = parseEnv({}, generated);
    expect(result.ok && result.env.eligibleDeviceStatuses).toEqual(["Pending", "Whitelisted", "InstalledNotCommissioned"]);
    expect(result.ok && result.env.responseWorkingDays).toBe(5);
  });

  it("reads the obligation's rule, with the documented default", () => {
    const byDefault = parseEnv({}, generated);
    expect(byDefault.ok && byDefault.env.slaRule).toEqual({ workingDays: 5, dueTime: null, sameDayCutoff: null });
    const configured = parseEnv({ RESPONSE_WORKING_DAYS: "10", SLA_DUE_TIME: "17:00", SLA_SAME_DAY_CUTOFF: "12:00" }, generated);
    expect(configured.ok && configured.env.slaRule).toEqual({ workingDays: 10, dueTime: { hour: 17, minute: 0 }, sameDayCutoff: { hour: 12, minute: 0 } });
    const none = parseEnv({ SLA_DUE_TIME: "none", SLA_SAME_DAY_CUTOFF: "" }, generated);
    expect(none.ok && none.env.slaRule).toEqual({ workingDays: 5, dueTime: null, sameDayCutoff: null });
  });

  it("refuses a time of day it cannot read, naming the variable", () => {
    const bad = parseEnv({ SLA_DUE_TIME: "5pm", SLA_SAME_DAY_CUTOFF: "25:00" }, generated);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors).toEqual(
      expect.arrayContaining([expect.stringMatching(/^SLA_DUE_TIME: must be a time of day like 17:00, or none/), expect.stringMatching(/^SLA_SAME_DAY_CUTOFF: must be a time of day like 17:00, or none/)]),
    );
  });

  it("takes a comma-separated list of statuses and refuses an unknown one", () => {
    const good = parseEnv({ ELIGIBLE_DEVICE_STATUSES: "Pending, Suspended" }, generated);
    expect(good.ok && good.env.eligibleDeviceStatuses).toEqual(["Pending", "Suspended"]);
    const bad = parseEnv({ ELIGIBLE_DEVICE_STATUSES: "Pending,Installed" }, generated);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]).toMatch(/^ELIGIBLE_DEVICE_STATUSES\.1: each status must be one of Pending, Whitelisted/);
  });
});

describe("the scheduler in configuration", () => {
  it("keeps /api/metrics off without METRICS_TOKEN and refuses a token shorter than 32 characters", () => {
    const none = parseEnv({}, generated);
    expect(none.ok && none.env.metricsToken).toBeUndefined();
    const set = parseEnv({ METRICS_TOKEN: "m".repeat(32) }, generated);
    expect(set.ok && set.env.metricsToken).toBe("m".repeat(32));
    expect(parseEnv({ METRICS_TOKEN: "m".repeat(31) }, generated)).toEqual({ ok: false, errors: ["METRICS_TOKEN: must be at least 32 characters"] });
  });

  it("runs the scheduler in every instance and scans every minute unless told otherwise", () => {
    const result = parseEnv({}, generated);
    expect(result.ok && result.env.runScheduler).toBe(true);
    expect(result.ok && result.env.slaScanCron).toBe("* * * * *");
    const worker = parseEnv({ RUN_SCHEDULER: "false", SLA_SCAN_CRON: "*/5 * * * *" }, generated);
    expect(worker.ok && worker.env.runScheduler).toBe(false);
    expect(worker.ok && worker.env.slaScanCron).toBe("*/5 * * * *");
  });

  it("refuses a scan schedule that is not a cron pattern", () => {
    for (const pattern of ["every minute", "61 * * * *", "* * * *"]) {
      const bad = parseEnv({ SLA_SCAN_CRON: pattern }, generated);
      expect(!bad.ok && bad.errors).toEqual(['SLA_SCAN_CRON: must be a cron pattern like "* * * * *" (every minute)']);
    }
  });
});
