import { kickDispatcher } from "./dispatcher";

const INTERVAL_MS = 15_000;

/** Delivers what was queued before a restart, then retries due emails every 15 seconds. */
export function startEmailDispatcher(): void {
  const slot = globalThis as unknown as { __installCodePortalDispatcher?: NodeJS.Timeout };
  if (slot.__installCodePortalDispatcher) return;
  kickDispatcher();
  slot.__installCodePortalDispatcher = setInterval(kickDispatcher, INTERVAL_MS);
  slot.__installCodePortalDispatcher.unref();
}
