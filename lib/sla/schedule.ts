import { Cron } from "croner";
import { now } from "../clock";
import { env } from "../env";
import { logError } from "../log";
import { generateDueReports } from "./report";
import { runSlaScan } from "./scheduler";
import { sendDailyDigests } from "../notifications/digest";
import { runRetention } from "../retention/run-retention";

// The portal's scheduled jobs. Every running instance that has RUN_SCHEDULER=true (the default)
// runs them, or `npm run worker` does beside instances that have RUN_SCHEDULER=false; each job is
// safe to run from several processes at once. Patterns are read in UK time; a job never overlaps
// itself (croner's `protect` skips a run while the previous one is still going).

export type ScheduledJob = {
  name: string;
  /** A cron pattern (croner: five fields, or six with seconds first), UK time. */
  pattern: string;
  /** Given the portal's time (lib/clock.ts), which the e2e tests move. */
  run: (now: Date) => Promise<unknown>;
};

/** The jobs of the obligation: one line each. */
export function scheduledJobs(): ScheduledJob[] {
  return [
    { name: "obligation-scan", pattern: env().slaScanCron, run: (at) => runSlaScan(at) },
    // Decides itself whether a month is due (the first Working Day onwards) and keeps it once.
    { name: "monthly-report", pattern: "*/10 * * * *", run: (at) => generateDueReports(at) },
    // The emails people chose to get once a day (lib/notifications/digest.ts).
    { name: "daily-digest", pattern: env().emailDigestCron, run: () => sendDailyDigests() },
    // Erases closed requests' Install Codes and blanks old email bodies (lib/retention).
    { name: "retention", pattern: "17 * * * *", run: (at) => runRetention(at) },
  ];
}

export type Scheduler = {
  jobs: string[];
  /** Every job's timer is still scheduled: not stopped, and has a next run (lib/ops/health.ts). */
  alive(): boolean;
  /** Stops every job's timer and waits for the runs in progress to finish. */
  stop(): Promise<void>;
};

/** Starts `jobs` on croner timers. */
export function startJobs(jobs: ScheduledJob[]): Scheduler {
  const running = new Set<Promise<unknown>>();
  const crons = jobs.map(
    (job) =>
      new Cron(job.pattern, { protect: true, timezone: "Europe/London" }, async () => {
        const run = job.run(now()).catch((error: unknown) => logError(error, { job: job.name }, `scheduled job ${job.name} failed`));
        running.add(run);
        try {
          await run;
        } finally {
          running.delete(run);
        }
      }),
  );
  return {
    jobs: jobs.map((job) => job.name),
    alive: () => crons.every((cron) => !cron.isStopped() && cron.nextRun() !== null),
    stop: async () => {
      for (const cron of crons) cron.stop();
      await Promise.all([...running]);
    },
  };
}

// One scheduler per process, shared through globalThis (Next.js loads instrumentation in its own
// module graph, and dev reloads modules).
const slot = globalThis as unknown as { __installCodePortalScheduler?: Scheduler };

/** Starts the scheduled jobs in this process, once (instrumentation.ts, scripts/worker.ts). */
export function startScheduler(extra: ScheduledJob[] = []): Scheduler {
  slot.__installCodePortalScheduler ??= startJobs([...scheduledJobs(), ...extra]);
  return slot.__installCodePortalScheduler;
}

/** This process's scheduler, or null if it runs none (RUN_SCHEDULER=false, or not started yet). */
export function currentScheduler(): Scheduler | null {
  return slot.__installCodePortalScheduler ?? null;
}

/** Stops this process's scheduled jobs, letting a run in progress finish. */
export async function stopScheduler(): Promise<void> {
  const scheduler = slot.__installCodePortalScheduler;
  slot.__installCodePortalScheduler = undefined;
  await scheduler?.stop();
}
