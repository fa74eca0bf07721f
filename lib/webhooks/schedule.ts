import { kickWebhookDispatcher } from "./dispatcher";

const INTERVAL_MS = 5_000;

/** Posts what was queued before a restart, then due retries every 5 seconds (instrumentation.ts). */
export function startWebhookDispatcher(): void {
  const slot = globalThis as unknown as { __installCodePortalWebhookDispatcher?: NodeJS.Timeout };
  if (slot.__installCodePortalWebhookDispatcher) return;
  kickWebhookDispatcher();
  slot.__installCodePortalWebhookDispatcher = setInterval(kickWebhookDispatcher, INTERVAL_MS);
  slot.__installCodePortalWebhookDispatcher.unref();
}
