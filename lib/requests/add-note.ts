import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { transaction } from "../db/transaction";
import { validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { appendNote } from "./append-note";
import { requestForAction } from "./mutate";
import { addNoteSchema, type AddNoteInput } from "./schemas";

/** Adds a plain-text note from a party or the helpdesk; see appendNote for who is emailed. */
export async function addNote(actor: Actor, input: AddNoteInput, options: { now?: Date } = {}): Promise<{ noteId: string }> {
  const { reference, body } = validate(addNoteSchema, input);
  const now = options.now ?? clockNow();
  const result = await transaction(async (tx) => {
    const request = await requestForAction(tx, actor, reference, "request:add-note");
    return appendNote(tx, actor, request, body, now);
  });
  kickDispatcher();
  return result;
}
