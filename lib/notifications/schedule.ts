import { kickDispatcher } from "./dispatcher";

export const EMAIL_DISPATCHER_INTERVAL_MS = 15_000;

type DispatcherSlot = { __installCodePortalDispatcher?: NodeJS.Timeout; __installCodePortalDispatcherTick?: number };
const slot = globalThis as unknown as DispatcherSlot;

function tick(): void {
  // The readiness check (lib/ops/health.ts) reads this: a timer that stopped firing is a dead dispatcher.
  slot.__installCodePortalDispatcherTick = Date.now();
  kickDispatcher();
}

/** Delivers what was queued before a restart, then retries due emails every 15 seconds. */
export function startEmailDispatcher(): void {
  if (slot.__installCodePortalDispatcher) return;
  tick();
  slot.__installCodePortalDispatcher = setInterval(tick, EMAIL_DISPATCHER_INTERVAL_MS);
  slot.__installCodePortalDispatcher.unref();
}

/** Stops the interval timer (tests, shutdown); a run in progress finishes (dispatcherIdle). */
export function stopEmailDispatcher(): void {
  clearInterval(slot.__installCodePortalDispatcher);
  slot.__installCodePortalDispatcher = undefined;
  slot.__installCodePortalDispatcherTick = undefined;
}

/** When this process's dispatcher timer last fired (ms since the epoch), or null if it was never started. */
export function emailDispatcherLastTick(): number | null {
  return slot.__installCodePortalDispatcher ? (slot.__installCodePortalDispatcherTick ?? null) : null;
}
