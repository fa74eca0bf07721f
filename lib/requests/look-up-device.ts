import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { AppError, validate } from "../errors";
import { checkDeviceEligibility } from "../inventory/eligibility";
import { z } from "zod";
import { canRaise, ONLY_SUPPLIERS_RAISE_MESSAGE } from "./permissions";
import { openRequest } from "./raise-request";
import { formatReference } from "./reference";
import { deviceIdField } from "../inventory/device-id";

// A Device as the SMI knows it, and whether this organisation can raise a request for it now, with
// the reason in the words raising would give (the same checks: lib/inventory/eligibility.ts).

export type DeviceLookUp = {
  deviceId: string;
  deviceType: string;
  status: string | null;
  statusChangedAt: Date | null;
  manufacturer: string;
  model: string;
  firmwareVersion: string;
  installingSupplier: { code: string; name: string };
  raise: { possible: boolean; reason: string | null; openRequest: string | null };
};

export const lookUpDeviceSchema = z.object({ deviceId: deviceIdField });

export async function lookUpDevice(actor: Actor, input: z.input<typeof lookUpDeviceSchema>): Promise<DeviceLookUp> {
  const { deviceId } = validate(lookUpDeviceSchema, input);
  const device = await db().device.findUnique({
    where: { deviceId },
    select: {
      deviceId: true, deviceType: true, status: true, statusChangedAt: true, manufacturer: true, model: true, firmwareVersion: true,
      preNotifiedBy: { select: { code: true, name: true } },
    },
  });
  // The SMI's facts are not per organisation (any Service User may read the inventory): absent is 404.
  if (!device) throw AppError.notFound(`No Device ${deviceId} in the Smart Metering Inventory`);
  let raise: DeviceLookUp["raise"];
  if (!canRaise(actor)) {
    raise = { possible: false, reason: ONLY_SUPPLIERS_RAISE_MESSAGE, openRequest: null };
  } else {
    const open = await openRequest(db(), actor, deviceId);
    if (open) {
      const reference = formatReference(open.number);
      raise = { possible: false, reason: `Your organisation already has an open request for this Device: ${reference}`, openRequest: reference };
    } else {
      const eligibility = await checkDeviceEligibility(db(), actor, deviceId);
      raise = eligibility.ok ? { possible: true, reason: null, openRequest: null } : { possible: false, reason: eligibility.message, openRequest: null };
    }
  }
  const { preNotifiedBy, ...facts } = device;
  return { ...facts, installingSupplier: preNotifiedBy, raise };
}
