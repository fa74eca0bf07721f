import { apiRoute } from "@/lib/api/handler";
import { deviceJson } from "@/lib/api/representations";
import { lookUpDevice } from "@/lib/requests/look-up-device";

// The SMI's facts about a Device, and whether this organisation can raise a request for it now.
export const GET = apiRoute<{ deviceId: string }>({}, async ({ actor, params }) => {
  return { status: 200, body: deviceJson(await lookUpDevice(actor, { deviceId: params.deviceId })) };
});
