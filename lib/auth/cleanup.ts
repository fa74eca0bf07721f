import { db } from "../db/client";
import { redactExpiredSignInEmails } from "../notifications/redact";
import { SIGN_IN_LINK_MINUTES } from "./options";
import { logError } from "../log";

/**
 * Expired sign-in links, sessions and rate-limit windows are of no use to anyone: delete them; and
 * blank the development mailbox's copies of expired sign-in links.
 */
export async function purgeExpiredSignInData(now: Date = new Date()): Promise<{ tokens: number; sessions: number; emails: number }> {
  const tokens = await db().verificationToken.deleteMany({ where: { expires: { lt: now } } });
  const sessions = await db().session.deleteMany({ where: { expires: { lt: now } } });
  const emails = await redactExpiredSignInEmails(db(), SIGN_IN_LINK_MINUTES, now);
  await db().rateLimit.deleteMany({ where: { expire: { lt: BigInt(now.getTime() - 60 * 60_000) } } });
  return { tokens: tokens.count, sessions: sessions.count, emails };
}

/** Every five minutes, from server start (instrumentation.ts). */
const slot = globalThis as unknown as { __installCodePortalCleanup?: NodeJS.Timeout };

export function startSignInCleanup(): void {
  if (slot.__installCodePortalCleanup) return;
  const run = () => void purgeExpiredSignInData().catch((error: unknown) => logError(error, { job: "sign-in-cleanup" }, "sign-in cleanup failed"));
  slot.__installCodePortalCleanup = setInterval(run, 5 * 60_000);
  slot.__installCodePortalCleanup.unref();
}

/** Stops the timer (shutdown). */
export function stopSignInCleanup(): void {
  clearInterval(slot.__installCodePortalCleanup);
  slot.__installCodePortalCleanup = undefined;
}
