// npm run worker — the portal's background work, for deployments that run it apart from the web
// servers (set RUN_SCHEDULER=false on those): the scheduled jobs (lib/sla/schedule.ts: reminders and
// breaches, and whatever joins that list), email and webhook delivery and the sign-in clean-up. Several workers
// may run at once. SIGTERM or SIGINT: the runs in progress finish, then the database is closed.
import { purgeExpiredSignInData } from "../lib/auth/cleanup";
import { closeDatabase } from "../lib/db/client";
import { applyMigrations } from "../lib/db/prepare";
import { env, EnvError } from "../lib/env";
import { logger } from "../lib/log";
import { dispatcherIdle, kickDispatcher } from "../lib/notifications/dispatcher";
import { closeEverything } from "../lib/ops/shutdown";
import { startScheduler, stopScheduler, type ScheduledJob } from "../lib/sla/schedule";
import { kickWebhookDispatcher, webhookDispatcherIdle } from "../lib/webhooks/dispatcher";

// The web server runs these three on plain intervals; here they are jobs like the others, so that
// stopping waits for a run in progress instead of closing the database under it.
const WORKER_JOBS: ScheduledJob[] = [
  {
    name: "email-dispatcher",
    pattern: "*/15 * * * * *",
    run: async () => {
      kickDispatcher();
      await dispatcherIdle();
    },
  },
  {
    name: "webhook-dispatcher",
    pattern: "*/5 * * * * *",
    run: async () => {
      kickWebhookDispatcher();
      await webhookDispatcherIdle();
    },
  },
  { name: "sign-in-cleanup", pattern: "*/5 * * * *", run: () => purgeExpiredSignInData() },
];

async function start(): Promise<boolean> {
  if (env().demoMode) {
    // The embedded database belongs to one process: a worker beside the portal would corrupt it.
    console.error(
      "npm run worker needs DATABASE_URL (a PostgreSQL server). With the embedded database the portal runs its scheduler itself: leave RUN_SCHEDULER unset.",
    );
    return false;
  }
  await applyMigrations(() => {});
  const scheduler = startScheduler(WORKER_JOBS);
  kickDispatcher(); // what was queued while no one was delivering
  kickWebhookDispatcher();
  logger().info({ jobs: scheduler.jobs, pid: process.pid }, `worker started: ${scheduler.jobs.join(", ")}`);
  return true;
}

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) {
    logger().warn({ signal }, "worker stopping at once: runs in progress are abandoned");
    process.exit(130);
  }
  stopping = true;
  logger().info({ signal }, "worker stopping: finishing the runs in progress");
  await closeEverything();
  logger().info({}, "worker stopped");
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    void stop(signal).catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
  });
}

start()
  .then(async (started) => {
    if (!started) {
      await closeDatabase();
      process.exitCode = 2;
    }
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof EnvError ? error.message : error);
    await stopScheduler();
    await closeDatabase();
    process.exitCode = 1;
  });
