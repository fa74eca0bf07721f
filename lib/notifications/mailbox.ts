import { isUuid } from "../db/text-and-ids";
import { db } from "../db/client";
import { env } from "../env";
import { SIGN_IN_LINK_MINUTES } from "../auth/options";
import { redactExpiredSignInEmails } from "./redact";

// The development mailbox: in demo mode with no SMTP server configured, emails stay in the database
// and the portal shows them at /dev/mailbox. Whoever reads it can sign in as anyone, so it exists
// only in demo mode (no DATABASE_URL) and never when SMTP_URL is set.

export function mailboxEnabled(): boolean {
  const { demoMode, smtpUrl } = env();
  return demoMode && !smtpUrl;
}

export async function listMailbox(limit = 100) {
  if (!mailboxEnabled()) return null;
  return db().email.findMany({
    // What was delivered, or is on its way: not what waits for a digest, went in one, or was cancelled.
    where: { status: { in: ["PENDING", "SENT", "FAILED"] } },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, to: true, subject: true, createdAt: true, status: true },
  });
}

export async function mailboxMessage(id: string, now: Date = new Date()) {
  if (!mailboxEnabled() || !isUuid(id)) return null;
  // An expired sign-in link is blanked before anyone reads it, not only at the next cleanup.
  await redactExpiredSignInEmails(db(), SIGN_IN_LINK_MINUTES, now);
  return db().email.findUnique({ where: { id } });
}
