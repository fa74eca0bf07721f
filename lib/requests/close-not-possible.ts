import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { transaction } from "../db/transaction";
import { validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { requestClosedNotPossibleEmail } from "../../emails/request-emails";
import { requestForAction } from "./mutate";
import { emailOrganisation, requestUrl } from "./notify";
import { formatReference } from "./reference";
import { closeNotPossibleSchema, type CloseNotPossibleInput } from "./schemas";
import { queueWebhooks } from "../webhooks/queue";

/**
 * The DCC Helpdesk closes a declined request that no Supplier can answer, saying why
 * (docs/decisions/030-decline.md). Not the raiser's close (request:close): a rule of its own. The
 * reason is on the timeline and the request page for the parties; the raising organisation is
 * emailed, always, that it was closed, and reads why on the page.
 */
export async function closeRequestAsNotPossible(actor: Actor, input: CloseNotPossibleInput, options: { now?: Date } = {}): Promise<void> {
  const { reference, reason } = validate(closeNotPossibleSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:close-not-possible");
    await tx.installCodeRequest.update({ where: { id: request.id }, data: { status: "CLOSED", closedAt: now, notPossibleReason: reason } });
    await tx.requestEvent.create({
      data: { requestId: request.id, type: "CLOSED_NOT_POSSIBLE", at: now, actorId: actor.userId, actorOrganisationId: actor.organisationId, detail: reason },
    });
    const ref = formatReference(request.number);
    // As a reassignment's: the reason stays on the timeline; the audit log keeps who closed what.
    await recordAudit(tx, { type: "REQUEST_CLOSED_NOT_POSSIBLE", actor, requestReference: ref, at: now });
    await queueWebhooks(tx, {
      event: "CLOSED_NOT_POSSIBLE",
      organisationIds: [request.raisingOrganisationId, request.assignedOrganisationId],
      reference: ref,
      deviceId: request.deviceId,
      at: now,
    });
    await emailOrganisation(
      tx,
      request.id,
      request.raisingOrganisationId,
      requestClosedNotPossibleEmail({ reference: ref, deviceId: request.deviceId, url: requestUrl(request.number) }),
      "DECLINED",
    );
  });
  kickDispatcher();
}
