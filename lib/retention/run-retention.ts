import { eraseClosedInstallCodes } from "./erase-install-codes";
import { purgeSentEmailBodies } from "./purge-email-bodies";

/** The hourly retention job (lib/sla/schedule.ts): erase closed requests' codes, blank old email bodies. */
export async function runRetention(now: Date): Promise<{ installCodesErased: number; emailBodiesPurged: number }> {
  const installCodesErased = await eraseClosedInstallCodes(now);
  const emailBodiesPurged = await purgeSentEmailBodies(now);
  return { installCodesErased, emailBodiesPurged };
}
