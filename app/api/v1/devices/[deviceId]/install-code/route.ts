import { apiRoute, bodyObject, field } from "@/lib/api/handler";
import { lodgedJson } from "@/lib/api/representations";
import { lodgeInstallCode, withdrawLodgedInstallCode } from "@/lib/install-code/lodge";

// The installing Supplier lodges a Device's Install Code in advance (PUT: lodge or replace), or
// withdraws it (DELETE). A request raised for the Device later is answered at once.

export const PUT = apiRoute<{ deviceId: string }>({ accepts: "json" }, async (call) => {
  const body = bodyObject(call);
  const lodged = await lodgeInstallCode(call.actor, { deviceId: call.params.deviceId, installCode: field(body, "installCode") });
  return { status: lodged.outcome === "lodged" ? 201 : 200, body: lodgedJson(lodged) };
});

export const DELETE = apiRoute<{ deviceId: string }>({}, async ({ actor, params }) => {
  await withdrawLodgedInstallCode(actor, { deviceId: params.deviceId });
  return { status: 204, body: null };
});
