import { apiRoute, bodyObject, field, withApiFieldNames } from "@/lib/api/handler";
import { summaryJson } from "@/lib/api/representations";
import { summariseRequest } from "@/lib/requests/list-requests";
import { reassignRequest } from "@/lib/requests/reassign-request";

// The DCC Helpdesk assigns a request to another Supplier (its SEC Party code or full name), with a reason.
export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  await reassignRequest(call.actor, { reference: call.params.reference, organisationCode: field(body, "organisation"), reason: field(body, "reason") }).catch(
    withApiFieldNames<never>({ organisationCode: "organisation" }),
  );
  return { status: 200, body: summaryJson(await summariseRequest(call.actor, call.params.reference)) };
});
