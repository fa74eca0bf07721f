import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { transaction } from "../db/transaction";
import { validate } from "../errors";
import { requestForAction } from "./mutate";
import { formatReference } from "./reference";
import { requestReferenceSchema, type RequestReferenceInput } from "./schemas";
import { queueWebhooks } from "../webhooks/queue";

/** Only the raising organisation closes a request (from ASSIGNED or RESPONDED); then it is read-only. */
export async function closeRequest(actor: Actor, input: RequestReferenceInput, options: { now?: Date } = {}): Promise<void> {
  const { reference } = validate(requestReferenceSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:close");
    await tx.installCodeRequest.update({ where: { id: request.id }, data: { status: "CLOSED", closedAt: now } });
    await tx.requestEvent.create({
      data: { requestId: request.id, type: "CLOSED", at: now, actorId: actor.userId, actorOrganisationId: actor.organisationId },
    });
    await queueWebhooks(tx, { event: "CLOSED", organisationIds: [request.assignedOrganisationId], reference: formatReference(request.number), deviceId: request.deviceId, at: now });
  });
}
