import type { Instrumentation } from "next";

// Runs once when the server starts.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { installGracefulShutdown } = await import("./lib/ops/shutdown");
    installGracefulShutdown();
    const { startHttpMetrics } = await import("./lib/ops/http-metrics");
    startHttpMetrics();
    const { startEmailDispatcher } = await import("./lib/notifications/schedule");
    const { startSignInCleanup } = await import("./lib/auth/cleanup");
    const { startWebhookDispatcher } = await import("./lib/webhooks/schedule");
    startEmailDispatcher();
    startWebhookDispatcher();
    startSignInCleanup();
    // The scheduled jobs (reminders and breaches, lib/sla/schedule.ts), unless `npm run worker`
    // runs them for this deployment (RUN_SCHEDULER=false).
    const { env } = await import("./lib/env");
    if (env().runScheduler) {
      const { startScheduler } = await import("./lib/sla/schedule");
      startScheduler();
    }
  }
}

/**
 * Every error Next catches while serving a request. The browser sees only the digest (the error
 * page shows it as the error id); the detail goes to the log under the same digest. Headers,
 * cookies, the body and the query string (a sign-in link's token) are never logged.
 */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "edge") {
    // The database out of reach: mark it down (lib/db/availability.ts logs that once), so the next
    // requests get a 503 with Retry-After from proxy.ts instead of failing here one by one.
    const { noteDatabaseError } = await import("./lib/db/availability");
    if (noteDatabaseError(error)) return;
    const { logError, scrubSecrets } = await import("./lib/log");
    const digest = typeof error === "object" && error !== null && "digest" in error ? String(error.digest) : undefined;
    logError(
      error,
      {
        digest,
        method: request.method,
        path: scrubSecrets(request.path.split(/[?#]/, 1)[0] ?? ""),
        routePath: context.routePath,
        routeType: context.routeType,
        routerKind: context.routerKind,
        renderSource: context.renderSource,
      },
      "request failed",
    );
  }
};
