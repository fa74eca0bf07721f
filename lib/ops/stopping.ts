// Whether this process is stopping (a signal to the web server, or the worker's stop), shared through
// globalThis: Next.js bundles server code into several module graphs, and the dispatchers that read
// it may run in another graph than the shutdown that sets it. No imports: the dispatchers read it and
// lib/ops/shutdown.ts (which imports them) sets it.
const slot = globalThis as unknown as { __installCodePortalStopping?: boolean };

/** From now on the background loops start no new batch: the one in hand finishes, the rest is left in the outbox. */
export function markStopping(): void {
  slot.__installCodePortalStopping = true;
}

export function processStopping(): boolean {
  return slot.__installCodePortalStopping ?? false;
}
