import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import { requestUpdatedEmail } from "../../emails/request-emails";
import { emailOrganisation, emailUser, requestUrl } from "./notify";
import { relationsTo, type RequestParties } from "./permissions";
import { formatReference } from "./reference";
import { queueWebhooks } from "../webhooks/queue";

type NoteTarget = RequestParties & { id: string; number: number; deviceId: string; raisedById: string };

/**
 * Writes a note, its timeline event and the emails it causes, in the caller's transaction. Who is
 * told (never with the body, which could carry a code):
 * - a note from anyone but the raiser emails the raiser;
 * - a note from the raising organisation, or from the helpdesk, emails the assigned organisation.
 * `notify: false` when another email of the same change already tells them (a new request's note).
 */
export async function appendNote(
  tx: Tx,
  actor: Actor,
  request: NoteTarget,
  body: string,
  now: Date,
  { notify = true }: { notify?: boolean } = {},
): Promise<{ noteId: string }> {
  const note = await tx.note.create({ data: { requestId: request.id, authorId: actor.userId, body, createdAt: now } });
  await tx.requestEvent.create({
    data: { requestId: request.id, type: "NOTE_ADDED", at: now, actorId: actor.userId, actorOrganisationId: actor.organisationId, noteId: note.id },
  });
  if (!notify) return { noteId: note.id };
  // The parties' systems are told that there is a note, never what it says.
  await queueWebhooks(tx, {
    event: "NOTE_ADDED",
    organisationIds: [request.raisingOrganisationId, request.assignedOrganisationId].filter((id) => id !== actor.organisationId),
    reference: formatReference(request.number),
    deviceId: request.deviceId,
    at: now,
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
}
