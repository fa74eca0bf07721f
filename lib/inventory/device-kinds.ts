import { DeviceStatus, DeviceType } from "../db/generated/enums";

// DUIS DeviceStatus and DeviceType, as the schema declares them (one list, from prisma/schema.prisma).

export { DeviceStatus, DeviceType };
export const DEVICE_STATUSES = Object.values(DeviceStatus);
export const DEVICE_TYPES = Object.values(DeviceType);

/** Type 2 Devices: the SMI keeps no status for them, and no Install Code request is for them. */
export const TYPE_2_DEVICES: readonly DeviceType[] = [DeviceType.IHD, DeviceType.CAD];
