import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import type { DeviceId } from "./device-id";
import { TYPE_2_DEVICES, type DeviceStatus, type DeviceType } from "./device-kinds";

// What the Self-Service Interface checks in the Smart Metering Inventory before a request exists.

export type EligibleDevice = { deviceId: string; preNotifiedById: string; preNotifiedBy: { name: string } };
export type Eligibility = { ok: true; device: EligibleDevice } | { ok: false; message: string };

const INVENTORY_FACTS = {
  deviceId: true,
  deviceType: true,
  status: true,
  preNotifiedById: true,
  preNotifiedBy: { select: { name: true } },
} as const;

/** What the rule reads of a Device. */
export type InventoryDevice = EligibleDevice & { deviceType: DeviceType; status: DeviceStatus | null };

/** The rule itself: the Device (or its absence) decides whether this actor may raise for it, and if not, why, for a person. */
export function eligibilityOf(actor: Actor, deviceId: DeviceId, device: InventoryDevice | null | undefined): Eligibility {
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

/** The Device if a request may be raised for it by this actor; otherwise the reason, for a person. */
export async function checkDeviceEligibility(tx: Tx, actor: Actor, deviceId: DeviceId): Promise<Eligibility> {
  const device = await tx.device.findUnique({ where: { deviceId }, select: INVENTORY_FACTS });
  return eligibilityOf(actor, deviceId, device);
}

/** Many Devices in one look-up (a bulk raise), for eligibilityOf: absent ones are missing from the map. */
export async function findInventoryDevices(tx: Tx, deviceIds: readonly DeviceId[]): Promise<Map<string, InventoryDevice>> {
  const devices = new Map<string, InventoryDevice>();
  for (let i = 0; i < deviceIds.length; i += LOOKUP_CHUNK) {
    const rows = await tx.device.findMany({ where: { deviceId: { in: deviceIds.slice(i, i + LOOKUP_CHUNK) as string[] } }, select: INVENTORY_FACTS });
    for (const row of rows) devices.set(row.deviceId, row);
  }
  return devices;
}

/** IDs per query: well inside PostgreSQL's 65,535 bind parameters. */
const LOOKUP_CHUNK = 10_000;
