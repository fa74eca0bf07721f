import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import { requestUpdatedEmail } from "../../emails/request-emails";
import { insertEvents } from "./events";
import { emailOrganisation, requestUrl } from "./notify";
import type { RequestParties } from "./permissions";
import { formatReference } from "./reference";
import { queueWebhooks } from "../webhooks/queue";

export type NoteTarget = RequestParties & { id: string; number: number; deviceId: string };

/**
 * Writes a note, its timeline event and the emails it causes, in the caller's transaction. Who is
 * told (never with the body, which could carry a code): the request's organisations other than the
 * author's own (both of them for a note from the helpdesk), as whoIsToldOfNote says.
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
  const [noteId] = await writeNotes(tx, actor, [{ request, body }], now);
  if (notify) await tellOfNote(tx, actor, request, now);
  return { noteId };
}

const NOTES_PER_INSERT = 2_000;

/** Notes and their NOTE_ADDED events, in the order given, in a few statements (one raise, or a bulk raise's many); no email. */
export async function writeNotes(tx: Tx, actor: Actor, notes: readonly { request: { id: string }; body: string }[], now: Date): Promise<string[]> {
  const rows = notes.map(({ request, body }) => ({ id: randomUUID(), requestId: request.id, body }));
  for (let i = 0; i < rows.length; i += NOTES_PER_INSERT) {
    const chunk = JSON.stringify(rows.slice(i, i + NOTES_PER_INSERT));
    // As events.ts: one statement for many rows, not one bind parameter per column of each.
    await tx.$executeRaw`
      INSERT INTO "Note" ("id", "requestId", "authorId", "body", "createdAt")
      SELECT (e->>'id')::uuid, (e->>'requestId')::uuid, ${actor.userId}::uuid, e->>'body', ${now}::timestamptz
      FROM jsonb_array_elements(${chunk}::jsonb) AS e`;
  }
  const noted = { actorId: actor.userId, actorOrganisationId: actor.organisationId };
  await insertEvents(tx, rows.map((note) => ({ requestId: note.requestId, type: "NOTE_ADDED" as const, ...noted, noteId: note.id })), now);
  return rows.map((note) => note.id);
}

/** The emails and webhooks a note causes (appendNote's rule), without its body. */
export async function tellOfNote(tx: Tx, actor: Actor, request: NoteTarget, now: Date): Promise<void> {
  // The parties' systems are told that there is a note, never what it says.
  const told = whoIsToldOfNote(actor, request);
  await queueWebhooks(tx, {
    event: "NOTE_ADDED",
    organisationIds: told,
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
  for (const organisationId of told) await emailOrganisation(tx, request.id, organisationId, email, "NOTE");
}

/**
 * The organisations told of a note (emails and webhooks), for tellOfNote and for a bulk raise's one
 * email for many notes: the request's parties other than the author's own organisation, whose
 * people saw it written. A note from the helpdesk tells both Suppliers.
 */
export function whoIsToldOfNote(actor: Actor, request: RequestParties): string[] {
  return [...new Set([request.raisingOrganisationId, request.assignedOrganisationId])].filter((id) => id !== actor.organisationId);
}
