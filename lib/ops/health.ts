import { noteDatabaseError } from "../db/availability";
import { db, type PrismaClient } from "../db/client";
import { DEFAULT_MIGRATIONS_DIR, readMigrations } from "../db/migrate";
import { env } from "../env";
import { EMAIL_DISPATCHER_INTERVAL_MS, emailDispatcherLastTick } from "../notifications/schedule";
import { currentScheduler } from "../sla/schedule";
import { shuttingDown } from "./shutdown";

// Readiness (docs/decisions/026-health-and-metrics.md): may this process be sent traffic? Each check
// answers within CHECK_TIMEOUT_MS, so a hung database makes /api/ready answer 503 in about that
// long, never hang the probe.

export const CHECK_TIMEOUT_MS = 1_500;
/** The dispatcher's timer fires every 15 s: three missed ticks and it is dead. */
export const DISPATCHER_STALE_MS = EMAIL_DISPATCHER_INTERVAL_MS * 3;

export type CheckName = "database" | "migrations" | "emailDispatcher" | "scheduler" | "stopping";
export type CheckResult = { ok: boolean; detail: string };
export type Readiness = { ready: boolean; checks: Record<CheckName, CheckResult> };

export type ReadinessSources = {
  client: PrismaClient;
  /** Migration folder names that must be recorded as applied. */
  migrations: string[];
  /** When the email dispatcher's timer last fired, or null if it never started in this process. */
  dispatcherLastTick: number | null;
  /** Whether this process is meant to run the scheduler (RUN_SCHEDULER). */
  runsScheduler: boolean;
  /** The scheduler's timers are all still scheduled; null if it was never started. */
  schedulerAlive: boolean | null;
  now: number;
  /** SIGTERM received: the process is finishing what it has and takes no more (lib/ops/shutdown.ts). */
  stopping: boolean;
};

let migrationNames: string[] | undefined;

/** What this process reads: its database, its migrations folder, its own timers. */
export function processReadinessSources(): ReadinessSources {
  migrationNames ??= readMigrations(DEFAULT_MIGRATIONS_DIR).map((m) => m.name);
  const scheduler = currentScheduler();
  return {
    client: db(),
    migrations: migrationNames,
    dispatcherLastTick: emailDispatcherLastTick(),
    runsScheduler: env().runScheduler,
    schedulerAlive: scheduler ? scheduler.alive() : null,
    now: Date.now(),
    stopping: shuttingDown(),
  };
}

class CheckTimeout extends Error {}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A failing check's reason, without anything a probe's log should not hold (no URLs, no passwords). */
function reason(error: unknown): string {
  if (error instanceof CheckTimeout) return error.message;
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? `unreachable (${code})` : "unreachable";
}

async function checkDatabase(client: PrismaClient, timeoutMs: number): Promise<CheckResult> {
  try {
    await withTimeout(client.$queryRaw`SELECT 1`, timeoutMs);
    return { ok: true, detail: "answers" };
  } catch (error) {
    noteDatabaseError(error);
    return { ok: false, detail: reason(error) };
  }
}

async function checkMigrations(client: PrismaClient, expected: string[], timeoutMs: number): Promise<CheckResult> {
  try {
    const rows = await withTimeout(
      client.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      timeoutMs,
    );
    const applied = new Set(rows.map((row) => row.migration_name));
    const missing = expected.filter((name) => !applied.has(name));
    if (missing.length > 0) return { ok: false, detail: `not applied: ${missing.join(", ")}` };
    return { ok: true, detail: `${expected.length} applied` };
  } catch (error) {
    return { ok: false, detail: reason(error) };
  }
}

function checkDispatcher(lastTick: number | null, now: number): CheckResult {
  if (lastTick === null) return { ok: false, detail: "not started in this process" };
  const age = now - lastTick;
  if (age > DISPATCHER_STALE_MS) return { ok: false, detail: `timer last fired ${Math.round(age / 1000)} s ago` };
  return { ok: true, detail: `timer fired ${Math.round(age / 1000)} s ago` };
}

function checkScheduler(runs: boolean, alive: boolean | null): CheckResult {
  if (!runs) return { ok: true, detail: "not run in this process (RUN_SCHEDULER=false)" };
  if (alive === null) return { ok: false, detail: "not started in this process" };
  return alive ? { ok: true, detail: "every job scheduled" } : { ok: false, detail: "a job's timer has stopped" };
}

/** Every check, run together; ready only if all pass. */
export async function readiness(sources: ReadinessSources = processReadinessSources(), timeoutMs = CHECK_TIMEOUT_MS): Promise<Readiness> {
  const [database, migrations] = await Promise.all([
    checkDatabase(sources.client, timeoutMs),
    checkMigrations(sources.client, sources.migrations, timeoutMs),
  ]);
  const checks: Record<CheckName, CheckResult> = {
    database,
    migrations,
    emailDispatcher: checkDispatcher(sources.dispatcherLastTick, sources.now),
    scheduler: checkScheduler(sources.runsScheduler, sources.schedulerAlive),
    stopping: sources.stopping ? { ok: false, detail: "stopping: send no more requests here" } : { ok: true, detail: "not stopping" },
  };
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}
