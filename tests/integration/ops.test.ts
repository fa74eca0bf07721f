import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { now as clockNow } from "@/lib/clock";
import { database, db, openDatabase, setDatabase, type Database } from "@/lib/db/client";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { startEmailDispatcher, stopEmailDispatcher } from "@/lib/notifications/schedule";
import { startScheduler, stopScheduler } from "@/lib/sla/schedule";
import { runSlaScan } from "@/lib/sla/scheduler";
import { GET as health } from "@/app/api/health/route";
import { GET as ready } from "@/app/api/ready/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as deviceRoute } from "@/app/api/v1/devices/[deviceId]/route";
import { addDevice, closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseFresh } from "./requests/support";

// /api/health, /api/ready and /api/metrics as a probe and a Prometheus scraper reach them.

const TOKEN = "metrics-token-for-the-ops-test-0123456789";
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return { ...real, env: () => ({ ...real.env(), metricsToken: "metrics-token-for-the-ops-test-0123456789" }) };
});

type ReadyBody = { status: string; checks: Record<string, { ok: boolean; detail: string }> };

async function readyNow(): Promise<{ status: number; body: ReadyBody; ms: number }> {
  const started = Date.now();
  const response = await ready();
  return { status: response.status, body: (await response.json()) as ReadyBody, ms: Date.now() - started };
}

function scrape(authorization?: string): Promise<Response> {
  return metricsRoute(new Request("http://127.0.0.1:3000/api/metrics", { headers: authorization ? { authorization } : {} }));
}

