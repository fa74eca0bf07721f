import { recordAudit } from "../audit/record";
import type { Tx } from "../db/transaction";
import { LODGEABLE_STATUSES } from "../inventory/eligibility";
import { logger } from "../log";
import { emailOrganisation, requestUrl } from "../requests/notify";
import { formatReference } from "../requests/reference";
import { formatLongDay } from "../sla/phrases";
import { formatLondonDay, londonDay } from "../sla/working-days";
import { requestUpdatedEmail } from "../../emails/request-emails";
import { decryptInstallCode, encryptInstallCode } from "./encryption";
import { lodgedCodeContext } from "./lodge";

// The raise's hook (issue 9, part 4): a request for a Device whose installing Supplier lodged its
// Install Code in advance is answered in the raise's own transaction, so the obligation is met the
// moment it starts. docs/decisions/018-lodged-install-codes.md.

export type JustRaised = {
  id: string;
  number: number;
  deviceId: string;
  /** The organisation the request was assigned to: only its own lodged code answers. */
  assignedOrganisationId: string;
  /** Told of the answer. */
  raisingOrganisationId: string;
};

/** What the timeline's INSTALL_CODE_PROVIDED says for an answer from a lodged code (components/request-timeline.tsx reads the prefix). */
export function lodgedDetail(lodgedAt: Date, organisationName: string): string {
  return `lodged on ${formatLongDay(lodgedAt)} by ${organisationName}`;
}

/**
 * Answers a request just raised (inside the raise's transaction, after its RAISED and ASSIGNED events)
 * from the assignee's lodged code, if it has one for the Device and the SMI still says the Device is
 * not yet commissioned and pre-notified by it: the code is copied onto the request as the lodger's
 * InstallCode (re-encrypted for the request), the request is RESPONDED at the raise's time, the
 * timeline says when and by whom it was lodged, and the raiser is emailed that the answer is ready
 * (never the code). The lodged code stays lodged for any later request.
 */
export async function answerFromLodgedCode(tx: Tx, request: JustRaised, now: Date): Promise<{ answered: boolean; lodgedAt: Date | null }> {
  const lodged = await tx.lodgedInstallCode.findFirst({
    where: {
      deviceId: request.deviceId,
      organisationId: request.assignedOrganisationId,
      // A code the SMI has moved past is never used, even if the trigger that drops it had not run.
      device: { preNotifiedById: request.assignedOrganisationId, status: { in: [...LODGEABLE_STATUSES] } },
    },
    select: {
      encrypted: true,
      lodgedAt: true,
      organisationId: true,
      organisation: { select: { code: true, name: true } },
      lodgedBy: { select: { id: true, email: true } },
    },
  });
  if (!lodged) return { answered: false, lodgedAt: null };

  let installCode: string;
  try {
    installCode = decryptInstallCode(lodged.encrypted, lodgedCodeContext(request.deviceId, lodged.organisationId));
  } catch {
    // INSTALL_CODE_KEY changed since it was lodged: the request waits for an answer like any other.
    logger().warn({ deviceId: request.deviceId, organisation: lodged.organisation.code }, "lodged Install Code cannot be decrypted: request left to be answered");
    return { answered: false, lodgedAt: null };
  }
  const reference = formatReference(request.number);
  await tx.installCode.create({
    data: {
      requestId: request.id,
      providedByOrganisationId: lodged.organisationId,
      providedById: lodged.lodgedBy?.id ?? null,
      encrypted: encryptInstallCode(installCode, request.id),
      providedAt: now,
    },
  });
  await tx.installCodeRequest.update({ where: { id: request.id }, data: { status: "RESPONDED", respondedAt: now } });
  // The clock (lib/sla/clock.ts) ends at the assignee's first INSTALL_CODE_PROVIDED: met at raise time.
  await tx.requestEvent.create({
    data: {
      requestId: request.id,
      type: "INSTALL_CODE_PROVIDED",
      at: now,
      actorId: lodged.lodgedBy?.id ?? null,
      actorOrganisationId: lodged.organisationId,
      detail: lodgedDetail(lodged.lodgedAt, lodged.organisation.name),
    },
  });
  await recordAudit(tx, {
    type: "INSTALL_CODE_PROVIDED",
    actor: lodged.lodgedBy
      ? { userId: lodged.lodgedBy.id, email: lodged.lodgedBy.email, organisationId: lodged.organisationId, organisationCode: lodged.organisation.code }
      : null,
    requestReference: reference,
    subject: lodged.lodgedBy ? undefined : lodged.organisation.code,
    detail: `answered when raised, from the Install Code lodged on ${formatLondonDay(londonDay(lodged.lodgedAt))}`,
    at: now,
  });
  await emailOrganisation(
    tx,
    request.id,
    request.raisingOrganisationId,
    requestUpdatedEmail({
      reference,
      deviceId: request.deviceId,
      what: `${lodged.organisation.name} provided the Install Code (lodged in advance on ${formatLongDay(lodged.lodgedAt)})`,
      url: requestUrl(request.number),
    }),
    "ANSWER",
  );
  return { answered: true, lodgedAt: lodged.lodgedAt };
}
