import { now as clockNow } from "../clock";
import { db } from "../db/client";
import { env } from "../env";
import type { EmailStatus } from "../db/generated/client";

// An email's body is kept for EMAIL_BODY_RETENTION_DAYS after it was written, then blanked as a
// sign-in link's is (lib/notifications/redact.ts) once it is done with (sent, failed, cancelled or
// carried by a digest): its subject, recipient, status and dates stay (docs/decisions/027-retention.md).

export const PURGED_TEXT = "[This email's contents were removed from the portal's records after the retention period.]";
const PURGED_HTML = `<p>${PURGED_TEXT}</p>`;

/** Emails per statement: a large backlog is blanked in short statements. */
export const PURGE_BATCH = 1000;
const DAY_MS = 24 * 60 * 60_000;

/** Blanks the bodies of finished emails written more than `days` ago; returns how many. Idempotent. */
export async function purgeSentEmailBodies(now: Date = clockNow(), options: { days?: number; batch?: number } = {}): Promise<number> {
  const days = options.days ?? env().emailBodyRetentionDays;
  const batch = options.batch ?? PURGE_BATCH;
  const before = new Date(now.getTime() - days * DAY_MS);
  const finished: EmailStatus[] = ["SENT", "FAILED", "CANCELLED", "DIGESTED"];
  const where = { status: { in: finished }, redactedAt: null, createdAt: { lt: before } };
  let purged = 0;
  for (;;) {
    const rows = await db().email.findMany({ where, select: { id: true }, take: batch, orderBy: { createdAt: "asc" } });
    if (rows.length === 0) return purged;
    // redactedAt: null again, so two runs at once blank (and count) each email once.
    const result = await db().email.updateMany({
      where: { id: { in: rows.map((r) => r.id) }, redactedAt: null },
      data: { text: PURGED_TEXT, html: PURGED_HTML, redactedAt: now },
    });
    purged += result.count;
    if (rows.length < batch) return purged;
  }
}
