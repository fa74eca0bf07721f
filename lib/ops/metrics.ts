import { createHash, timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { now as clockNow } from "../clock";
import { db, type PrismaClient } from "../db/client";

// The process's Prometheus metrics (docs/decisions/026-health-and-metrics.md). HTTP counts and
// latencies are recorded by the API door (lib/api/handler.ts) and the ops routes; the portal's own
// numbers are read from the database at scrape time, so every instance reports the same totals.

type Metrics = {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route" | "status">;
  outboxPending: Gauge;
  outboxOldestPendingAge: Gauge;
  requestsOpen: Gauge<"status">;
  requestsOverdue: Gauge;
  breaches: Gauge;
  signIns: Gauge;
};

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "portal_" });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({ name: "portal_http_requests_total", help: "HTTP requests answered, by route pattern and status", labelNames: ["method", "route", "status"], registers }),
    httpDuration: new Histogram({
      name: "portal_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route pattern and status",
      labelNames: ["method", "route", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    outboxPending: new Gauge({ name: "portal_outbox_pending_emails", help: "Emails waiting in the outbox (status PENDING)", registers }),
    outboxOldestPendingAge: new Gauge({ name: "portal_outbox_oldest_pending_email_age_seconds", help: "Age of the oldest PENDING email, 0 when none", registers }),
    requestsOpen: new Gauge({ name: "portal_requests_open", help: "Requests for Install Code not closed, by status", labelNames: ["status"], registers }),
    requestsOverdue: new Gauge({ name: "portal_requests_overdue", help: "Requests still ASSIGNED after their due time", registers }),
    // Request events and audit events are never deleted, so these only grow: counters in meaning.
    breaches: new Gauge({ name: "portal_sla_breaches_total", help: "Requests that breached their response obligation (BREACHED events), all time", registers }),
    signIns: new Gauge({ name: "portal_sign_ins_total", help: "Successful sign-ins (SIGN_IN audit events), all time", registers }),
  };
}

// One registry per process, kept on globalThis: Next.js loads modules in several graphs and dev
// reloads them, and a second registration of the same metric name throws.
const slot = globalThis as unknown as { __installCodePortalMetrics?: Metrics };

export function metrics(): Metrics {
  slot.__installCodePortalMetrics ??= createMetrics();
  return slot.__installCodePortalMetrics;
}

const OPEN_STATUSES = ["ASSIGNED", "RESPONDED", "DECLINED"] as const;

/** Reads the portal's numbers from the database into the gauges (a few indexed counts). */
export async function refreshDatabaseGauges(client: PrismaClient = db(), at: Date = clockNow()): Promise<void> {
  const m = metrics();
  const [pending, oldest, byStatus, overdue, breaches, signIns] = await Promise.all([
    client.email.count({ where: { status: "PENDING" } }),
    client.email.aggregate({ where: { status: "PENDING" }, _min: { createdAt: true } }),
    client.installCodeRequest.groupBy({ by: ["status"], where: { status: { in: [...OPEN_STATUSES] } }, _count: { _all: true } }),
    client.installCodeRequest.count({ where: { status: "ASSIGNED", dueAt: { lt: at } } }),
    client.requestEvent.count({ where: { type: "BREACHED" } }),
    client.auditEvent.count({ where: { type: "SIGN_IN" } }),
  ]);
  m.outboxPending.set(pending);
  const oldestAt = oldest._min.createdAt;
  m.outboxOldestPendingAge.set(oldestAt ? Math.max(0, (Date.now() - oldestAt.getTime()) / 1000) : 0);
  for (const status of OPEN_STATUSES) m.requestsOpen.set({ status }, byStatus.find((row) => row.status === status)?._count._all ?? 0);
  m.requestsOverdue.set(overdue);
  m.breaches.set(breaches);
  m.signIns.set(signIns);
}

/** Records one answered HTTP request. `route` is the route's pattern (/api/v1/devices/[deviceId]), never the path. */
export function recordHttpRequest(method: string, route: string, status: number, startedAt: bigint): void {
  const labels = { method, route, status: String(status) };
  const m = metrics();
  m.httpRequests.inc(labels);
  m.httpDuration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
}

/** The route's pattern: each parameter's value in the path replaced by its [name]. */
export function routePattern(pathname: string, params: Record<string, string | string[]> | undefined): string {
  if (!params) return pathname;
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) names.set(v, `[${name}]`);
  return pathname
    .split("/")
    .map((segment) => names.get(safeDecode(segment)) ?? segment)
    .join("/");
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Whether the request carries the metrics token (Authorization: Bearer), compared in constant time. */
export function hasMetricsToken(request: Request, token: string): boolean {
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get("authorization") ?? "")?.[1]?.trim() ?? "";
  // Hash both sides: timingSafeEqual needs equal lengths, and the length must not leak either.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return bearer !== "" && timingSafeEqual(digest(bearer), digest(token));
}
