import { apiRoute, bodyObject, field } from "@/lib/api/handler";
import { summaryJson } from "@/lib/api/representations";
import { summariseRequest } from "@/lib/requests/list-requests";
import { provideInstallCode } from "@/lib/requests/provide-install-code";

// The assigned Supplier answers with the Install Code (validated, CRC checked, encrypted).
export const POST = apiRoute<{ reference: string }>({ idempotent: true, accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  await provideInstallCode(call.actor, { reference: call.params.reference, installCode: field(body, "installCode"), reason: field(body, "reason") });
  return { status: 200, body: summaryJson(await summariseRequest(call.actor, call.params.reference)) };
});
