import { apiRoute, bodyObject, field } from "@/lib/api/handler";
import { summaryJson } from "@/lib/api/representations";
import { closeRequestAsNotPossible } from "@/lib/requests/close-not-possible";
import { summariseRequest } from "@/lib/requests/list-requests";

// The DCC Helpdesk closes a declined request as not possible, saying why.
export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  await closeRequestAsNotPossible(call.actor, { reference: call.params.reference, reason: field(body, "reason") });
  return { status: 200, body: summaryJson(await summariseRequest(call.actor, call.params.reference)) };
});
