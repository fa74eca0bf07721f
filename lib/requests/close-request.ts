import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { transaction, type Tx } from "../db/transaction";
import { validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { requestWithdrawnEmail } from "../../emails/request-emails";
import { requestForAction } from "./mutate";
import { emailOrganisation, requestUrl } from "./notify";
import { formatReference } from "./reference";
import { requestReferenceSchema, withdrawReasonText, withdrawRequestSchema, type RequestReferenceInput, type WithdrawRequestInput } from "./schemas";
import { queueWebhooks } from "../webhooks/queue";

// The raiser ends its request in one of two ways (docs/decisions/035-safe-actions.md): it closes it
// once an Install Code has been given (it has verified the code), or it withdraws it before that,
// with a reason, and the assignee is told. Both end it the same way: CLOSED, read-only from then on.

type Ending = Awaited<ReturnType<typeof requestForAction>>;

async function end(tx: Tx, actor: Actor, request: Ending, now: Date, how: { event: "CLOSED" | "WITHDRAWN"; detail?: string; data?: object }) {
  await tx.installCodeRequest.update({ where: { id: request.id }, data: { status: "CLOSED", closedAt: now, ...how.data } });
  await tx.requestEvent.create({
    data: { requestId: request.id, type: how.event, at: now, actorId: actor.userId, actorOrganisationId: actor.organisationId, detail: how.detail ?? null },
  });
  await queueWebhooks(tx, { event: "CLOSED", organisationIds: [request.assignedOrganisationId], reference: formatReference(request.number), deviceId: request.deviceId, at: now });
}

/** Only the raising organisation closes a request, once it has been answered; then it is read-only. */
export async function closeRequest(actor: Actor, input: RequestReferenceInput, options: { now?: Date } = {}): Promise<void> {
  const { reference } = validate(requestReferenceSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:close");
    await end(tx, actor, request, now, { event: "CLOSED" });
  });
}

/**
 * The raiser withdraws a request no Install Code has been given for (assigned, or declined and
 * waiting for the helpdesk), with a reason from the list. The assignee is emailed, always, with the
 * listed reason but never the raiser's own words (they stay on the request page).
 */
export async function withdrawRequest(actor: Actor, input: WithdrawRequestInput, options: { now?: Date } = {}): Promise<void> {
  const { reference, reason, detail } = validate(withdrawRequestSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:withdraw");
    await end(tx, actor, request, now, {
      event: "WITHDRAWN",
      detail: withdrawReasonText(reason, detail),
      data: { withdrawReason: reason, withdrawDetail: detail ?? null },
    });
    await emailOrganisation(
      tx,
      request.id,
      request.assignedOrganisationId,
      requestWithdrawnEmail({ reference: formatReference(request.number), deviceId: request.deviceId, raiser: actor.organisationName, reason, url: requestUrl(request.number) }),
      "ASSIGNMENT",
    );
  });
  kickDispatcher();
}
