import { apiRoute } from "@/lib/api/handler";
import { summaryFromView } from "@/lib/api/representations";
import { closeRequest } from "@/lib/requests/close-request";
import { viewRequest } from "@/lib/requests/view-request";

// Only the raising organisation closes a request; then it is read-only.
export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async ({ actor, params }) => {
  await closeRequest(actor, { reference: params.reference });
  return { status: 200, body: summaryFromView(await viewRequest(actor, params.reference)) };
});
