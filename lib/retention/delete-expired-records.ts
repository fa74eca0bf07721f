import { subYears } from "date-fns";
import { recordAudit } from "../audit/record";
import { now as clockNow } from "../clock";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { formatReference } from "../requests/reference";

// The records kept for the obligation reports are kept for RECORD_RETENTION_YEARS (default 6), then
// deleted (docs/decisions/027-retention.md): a request closed longer ago than that goes with its
// timeline, notes, codes, obligation notices, emails and webhook deliveries; so do emails written and
// monthly reports made that long ago. Requests still open are never deleted, however old. The audit
// log is append-only and is not deleted here; one EXPIRED_RECORDS_DELETED entry records each run
// that deleted something.

/** Requests per transaction: a large backlog is deleted in short transactions. */
export const DELETE_BATCH = 200;

export type DeletedRecords = { requests: number; emails: number; reports: number };

/**
 * Deletes what is older than `years` (see above); returns the counts. Idempotent, and safe when
 * several instances run it at once (requests are picked FOR UPDATE SKIP LOCKED).
 */
export async function deleteExpiredRecords(now: Date = clockNow(), options: { years?: number; batch?: number } = {}): Promise<DeletedRecords> {
  const years = options.years ?? env().recordRetentionYears;
  const batch = options.batch ?? DELETE_BATCH;
  const before = subYears(now, years);
  const cutoff = before.toISOString();
  const rule = `RECORD_RETENTION_YEARS ${years}`;
  const deleted: DeletedRecords = { requests: 0, emails: 0, reports: 0 };
  for (;;) {
    const picked = await transaction(async (tx) => {
      // The timeline is append-only (a trigger), except in a transaction that says it is this job.
      await tx.$executeRaw`SELECT set_config('portal.deleting_expired_records', 'on', true)`;
      const requests = await tx.$queryRaw<{ id: string; number: number }[]>`
        SELECT r.id, r.number FROM "InstallCodeRequest" r
        WHERE r.status = 'CLOSED' AND r."closedAt" < ${before}
        ORDER BY r."closedAt", r.id
        LIMIT ${batch}
        FOR UPDATE OF r SKIP LOCKED`;
      if (requests.length === 0) return 0;
      const ids = requests.map((r) => r.id);
      const references = requests.map((r) => formatReference(r.number));
      await tx.$executeRaw`DELETE FROM "RequestEvent" WHERE "requestId" = ANY(${ids}::uuid[])`;
      await tx.$executeRaw`DELETE FROM "Note" WHERE "requestId" = ANY(${ids}::uuid[])`;
      await tx.$executeRaw`DELETE FROM "InstallCode" WHERE "requestId" = ANY(${ids}::uuid[])`;
      await tx.$executeRaw`DELETE FROM "SlaNotice" WHERE "requestId" = ANY(${ids}::uuid[])`;
      deleted.emails += await tx.$executeRaw`DELETE FROM "Email" WHERE "requestId" = ANY(${ids}::uuid[])`;
      await tx.$executeRaw`DELETE FROM "WebhookDelivery" WHERE "requestReference" = ANY(${references}::text[])`;
      await tx.$executeRaw`DELETE FROM "InstallCodeRequest" WHERE id = ANY(${ids}::uuid[])`;
      await recordAudit(tx, { type: "EXPIRED_RECORDS_DELETED", at: now, detail: `${requests.length} request(s) closed before ${cutoff}, with their timelines, notes, codes and emails (${rule})` });
      return requests.length;
    });
    deleted.requests += picked;
    if (picked < batch) break;
  }
  // Emails written that long ago about no request, or about several (a bulk raise's), once done
  // with, and monthly reports of months that ended that long ago.
  const beforeMonth = before.toISOString().slice(0, 7);
  await transaction(async (tx) => {
    const emails = await tx.$executeRaw`DELETE FROM "Email" WHERE "createdAt" < ${before} AND status NOT IN ('PENDING', 'HELD')`;
    const reports = await tx.$executeRaw`DELETE FROM "ObligationReport" WHERE month < ${beforeMonth}`;
    if (emails + reports > 0) {
      await recordAudit(tx, { type: "EXPIRED_RECORDS_DELETED", at: now, detail: `${emails} email(s) written and ${reports} monthly report(s) of months ended before ${cutoff} (${rule})` });
    }
    deleted.emails += emails;
    deleted.reports += reports;
  });
  return deleted;
}
