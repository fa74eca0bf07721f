import { apiRoute, bodyObject, field } from "@/lib/api/handler";
import { addNote } from "@/lib/requests/add-note";
import { formatReference, parseReference } from "@/lib/requests/reference";

export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  const { noteId } = await addNote(call.actor, { reference: call.params.reference, body: field(body, "body") });
  return { status: 201, body: { reference: formatReference(parseReference(call.params.reference)!), noteId } };
});
