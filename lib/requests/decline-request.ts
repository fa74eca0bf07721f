import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { transaction } from "../db/transaction";
import { validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { requestDeclinedEmail } from "../../emails/request-emails";
import { requestForAction } from "./mutate";
import { emailOrganisation, requestUrl } from "./notify";
import { formatReference } from "./reference";
import { declineReasonText, declineRequestSchema, type DeclineRequestInput } from "./schemas";
import { queueWebhooks } from "../webhooks/queue";

/**
 * "Not our Device" (docs/decisions/030-decline.md): the assigned Supplier says, with a reason from
 * the list, that it does not hold the Install Code. The request goes to the helpdesk's Unassignable
 * queue (status DECLINED) until it is reassigned or closed as not possible. A decline is the
 * Supplier's response: it stops its five-Working-Day clock (lib/sla/clock.ts). The raising
 * organisation is emailed, always, with the listed reason but never the decliner's own words.
 */
export async function declineRequest(actor: Actor, input: DeclineRequestInput, options: { now?: Date } = {}): Promise<void> {
  const { reference, reason, detail } = validate(declineRequestSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:decline");
    await tx.installCodeRequest.update({
      where: { id: request.id },
      data: { status: "DECLINED", declinedAt: now, declineReason: reason, declineDetail: detail ?? null },
    });
    await tx.requestEvent.create({
      data: {
        requestId: request.id,
        type: "DECLINED",
        at: now,
        actorId: actor.userId,
        actorOrganisationId: actor.organisationId,
        detail: declineReasonText(reason, detail),
      },
    });
    const ref = formatReference(request.number);
    // The audit log keeps which listed reason, never the words typed for "other".
    await recordAudit(tx, { type: "REQUEST_DECLINED", actor, requestReference: ref, detail: reason, at: now });
    await queueWebhooks(tx, { event: "DECLINED", organisationIds: [request.raisingOrganisationId], reference: ref, deviceId: request.deviceId, at: now });
    await emailOrganisation(
      tx,
      request.id,
      request.raisingOrganisationId,
      requestDeclinedEmail({ reference: ref, deviceId: request.deviceId, assignee: actor.organisationName, reason, url: requestUrl(request.number) }),
      "DECLINED",
    );
  });
  kickDispatcher();
}
