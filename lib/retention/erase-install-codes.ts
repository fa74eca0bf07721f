import { now as clockNow } from "../clock";
import { transaction } from "../db/transaction";
import { env } from "../env";

// An Install Code is a secret no longer needed once its request is closed: INSTALL_CODE_RETENTION_DAYS
// after closing, the ciphertext of every code given for the request (replaced ones too) is blanked,
// `erasedAt` set, and one INSTALL_CODE_ERASED event goes on the timeline. Everything the obligation
// reports read (the request, its timeline) stays (docs/decisions/027-retention.md). Lodged codes are
// not touched: they go when the SMI moves the Device on.

/** Requests per transaction: a large backlog is erased in short transactions. */
export const ERASE_BATCH = 500;
const DAY_MS = 24 * 60 * 60_000;

/** The stored value of an erased code's ciphertext. */
export const ERASED_CIPHERTEXT = "";

/**
 * Erases the codes of requests closed more than `days` ago; returns how many requests it erased.
 * Idempotent, and safe when several instances run it at once: a request locked by another run is
 * skipped (SKIP LOCKED), and only a run whose UPDATE blanked a code writes the event.
 */
export async function eraseClosedInstallCodes(
  now: Date = clockNow(),
  options: { days?: number; batch?: number } = {},
): Promise<number> {
  const days = options.days ?? env().installCodeRetentionDays;
  const batch = options.batch ?? ERASE_BATCH;
  const before = new Date(now.getTime() - days * DAY_MS);
  let erased = 0;
  for (;;) {
    const { picked, done } = await transaction(async (tx) => {
      const requests = await tx.$queryRaw<{ id: string }[]>`
        SELECT r.id FROM "InstallCodeRequest" r
        WHERE r.status = 'CLOSED' AND r."closedAt" < ${before}
          AND EXISTS (SELECT 1 FROM "InstallCode" c WHERE c."requestId" = r.id AND c."erasedAt" IS NULL)
        ORDER BY r."closedAt", r.id
        LIMIT ${batch}
        FOR UPDATE OF r SKIP LOCKED`;
      if (requests.length === 0) return { picked: 0, done: 0 };
      const ids = requests.map((r) => r.id);
      // The condition is checked again on the row as it is now: a code another run erased meanwhile
      // is not returned, so its request gets no second event.
      const blanked = await tx.$queryRaw<{ requestId: string }[]>`
        UPDATE "InstallCode" SET encrypted = ${ERASED_CIPHERTEXT}, "erasedAt" = ${now}
        WHERE "requestId" = ANY(${ids}::uuid[]) AND "erasedAt" IS NULL
        RETURNING "requestId"`;
      const requestIds = [...new Set(blanked.map((b) => b.requestId))];
      if (requestIds.length > 0) {
        await tx.requestEvent.createMany({
          data: requestIds.map((requestId) => ({ requestId, type: "INSTALL_CODE_ERASED" as const, at: now, detail: String(days) })),
        });
      }
      return { picked: requests.length, done: requestIds.length };
    });
    erased += done;
    if (picked < batch) return erased;
  }
}

/** Whole days from the request's closing to the code's erasure, for "erased N days after closing". */
export function daysFromClosingToErasure(closedAt: Date | null, erasedAt: Date): number | null {
  if (!closedAt) return null;
  return Math.max(Math.floor((erasedAt.getTime() - closedAt.getTime()) / DAY_MS), 0);
}

/** What the request page shows in place of an erased code. */
export function erasedCodeSummary(closedAt: Date | null, erasedAt: Date): string {
  const days = daysFromClosingToErasure(closedAt, erasedAt);
  return days === null ? "Erased after the request was closed" : `Erased ${days} day${days === 1 ? "" : "s"} after the request was closed`;
}

/** What a reveal says of an erased code. */
export function erasedCodeMessage(closedAt: Date | null, erasedAt: Date): string {
  const days = daysFromClosingToErasure(closedAt, erasedAt);
  const when = days === null ? "after the request was closed" : `${days} day${days === 1 ? "" : "s"} after the request was closed`;
  return `This Install Code was erased ${when}: the portal does not keep Install Codes of closed requests. Ask the installing Supplier if you still need it`;
}