async function scrapeText(): Promise<string> {
  const response = await scrape(`Bearer ${TOKEN}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample, e.g. sample(text, "portal_requests_open", 'status="ASSIGNED"'). */
function sample(text: string, name: string, labels?: string): number {
  const line = text.split("\n").find((l) => (labels ? l.startsWith(`${name}{`) && l.includes(labels) : l.startsWith(`${name} `)));
  if (!line) return Number.NaN;
  return Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** Runs `work` with db() answering from `other`, then puts the test's database back. */
async function withDatabase<T>(other: Database, work: () => Promise<T>): Promise<T> {
  const mine = database();
  setDatabase(other);
  try {
    return await work();
  } finally {
    setDatabase(mine);
    await other.close().catch(() => {});
  }
}

describe(`health, readiness and metrics (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;

  beforeAll(async () => {
    people = await openSeededDatabase();
    startEmailDispatcher();
    startScheduler();
  });
  afterAll(async () => {
    stopEmailDispatcher();
    await stopScheduler();
    await closeSeededDatabase();
  });

  it("answers /api/health with 200 and no caching", async () => {
    const response = health();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("is ready on a migrated database with the dispatcher and scheduler running", async () => {
    const { status, body } = await readyNow();
    expect(body.checks).toMatchObject({
      database: { ok: true },
      migrations: { ok: true },
      emailDispatcher: { ok: true },
      scheduler: { ok: true },
    });
    expect(status).toBe(200);
    expect(body.status).toBe("ready");
  });

  it("is not ready when the email dispatcher or the scheduler has stopped, and says which", async () => {
    stopEmailDispatcher();
    try {
      const { status, body } = await readyNow();
      expect(status).toBe(503);
      expect(body.checks.emailDispatcher).toEqual({ ok: false, detail: "not started in this process" });
      expect(body.checks.scheduler.ok).toBe(true);
    } finally {
      startEmailDispatcher();
    }
    await stopScheduler();
    try {
      const { status, body } = await readyNow();
      expect(status).toBe(503);
      expect(body.checks.scheduler).toEqual({ ok: false, detail: "not started in this process" });
      expect(body.checks.emailDispatcher.ok).toBe(true);
    } finally {
      startScheduler();
    }
    expect((await readyNow()).status).toBe(200);
  });

  it("answers 503 within about 2 seconds, naming the database, when the database server accepts and never answers", async () => {
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    const hung = openDatabase({ kind: "postgres", url: `postgresql://probe@127.0.0.1:${port}/portal` });
    const mine = database();
    setDatabase(hung);
    try {
      const { status, body, ms } = await readyNow();
      expect(status).toBe(503);
      expect(body.checks.database).toEqual({ ok: false, detail: "no answer within 1500 ms" });
      expect(body.checks.migrations.ok).toBe(false);
      expect(ms).toBeLessThan(2_500);
    } finally {
      setDatabase(mine);
      // The connection attempts still wait on the silent server: end them before closing the pool.
      for (const socket of sockets) socket.destroy();
      await hung.close().catch(() => {});
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("answers 503 naming the database when nothing listens on its port", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    const { status, body } = await withDatabase(openDatabase({ kind: "postgres", url: `postgresql://probe@127.0.0.1:${port}/portal` }), readyNow);
    expect(status).toBe(503);
    expect(body.checks.database.ok).toBe(false);
    expect(body.checks.database.detail).toMatch(/^unreachable/);
    // The probe's answer never carries the database's address.
    expect(JSON.stringify(body)).not.toContain(String(port));
  });

  if (ON_POSTGRES) {
    it("answers 503 naming the database when its database was dropped (PostgreSQL)", async () => {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/icr_test_dropped_${Date.now()}`;
      const { status, body } = await withDatabase(openDatabase({ kind: "postgres", url: url.toString() }), readyNow);
      expect(status).toBe(503);
      expect(body.checks.database.ok).toBe(false);
      expect(body.checks.migrations.ok).toBe(false);
    });
  }

  describe("/api/metrics", () => {
    it("does not exist without the token or with a wrong one", async () => {
      for (const authorization of [undefined, "Bearer wrong-token-of-the-same-kind-0123456789", `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
        const response = await scrape(authorization);
        expect(response.status, authorization ?? "none").toBe(404);
        expect(await response.text()).not.toContain("portal_");
      }
    });

    it("answers Prometheus's text format with the token, uncached", async () => {
      const response = await scrape(`Bearer ${TOKEN}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const text = await response.text();
      expect(text).toContain("# TYPE portal_http_request_duration_seconds histogram");
      expect(text).toContain("# TYPE portal_outbox_pending_emails gauge");
    });

    it("counts HTTP requests by route pattern and status, never by a Device ID", async () => {
      const before = await scrapeText();
      const healthLabels = 'route="/api/health",status="200"';
      const deviceLabels = 'route="/api/v1/devices/[deviceId]",status="401"';
      const healthBefore = sample(before, "portal_http_requests_total", healthLabels) || 0;
      const deviceBefore = sample(before, "portal_http_requests_total", deviceLabels) || 0;
      health();
      health();
      const deviceId = await addDevice("SFP");
      const refused = await deviceRoute(new Request(`http://127.0.0.1:3000/api/v1/devices/${deviceId}`) as never, { params: Promise.resolve({ deviceId }) });
      expect(refused.status).toBe(401);
      const after = await scrapeText();
      expect(sample(after, "portal_http_requests_total", healthLabels)).toBe(healthBefore + 2);
      expect(sample(after, "portal_http_requests_total", deviceLabels)).toBe(deviceBefore + 1);
      expect(sample(after, "portal_http_request_duration_seconds_count", deviceLabels)).toBe(deviceBefore + 1);
      expect(after).not.toContain(deviceId);
    });

    it("reports the database's numbers after two requests are raised and one breaches", async () => {
      // Breach whatever the seed left overdue first, so that only this test's breach is new.
      await runSlaScan(clockNow(), { lock: false });
      await dispatcherIdle();
      const before = await scrapeText();

      const longAgo = new Date(clockNow().getTime() - 30 * 24 * 3600_000);
      await raiseFresh(people.alice, "SFP", { now: longAgo });
      await raiseFresh(people.alice, "SFP");
      const scan = await runSlaScan(clockNow(), { lock: false });
      expect(scan.breaches).toBe(1);
      await dispatcherIdle();
      const after = await scrapeText();

      const open = (text: string) => sample(text, "portal_requests_open", 'status="ASSIGNED"');
      expect(open(after) - open(before)).toBe(2);
      expect(sample(after, "portal_sla_breaches_total") - sample(before, "portal_sla_breaches_total")).toBe(1);
      expect(sample(after, "portal_requests_overdue") - sample(before, "portal_requests_overdue")).toBe(1);

      // And each figure is what the database holds.
      const at = clockNow();
      expect(open(after)).toBe(await db().installCodeRequest.count({ where: { status: "ASSIGNED" } }));
      expect(sample(after, "portal_requests_open", 'status="RESPONDED"')).toBe(await db().installCodeRequest.count({ where: { status: "RESPONDED" } }));
      expect(sample(after, "portal_requests_overdue")).toBe(await db().installCodeRequest.count({ where: { status: "ASSIGNED", dueAt: { lt: at } } }));
      expect(sample(after, "portal_sla_breaches_total")).toBe(await db().requestEvent.count({ where: { type: "BREACHED" } }));
      expect(sample(after, "portal_sign_ins_total")).toBe(await db().auditEvent.count({ where: { type: "SIGN_IN" } }));
      expect(sample(after, "portal_outbox_pending_emails")).toBe(await db().email.count({ where: { status: "PENDING" } }));
    });

    it("reports the outbox's depth and the age of its oldest pending email", async () => {
      await dispatcherIdle();
      stopEmailDispatcher();
      try {
        const tenMinutesAgo = new Date(Date.now() - 600_000);
        // Not due for an hour: the dispatcher leaves it PENDING.
        await db().email.create({ data: { to: "queue@northwind.example", subject: "s", html: "h", text: "t", createdAt: tenMinutesAgo, nextAttemptAt: new Date(Date.now() + 3600_000) } });
        const text = await scrapeText();
        expect(sample(text, "portal_outbox_pending_emails")).toBe(await db().email.count({ where: { status: "PENDING" } }));
        expect(sample(text, "portal_outbox_pending_emails")).toBeGreaterThanOrEqual(1);
        expect(sample(text, "portal_outbox_oldest_pending_email_age_seconds")).toBeGreaterThanOrEqual(600);
      } finally {
        startEmailDispatcher();
      }
    });
  });

  it("is not ready when a migration is not recorded as applied, and names it", async () => {
    const [last] = await db().$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC LIMIT 1`;
    await db().$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${last!.migration_name}`;
    const { status, body } = await readyNow();
    expect(status).toBe(503);
    expect(body.checks.migrations).toEqual({ ok: false, detail: `not applied: ${last!.migration_name}` });
    expect(body.checks.database.ok).toBe(true);
  });
});
