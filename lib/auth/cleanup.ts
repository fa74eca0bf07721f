import { db } from "../db/client";

/** Expired sign-in links and sessions are of no use to anyone: delete them. */
export async function purgeExpiredSignInData(now: Date = new Date()): Promise<{ tokens: number; sessions: number }> {
  const tokens = await db().verificationToken.deleteMany({ where: { expires: { lt: now } } });
  const sessions = await db().session.deleteMany({ where: { expires: { lt: now } } });
  return { tokens: tokens.count, sessions: sessions.count };
}

/** Hourly, from server start (instrumentation.ts). */
export function startSignInCleanup(): void {
  const slot = globalThis as unknown as { __installCodePortalCleanup?: NodeJS.Timeout };
  if (slot.__installCodePortalCleanup) return;
  const run = () => void purgeExpiredSignInData().catch((error: Error) => console.error(`sign-in cleanup: ${error.message}`));
  slot.__installCodePortalCleanup = setInterval(run, 60 * 60_000);
  slot.__installCodePortalCleanup.unref();
}
