import { apiRoute } from "@/lib/api/handler";
import { summaryJson } from "@/lib/api/representations";
import { summariseRequest } from "@/lib/requests/list-requests";
import { closeRequest } from "@/lib/requests/close-request";

// Only the raising organisation closes a request; then it is read-only.
export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async ({ actor, params }) => {
  await closeRequest(actor, { reference: params.reference });
  return { status: 200, body: summaryJson(await summariseRequest(actor, params.reference)) };
});
