import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import type { DeviceId } from "./device-id";
import { TYPE_2_DEVICES } from "./device-kinds";

// What the Self-Service Interface checks in the Smart Metering Inventory before a request exists.

export type EligibleDevice = { deviceId: string; preNotifiedById: string; preNotifiedBy: { name: string } };

/** The Device if a request may be raised for it by this actor; otherwise the reason, for a person. */
export async function checkDeviceEligibility(
  tx: Tx,
  actor: Actor,
  deviceId: DeviceId,
): Promise<{ ok: true; device: EligibleDevice } | { ok: false; message: string }> {
  const device = await tx.device.findUnique({
    where: { deviceId },
    select: { deviceId: true, deviceType: true, status: true, preNotifiedById: true, preNotifiedBy: { select: { name: true } } },
  });
  if (!device) return { ok: false, message: `No Device ${deviceId} in the Smart Metering Inventory` };
  if (TYPE_2_DEVICES.includes(device.deviceType)) {
    return {
      ok: false,
      message: `Device ${deviceId} is an ${device.deviceType}, a Type 2 Device: an Install Code can only be requested for a Type 1 Device`,
    };
  }
  if (!device.status || !env().eligibleDeviceStatuses.includes(device.status)) {
    return {
      ok: false,
      message: `Device ${deviceId} is ${device.status ?? "without a status"}: an Install Code can only be requested for a Device that is not yet commissioned`,
    };
  }
  if (device.preNotifiedById === actor.organisationId) {
    return { ok: false, message: "Your organisation pre-notified this Device, so it already holds the Install Code" };
  }
  return { ok: true, device };
}
