/**
 * How long after the `attempts`-th failed attempt to try again, for the email and webhook
 * dispatchers alike: 30 s doubling up to `capMs`, then "equal jitter" (between half and all of it) so
 * that what waited through an outage does not all come back at the same moment.
 */
export function backoffMs(attempts: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000 * 2 ** Math.max(attempts - 1, 0), capMs);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
