import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import type { DeviceId } from "./device-id";
import { TYPE_2_DEVICES, type DeviceStatus, type DeviceType } from "./device-kinds";
import { deviceStatusInSentence, deviceTypeInSentence } from "./labels";

// What the Self-Service Interface checks in the Smart Metering Inventory before a request exists,
// and before an installing Supplier lodges a Device's Install Code in advance.

export type EligibleDevice = { deviceId: string; preNotifiedById: string; preNotifiedBy: { name: string } };
export type Eligibility = { ok: true; device: EligibleDevice } | { ok: false; message: string };

export type SmiDevice = EligibleDevice & { deviceType: DeviceType; status: DeviceStatus | null };

/**
 * The statuses in which a Device's Install Code may be lodged: DOMAIN.md's "not yet commissioned",
 * fixed (not ELIGIBLE_DEVICE_STATUSES, which says when a request may be raised). The trigger
 * lodged_code_dropped_when_device_moves_on (migration 20261130070000) drops a lodged code when its
 * Device leaves them: keep the two lists the same (docs/decisions/018-lodged-install-codes.md).
 */
export const LODGEABLE_STATUSES: readonly DeviceStatus[] = ["Pending", "Whitelisted", "InstalledNotCommissioned"];

const INVENTORY_FACTS = {
  deviceId: true,
  deviceType: true,
  status: true,
  preNotifiedById: true,
  preNotifiedBy: { select: { name: true } },
} as const;

/** Why nothing can be done for this Device, in the words a person reads ("requested" or "lodged"). */
function typeRefusal(device: SmiDevice, verb: "requested" | "lodged"): string | null {
  if (!TYPE_2_DEVICES.includes(device.deviceType)) return null;
  return `Device ${device.deviceId} is ${deviceTypeInSentence(device.deviceType)}, a Type 2 Device: an Install Code can only be ${verb} for a Type 1 Device`;
}

function statusRefusal(device: SmiDevice, statuses: readonly DeviceStatus[], verb: "requested" | "lodged"): string | null {
  if (device.status && statuses.includes(device.status)) return null;
  return `Device ${device.deviceId} is ${deviceStatusInSentence(device.status)}: an Install Code can only be ${verb} for a Device that is not yet commissioned`;
}

const notInSmi = (deviceId: string) => `No Device ${deviceId} in the Smart Metering Inventory`;

/** The rule itself: the Device (or its absence) decides whether this actor may raise for it, and if not, why, for a person. */
export function eligibilityOf(actor: Actor, deviceId: DeviceId, device: SmiDevice | null | undefined): Eligibility {
  if (!device) return { ok: false, message: notInSmi(deviceId) };
  const refused = typeRefusal(device, "requested") ?? statusRefusal(device, env().eligibleDeviceStatuses, "requested");
  if (refused) return { ok: false, message: refused };
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

/**
 * Why this organisation may not lodge the Install Code of this Device (null: it may). The SMI must
 * name it as the pre-notifying Supplier, and the Device must be a Type 1 Device not yet commissioned.
 */
export function lodgeRefusal(device: SmiDevice | null, deviceId: DeviceId, organisationId: string): string | null {
  if (!device) return notInSmi(deviceId);
  return (
    typeRefusal(device, "lodged") ??
    (device.preNotifiedById !== organisationId
      ? `Device ${deviceId} was not pre-notified by your organisation: only the Supplier that pre-notified a Device can lodge its Install Code`
      : null) ??
    statusRefusal(device, LODGEABLE_STATUSES, "lodged")
  );
}

/** IDs per query: well inside PostgreSQL's 65,535 bind parameters. */
const LOOKUP_CHUNK = 10_000;

/** These Devices as the SMI holds them, by Device ID (absent ones are missing from the map). */
export async function findSmiDevices(tx: Tx, deviceIds: readonly DeviceId[]): Promise<Map<string, SmiDevice>> {
  const devices = new Map<string, SmiDevice>();
  for (let i = 0; i < deviceIds.length; i += LOOKUP_CHUNK) {
    const rows = await tx.device.findMany({ where: { deviceId: { in: deviceIds.slice(i, i + LOOKUP_CHUNK) as string[] } }, select: INVENTORY_FACTS });
    for (const row of rows) devices.set(row.deviceId, row);
  }
  return devices;
}
