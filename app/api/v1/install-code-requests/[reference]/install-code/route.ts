import { apiRoute, bodyObject, field } from "@/lib/api/handler";
import { summaryFromView } from "@/lib/api/representations";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { viewRequest } from "@/lib/requests/view-request";

// The assigned Supplier answers with the Install Code (validated, CRC checked, encrypted).
export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  await provideInstallCode(call.actor, { reference: call.params.reference, installCode: field(body, "installCode") });
  return { status: 200, body: summaryFromView(await viewRequest(call.actor, call.params.reference)) };
});
