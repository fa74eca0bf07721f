import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { recordAudit } from "../audit/record";
import { env } from "../env";
import { clockDueAt } from "../sla/rule";
import { dueByPhrase } from "../sla/clock";
import { requestAssignedEmail, requestReassignedAwayEmail, requestUpdatedEmail } from "../../emails/request-emails";
import { requestForAction } from "./mutate";
import { findReassignmentTarget, noSuchSupplier, reassignmentProblem } from "./organisations";
import { emailOrganisation, requestUrl } from "./notify";
import { formatReference } from "./reference";
import { reassignRequestSchema, type ReassignRequestInput } from "./schemas";
import { queueWebhooks } from "../webhooks/queue";

/**
 * The DCC Helpdesk assigns a request to another Supplier, with a reason. The new assignee owes a
 * response of its own: the request goes back to ASSIGNED with a new due date counted from now, and a
 * code given before stays with the organisation that gave it (the raiser can still reveal it; the new
 * assignee cannot). The new assignee, the previous one and the raiser are emailed. A declined request
 * (docs/decisions/030-decline.md) is reassigned the same way, and its decline cleared.
 */
export async function reassignRequest(actor: Actor, input: ReassignRequestInput, options: { now?: Date } = {}): Promise<void> {
  const { reference, organisationCode, reason } = validate(reassignRequestSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:reassign");
    const found = await findReassignmentTarget(tx, organisationCode);
    if (!found.target) {
      const message = noSuchSupplier(organisationCode, found.suggestions);
      throw AppError.validation({ organisationCode: [message] }, message);
    }
    const target = found.target;
    const problem = reassignmentProblem(target, request);
    if (problem) throw AppError.validation({ organisationCode: [problem] }, problem);

    const updated = await tx.installCodeRequest.update({
      where: { id: request.id },
      // A declined request leaves the Unassignable queue: the decline was the previous assignee's.
      data: {
        assignedOrganisationId: target.id,
        status: "ASSIGNED",
        respondedAt: null,
        dueAt: clockDueAt(now, env().slaRule),
        declinedAt: null,
        declineReason: null,
        declineDetail: null,
      },
      select: { dueAt: true, raisingOrganisation: { select: { name: true } } },
    });
    await tx.installCode.updateMany({
      where: { requestId: request.id, replacedAt: null, reassignedAwayAt: null },
      data: { reassignedAwayAt: now },
    });
    await tx.requestEvent.create({
      data: {
        requestId: request.id,
        type: "REASSIGNED",
        at: now,
        actorId: actor.userId,
        actorOrganisationId: actor.organisationId,
        organisationId: target.id,
        detail: reason,
      },
    });
    const ref = formatReference(request.number);
    const previous = await tx.organisation.findUniqueOrThrow({ where: { id: request.assignedOrganisationId }, select: { code: true } });
    // The reason stays on the timeline; the audit log keeps only who moved what where.
    await recordAudit(tx, { type: "REQUEST_REASSIGNED", actor, requestReference: ref, subject: target.code, detail: `from ${previous.code} to ${target.code}`, at: now });
    const url = requestUrl(request.number);
    // The new assignee: assigned to it. The raiser and the previous assignee: reassigned (the reason
    // stays on the timeline).
    const about = { reference: ref, deviceId: request.deviceId, at: now };
    await queueWebhooks(tx, { ...about, event: "ASSIGNED", organisationIds: [target.id] });
    await queueWebhooks(tx, { ...about, event: "REASSIGNED", organisationIds: [request.raisingOrganisationId, request.assignedOrganisationId] });
    await emailOrganisation(
      tx,
      request.id,
      target.id,
      requestAssignedEmail({
        reference: ref,
        deviceId: request.deviceId,
        raisingOrganisation: updated.raisingOrganisation.name,
        due: dueByPhrase(now, updated.dueAt, now, env().slaRule),
        url,
        reassigned: true,
      }),
      "ASSIGNMENT",
    );
    await emailOrganisation(
      tx,
      request.id,
      request.assignedOrganisationId,
      requestReassignedAwayEmail({ reference: ref, deviceId: request.deviceId, newAssignee: target.name }),
      "ASSIGNMENT",
    );
    await emailOrganisation(
      tx,
      request.id,
      request.raisingOrganisationId,
      requestUpdatedEmail({ reference: ref, deviceId: request.deviceId, what: `The DCC Helpdesk reassigned the request to ${target.name}`, url }),
      "ANSWER",
    );
  });
  kickDispatcher();
}
