import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";
import { encryptInstallCode } from "../install-code/encryption";
import { kickDispatcher } from "../notifications/dispatcher";
import { requestUpdatedEmail } from "../../emails/request-emails";
import { requestForAction } from "./mutate";
import { emailOrganisation, requestUrl } from "./notify";
import { formatReference } from "./reference";
import { provideInstallCodeSchema, REPLACE_REASON_MESSAGE, type ProvideInstallCodeInput } from "./schemas";
import { queueWebhooks } from "../webhooks/queue";

/**
 * The assigned Supplier answers with the Install Code, validated (length, CRC) before it is stored,
 * encrypted, as its own: only it and the raising organisation can reveal it. A second code from the
 * same organisation replaces its first. The raising organisation is emailed, without the code.
 */
export async function provideInstallCode(actor: Actor, input: ProvideInstallCodeInput, options: { now?: Date } = {}): Promise<void> {
  const { reference, installCode, reason } = validate(provideInstallCodeSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "install-code:provide");
    // Only a code this organisation gave since it was (last) assigned is replaced; a code it gave
    // before a reassignment stays on the record, labelled so.
    const replaced = await tx.installCode.updateMany({
      where: { requestId: request.id, providedByOrganisationId: actor.organisationId, replacedAt: null, reassignedAwayAt: null },
      data: { replacedAt: now },
    });
    const replacing = replaced.count > 0;
    // The raiser may already have used the first code: a replacement says why (rolled back otherwise).
    if (replacing && !reason) throw new AppError("VALIDATION", REPLACE_REASON_MESSAGE, { reason: [REPLACE_REASON_MESSAGE] });
    await tx.installCode.create({
      data: {
        requestId: request.id,
        providedByOrganisationId: actor.organisationId,
        providedById: actor.userId,
        encrypted: encryptInstallCode(installCode, request.id),
        providedAt: now,
      },
    });
    await tx.installCodeRequest.update({
      where: { id: request.id },
      // The obligation is met by the first response since the request was (last) assigned; a
      // replacement does not move it.
      data: { status: "RESPONDED", respondedAt: request.respondedAt ?? now },
    });
    await tx.requestEvent.create({
      data: {
        requestId: request.id,
        type: "INSTALL_CODE_PROVIDED",
        at: now,
        actorId: actor.userId,
        actorOrganisationId: actor.organisationId,
        detail: replacing ? `replaced the Install Code. Reason: ${reason}` : null,
      },
    });
    await recordAudit(tx, {
      type: "INSTALL_CODE_PROVIDED",
      actor,
      requestReference: formatReference(request.number),
      detail: replacing ? "replaced its earlier code" : undefined,
      at: now,
    });
    await queueWebhooks(tx, { event: "ANSWERED", organisationIds: [request.raisingOrganisationId], reference: formatReference(request.number), deviceId: request.deviceId, at: now });
    await emailOrganisation(
      tx,
      request.id,
      request.raisingOrganisationId,
      requestUpdatedEmail({
        reference: formatReference(request.number),
        deviceId: request.deviceId,
        what: `${actor.organisationName} ${replacing ? "replaced" : "provided"} the Install Code`,
        url: requestUrl(request.number),
      }),
      "ANSWER",
    );
  });
  kickDispatcher();
}
