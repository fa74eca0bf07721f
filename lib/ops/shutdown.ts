import http from "node:http";
import { stopSignInCleanup } from "../auth/cleanup";
import { stopDatabaseProbe } from "../db/availability";
import { closeDatabase } from "../db/client";
import { env } from "../env";
import { logError, logger } from "../log";
import { closeSmtpConnections, dispatcherIdle } from "../notifications/dispatcher";
import { stopEmailDispatcher } from "../notifications/schedule";
import { stopScheduler } from "../sla/schedule";
import { markStopping } from "./stopping";
import { webhookDispatcherIdle } from "../webhooks/dispatcher";
import { stopWebhookDispatcher } from "../webhooks/schedule";

// Stopping a process cleanly (docs/decisions/029-database-outages.md, docs/deployment.md): no new
// background runs start, the runs in progress (an email being sent, a scheduled job) finish, then
// the database is closed (the embedded one is left as a clean shutdown leaves it).

/**
 * Stops every timer of the background work; a run in progress finishes the batch in hand and claims
 * no more (backgroundWorkIdle): while other instances keep queuing emails, a dispatcher that went on
 * claiming would never finish, and the stop would run into its timeout (the load-and-fault test).
 */
export function stopBackgroundTimers(): void {
  markStopping();
  stopEmailDispatcher();
  stopWebhookDispatcher();
  stopSignInCleanup();
}

/** Waits for the runs in progress: scheduled jobs, email and webhook delivery. */
export async function backgroundWorkIdle(): Promise<void> {
  stopBackgroundTimers();
  await stopScheduler();
  await dispatcherIdle();
  await webhookDispatcherIdle();
}

/** The end of a process's life: background work finished, SMTP and the database closed. */
export async function closeEverything(): Promise<void> {
  try {
    await backgroundWorkIdle();
  } finally {
    closeSmtpConnections();
    stopDatabaseProbe();
    await closeDatabase();
  }
}

type ShutdownSlot = { __installCodePortalShutdown?: { stopping: boolean } };
const slot = globalThis as unknown as ShutdownSlot;

/** True once SIGTERM or SIGINT was received: readiness answers 503 so a load balancer stops sending. */
export function shuttingDown(): boolean {
  return slot.__installCodePortalShutdown?.stopping ?? false;
}

/**
 * The web server's graceful stop (instrumentation.ts). Next.js itself, on SIGTERM or SIGINT, stops
 * accepting connections, waits for the requests in flight, then calls process.exit. This adds what
 * Next does not know about: the background timers stop at the signal, and the exit waits until the
 * runs in progress have finished and the database is closed, bounded by SHUTDOWN_TIMEOUT_SECONDS
 * (after which the process exits anyway, with status 1).
 */
/**
 * From now on every answer closes its connection ("Connection: close"). Next.js's server.close() waits
 * for every connection to end, and Node closes only the idle ones at that moment: a client that keeps
 * its kept-alive connections busy (a load balancer's pool) kept sending requests on them, the server
 * never finished closing, and the stop ran into its timeout, cutting requests off between their
 * commit and their answer (the load-and-fault test). The responses' keep-alive is decided per
 * response (ServerResponse#shouldKeepAlive); this makes it false for every response created after the signal.
 */
function closeConnectionsAfterAnswering(): void {
  Object.defineProperty(http.ServerResponse.prototype, "shouldKeepAlive", {
    configurable: true,
    get: () => false,
    set: () => {},
  });
}

export function installGracefulShutdown(): void {
  if (slot.__installCodePortalShutdown) return;
  const state = { stopping: false };
  slot.__installCodePortalShutdown = state;
  const realExit = process.exit.bind(process);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= closeEverything().catch((error: unknown) => logError(error, {}, "stopping: closing the database failed"));
    return closing;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (state.stopping) return;
    state.stopping = true;
    const timeoutMs = env().shutdownTimeoutSeconds * 1000;
    logger().info({ signal, timeoutMs }, "stopping: finishing requests in flight and background runs");
    closeConnectionsAfterAnswering();
    stopBackgroundTimers();
    const deadline = setTimeout(() => {
      logger().warn({ timeoutMs }, "stopping: not finished in time, exiting anyway");
      realExit(1);
    }, timeoutMs);
    deadline.unref();
    // Next.js calls process.exit once its server has closed: let that wait for our close.
    process.exit = ((code?: number | string | null) => {
      void close().finally(() => {
        logger().info({ code }, "stopped");
        realExit(code ?? undefined);
      });
    }) as typeof process.exit;
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
