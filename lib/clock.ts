// The portal's clock. Everything that asks "what time is it" for the obligation (due dates, the
// scheduler, the dashboard) asks here, so that the e2e tests can move time forward instead of
// sleeping. The offset can be set only outside a real deployment (demo mode: /dev/clock), never
// in production.

const slot = globalThis as unknown as { __installCodePortalClockOffsetMs?: number };

export function now(): Date {
  return new Date(Date.now() + (slot.__installCodePortalClockOffsetMs ?? 0));
}

/** Moves the clock (demo mode only: the caller checks). 0 puts it back. */
export function setClockOffset(ms: number): void {
  slot.__installCodePortalClockOffsetMs = ms;
}

export function clockOffset(): number {
  return slot.__installCodePortalClockOffsetMs ?? 0;
}
