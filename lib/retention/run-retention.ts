import { deleteExpiredRecords, type DeletedRecords } from "./delete-expired-records";
import { eraseClosedInstallCodes } from "./erase-install-codes";
import { purgeSentEmailBodies } from "./purge-email-bodies";

/**
 * The hourly retention job (lib/sla/schedule.ts): erase closed requests' codes, blank old email
 * bodies, delete records older than RECORD_RETENTION_YEARS (docs/decisions/027-retention.md).
 */
export async function runRetention(now: Date): Promise<{ installCodesErased: number; emailBodiesPurged: number; deleted: DeletedRecords }> {
  const installCodesErased = await eraseClosedInstallCodes(now);
  const emailBodiesPurged = await purgeSentEmailBodies(now);
  const deleted = await deleteExpiredRecords(now);
  return { installCodesErased, emailBodiesPurged, deleted };
}
