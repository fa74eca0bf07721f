import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { transaction, type Tx } from "../db/transaction";
import { AppError, validate } from "../errors";
import { checkDeviceEligibility } from "../inventory/eligibility";
import { answerFromLodgedCode } from "../install-code/answer-from-lodged-code";
import { consume } from "../limits/rate-limit";
import { kickDispatcher } from "../notifications/dispatcher";
import { clockDueAt } from "../sla/rule";
import { formatDueAt } from "../sla/working-days";
import { env } from "../env";
import { requestAssignedEmail } from "../../emails/request-emails";
import { appendNote } from "./append-note";
import { emailOrganisation, requestUrl } from "./notify";
import { canRaise, ONLY_SUPPLIERS_RAISE_MESSAGE } from "./permissions";
import { formatReference } from "./reference";
import { raiseRequestSchema, type RaiseRequestInput } from "./schemas";
import { visibleRequests } from "./visibility";
import { logError } from "../log";
import { queueWebhooks } from "../webhooks/queue";

export type RaiseResult = {
  reference: string;
  /** False when the organisation already had an open request for the Device: that one is returned. */
  created: boolean;
  /** The note given with the raise was added (to the new request, or to the open one). */
  noteAdded: boolean;
};

/** The raising organisation's open request for a Device, through the visibility rule. */
export function openRequest(tx: Tx, actor: Actor, deviceId: string) {
  return tx.installCodeRequest.findFirst({
    where: { AND: [visibleRequests(actor), { deviceId, raisingOrganisationId: actor.organisationId, status: { not: "CLOSED" } }] },
    select: { id: true, number: true, deviceId: true, raisedById: true, raisingOrganisationId: true, assignedOrganisationId: true },
  });
}

/**
 * A gaining Supplier asks for a Device's Install Code. The request is assigned at once to the
 * Supplier that pre-notified the Device, which is emailed. At most one request per Device and
 * raising organisation is open: raising again returns the open one and creates nothing.
 */
export async function raiseRequest(
  actor: Actor,
  input: RaiseRequestInput,
  options: { now?: Date; /** The API answers a duplicate 409 and changes nothing: no note added to the open request. */ noteOnOpen?: boolean } = {},
): Promise<RaiseResult> {
  if (!canRaise(actor)) throw new AppError("FORBIDDEN", ONLY_SUPPLIERS_RAISE_MESSAGE);
  const { deviceId, note } = validate(raiseRequestSchema, input);
  const now = options.now ?? clockNow();
  await withinRaiseLimit(actor);

  let result: RaiseResult;
  try {
    result = await transaction(async (tx) => {
      // An open request is returned even if the Device's status has moved on since it was raised,
      // and a note typed with the second raise is added to it rather than lost.
      const open = await openRequest(tx, actor, deviceId);
      if (open) {
        const addNote = Boolean(note) && options.noteOnOpen !== false;
        if (addNote) await appendNote(tx, actor, open, note!, now);
        return { reference: formatReference(open.number), created: false, noteAdded: addNote };
      }

      const eligibility = await checkDeviceEligibility(tx, actor, deviceId);
      if (!eligibility.ok) throw AppError.validation({ deviceId: [eligibility.message] }, eligibility.message);
      const { device } = eligibility;

      const dueAt = clockDueAt(now, env().slaRule);
      const request = await tx.installCodeRequest.create({
        data: {
          deviceId,
          raisedById: actor.userId,
          raisingOrganisationId: actor.organisationId,
          assignedOrganisationId: device.preNotifiedById,
          raisedAt: now,
          dueAt,
        },
        select: { id: true, number: true },
      });
      await tx.requestEvent.create({
        data: { requestId: request.id, type: "RAISED", at: now, actorId: actor.userId, actorOrganisationId: actor.organisationId },
      });
      await tx.requestEvent.create({
        data: { requestId: request.id, type: "ASSIGNED", at: now, organisationId: device.preNotifiedById },
      });
      if (note) {
        // The assignment email below already tells the assigned organisation: no second email for the note.
        const parties = { raisedById: actor.userId, raisingOrganisationId: actor.organisationId, assignedOrganisationId: device.preNotifiedById };
        await appendNote(tx, actor, { ...request, deviceId, ...parties }, note, now, { notify: false });
      }
      await answerFromLodgedCode(tx, { ...request, deviceId, assignedOrganisationId: device.preNotifiedById, raisedById: actor.userId }, now);
      const reference = formatReference(request.number);
      await queueWebhooks(tx, { event: "ASSIGNED", organisationIds: [device.preNotifiedById], reference, deviceId, at: now });
      await emailOrganisation(
        tx,
        request.id,
        device.preNotifiedById,
        requestAssignedEmail({
          reference,
          deviceId,
          raisingOrganisation: actor.organisationName,
          due: formatDueAt(dueAt),
          url: requestUrl(request.number),
          reassigned: false,
        }),
      );
      return { reference, created: true, noteAdded: Boolean(note) };
    });
  } catch (error) {
    // Two raises at once: the partial unique index (one_open_request_per_device_and_raiser) lets one
    // through; the other returns it.
    if (isUniqueViolation(error)) {
      const open = await openRequest(db(), actor, deviceId);
      if (open) {
        // The note, if any, was rolled back with the losing transaction: add it to the winner.
        const addNote = Boolean(note) && options.noteOnOpen !== false;
        if (addNote) await transaction((tx) => appendNote(tx, actor, open, note!, now));
        kickDispatcher();
        return { reference: formatReference(open.number), created: false, noteAdded: addNote };
      }
    }
    throw error;
  }
  if (result.created || result.noteAdded) kickDispatcher();
  return result;
}

/** Generous enough for a Supplier's own system raising hundreds a minute; a runaway loop is stopped. */
async function withinRaiseLimit(actor: Actor): Promise<void> {
  const perMinute = env().raisesPerOrganisationPerMinute;
  const result = await consume({ name: "raise", points: perMinute, durationSeconds: 60 }, actor.organisationId, (error) =>
    logError(error, { limit: "raise" }, "rate limit store unavailable: allowing the request"),
  );
  if (!result.allowed) {
    throw new AppError(
      "RATE_LIMITED",
      `Your organisation has raised ${perMinute.toLocaleString("en-GB")} requests in the last minute, the most allowed. Try again in ${result.retryAfterSeconds} seconds.`,
      {},
      result.retryAfterSeconds,
    );
  }
}

/** The only unique constraint a raise can break is the open-request index (numbers come from a sequence). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}
