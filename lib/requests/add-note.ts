import type { Actor } from "../auth/actor";
import { transaction } from "../db/transaction";
import { validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { requestUpdatedEmail } from "../../emails/request-emails";
import { requestForAction } from "./mutate";
import { emailOrganisation, emailUser, requestUrl } from "./notify";
import { relationsTo } from "./permissions";
import { formatReference } from "./reference";
import { addNoteSchema, type AddNoteInput } from "./schemas";

/**
 * Adds a plain-text note. Who is told (never with the note's body, which could carry a code):
 * - a note from anyone but the raiser emails the raiser;
 * - a note from the raising organisation, or from the helpdesk, emails the assigned organisation.
 */
export async function addNote(actor: Actor, input: AddNoteInput, options: { now?: Date } = {}): Promise<{ noteId: string }> {
  const { reference, body } = validate(addNoteSchema, input);
  const now = options.now ?? new Date();
  const result = await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:add-note");
    const note = await tx.note.create({ data: { requestId: request.id, authorId: actor.userId, body, createdAt: now } });
    await tx.requestEvent.create({
      data: { requestId: request.id, type: "NOTE_ADDED", at: now, actorId: actor.userId, actorOrganisationId: actor.organisationId, noteId: note.id },
    });
    const email = requestUpdatedEmail({
      reference: formatReference(request.number),
      deviceId: request.deviceId,
      what: `${actor.organisationName} added a note`,
      url: requestUrl(request.number),
    });
    const relations = relationsTo(actor, request);
    if (actor.userId !== request.raisedById) await emailUser(tx, request.id, request.raisedById, email);
    if (relations.includes("raiser") || relations.includes("helpdesk")) {
      await emailOrganisation(tx, request.id, request.assignedOrganisationId, email);
    }
    return { noteId: note.id };
  });
  kickDispatcher();
  return result;
}
