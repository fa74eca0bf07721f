import { AppError } from "../errors";
import { logError, logger } from "../log";
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  databaseDownSince,
  setDatabaseDown,
  setDatabaseUp,
} from "./availability-state";
import { database } from "./client";

// While PostgreSQL is unreachable (a restart, a failover, a network fault) the portal answers 503
// with Retry-After instead of an error page or a hang, and finds out by itself when it is back
// (docs/decisions/029-database-outages.md). A failure that says the server cannot be reached marks
// the database down; from then on proxy.ts answers 503 at once, and a probe asks the database every
// PROBE_INTERVAL_MS until it answers, which marks it up again.

export const PROBE_INTERVAL_MS = 1_000;
const PROBE_TIMEOUT_MS = 2_000;

/** Error codes of a connection that could not be made or was lost (Node, pg, PostgreSQL). */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: the server is stopping
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or in recovery
  "08000", // connection_exception
  "08001", // sqlclient_unable_to_establish_sqlconnection
  "08003", // connection_does_not_exist
  "08006", // connection_failure
  // Prisma: can't reach the server, timed out reaching it, the server closed the connection.
  "P1001",
  "P1002",
  "P1017",
]);

/** Prisma's driver adapters name the kind of failure; these mean the server is out of reach. */
const CONNECTION_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "DatabaseDoesNotExist"]);

// "timeout expired": pg's client could not complete a new connection within CONNECT_TIMEOUT_MS.
// Not "timeout exceeded when trying to connect": that is pg-pool's wait for a free connection, an
// overloaded portal rather than an unreachable database (isPoolExhausted).
const CONNECTION_MESSAGES = /Connection terminated|connection timeout|^timeout expired$|Can't reach database server|Client has encountered a connection error/i;

/** Whether `error` (from Prisma, pg or Node) says the database server cannot be reached. */
export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } } };
  if (typeof e.code === "string" && CONNECTION_CODES.has(e.code)) return true;
  const adapterCause = e.meta?.driverAdapterError?.cause;
  if (adapterCause) {
    if (typeof adapterCause.kind === "string" && CONNECTION_KINDS.has(adapterCause.kind)) return true;
    if (typeof adapterCause.code === "string" && CONNECTION_CODES.has(adapterCause.code)) return true;
  }
  if (typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message)) return true;
  return isDatabaseUnreachable(e.cause, depth + 1);
}

/** Whether `error` is pg-pool's "no free connection within POOL_WAIT_TIMEOUT_MS": the portal is overloaded. */
export function isPoolExhausted(error: unknown, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const e = error as { message?: unknown; cause?: unknown };
  if (typeof e.message === "string" && /timeout exceeded when trying to connect/.test(e.message)) return true;
  return isPoolExhausted(e.cause, depth + 1);
}

/** The refusal while every connection of the pool is busy: try again shortly (503, Retry-After). */
export function portalBusy(): AppError {
  return new AppError("UNAVAILABLE", "The portal is busy: try again in a few seconds", {}, 2);
}

/** The refusal a use case or route gives while the database is unreachable (503, Retry-After). */
export function databaseUnavailable(): AppError {
  return new AppError("UNAVAILABLE", DATABASE_UNAVAILABLE_MESSAGE, {}, DATABASE_RETRY_AFTER_SECONDS);
}

type Probe = { timer: NodeJS.Timeout; running: boolean };
const slot = globalThis as unknown as { __installCodePortalDbProbe?: Probe };

async function probeOnce(probe: Probe): Promise<void> {
  if (probe.running) return;
  probe.running = true;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      database().client.$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer")), PROBE_TIMEOUT_MS);
      }),
    ]);
    const since = databaseDownSince();
    setDatabaseUp();
    clearInterval(probe.timer);
    slot.__installCodePortalDbProbe = undefined;
    logger().warn({ unreachableForMs: since === null ? undefined : Date.now() - since }, "the database answers again");
  } catch {
    // Still out of reach: the next tick asks again.
  } finally {
    clearTimeout(timer);
    probe.running = false;
  }
}

/**
 * Marks the database down when `error` says it is out of reach, and starts the probe that marks it
 * up again. True when it did (the caller answers 503), false for any other error.
 */
export function noteDatabaseError(error: unknown, now = Date.now()): boolean {
  if (!isDatabaseUnreachable(error)) return false;
  if (databaseDownSince() === null) logError(error, {}, "the database cannot be reached: answering 503 until it can");
  setDatabaseDown(now);
  if (!slot.__installCodePortalDbProbe) {
    const probe: Probe = { timer: setInterval(() => void probeOnce(probe), PROBE_INTERVAL_MS), running: false };
    probe.timer.unref();
    slot.__installCodePortalDbProbe = probe;
  }
  return true;
}

/**
 * Runs `write`; while it fails because the database is out of reach, again every PROBE_INTERVAL_MS,
 * for at most `withinMs` (then its last error is thrown). For the records that must follow what is
 * already done: an email handed to the mail server is SENT (or it would be sent again), an answered
 * API call's Idempotency-Key keeps its answer (or a retry would act again).
 */
export async function retryWhileUnreachable<T>(write: () => Promise<T>, withinMs: number): Promise<T> {
  const end = Date.now() + withinMs;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!noteDatabaseError(error) || Date.now() + PROBE_INTERVAL_MS > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  }
}

/** Stops the probe (a graceful stop, or a test that closes its database). */
export function stopDatabaseProbe(): void {
  const probe = slot.__installCodePortalDbProbe;
  if (probe) clearInterval(probe.timer);
  slot.__installCodePortalDbProbe = undefined;
  setDatabaseUp();
}
