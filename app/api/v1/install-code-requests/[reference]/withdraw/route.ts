import { apiRoute, bodyObject, field } from "@/lib/api/handler";
import { summaryJson } from "@/lib/api/representations";
import { withdrawRequest } from "@/lib/requests/close-request";
import { summariseRequest } from "@/lib/requests/list-requests";

// The raiser withdraws a request no Install Code has been given for, with a reason from the list.
export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  await withdrawRequest(call.actor, { reference: call.params.reference, reason: field(body, "reason"), detail: field(body, "detail") });
  return { status: 200, body: summaryJson(await summariseRequest(call.actor, call.params.reference)) };
});
