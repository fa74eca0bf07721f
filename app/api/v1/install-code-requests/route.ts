import { apiError, apiRoute, bodyObject, field, withApiFieldNames } from "@/lib/api/handler";
import { LIST_FIELD_NAMES, listInputFrom } from "@/lib/api/list-query";
import { summaryJson } from "@/lib/api/representations";
import { listRequests, summariseRequest } from "@/lib/requests/list-requests";
import { raiseRequest } from "@/lib/requests/raise-request";

// GET: a page of the requests this organisation can see. POST: raise one.

export const GET = apiRoute({}, async ({ actor, query }) => {
  const { input, pageSize } = listInputFrom(actor, query);
  const page = await listRequests(actor, input, { pageSize }).catch(withApiFieldNames<never>(LIST_FIELD_NAMES));
  return { status: 200, body: { requests: page.requests.map(summaryJson), nextCursor: page.older } };
});

export const POST = apiRoute({ idempotent: true, accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  const result = await raiseRequest(call.actor, { deviceId: field(body, "deviceId"), note: field(body, "note") }, { noteOnOpen: false });
  if (!result.created) {
    return apiError(409, "CONFLICT", `Your organisation already has an open request for this Device: ${result.reference}`, { details: { reference: result.reference } });
  }
  return { status: 201, body: summaryJson(await summariseRequest(call.actor, result.reference)), headers: { Location: `/api/v1/install-code-requests/${result.reference}` } };
});
