import { kickWebhookDispatcher } from "./dispatcher";

const INTERVAL_MS = 5_000;

/** Posts what was queued before a restart, then due retries every 5 seconds (instrumentation.ts). */
const slot = globalThis as unknown as { __installCodePortalWebhookDispatcher?: NodeJS.Timeout };

export function startWebhookDispatcher(): void {
  if (slot.__installCodePortalWebhookDispatcher) return;
  kickWebhookDispatcher();
  slot.__installCodePortalWebhookDispatcher = setInterval(kickWebhookDispatcher, INTERVAL_MS);
  slot.__installCodePortalWebhookDispatcher.unref();
}

/** Stops the interval timer (shutdown); a run in progress finishes (webhookDispatcherIdle). */
export function stopWebhookDispatcher(): void {
  clearInterval(slot.__installCodePortalWebhookDispatcher);
  slot.__installCodePortalWebhookDispatcher = undefined;
}
