import { z } from "zod";

// Device IDs are EUI-64s. DUIS writes them as eight hyphen-separated octets, e.g. 00-DB-12-34-56-78-90-A0.
// We accept them with or without separators (hyphens, colons, spaces) in any case, and keep them
// upper-case with hyphens.

export type DeviceId = string & { readonly __brand: "DeviceId" };

export const DEVICE_ID_MESSAGE = "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0";

/** The normalised Device ID, or null when `input` is not one. */
export function parseDeviceId(input: string): DeviceId | null {
  const hex = input.trim().replace(/[\s:-]/g, "");
  if (!/^[0-9A-Fa-f]{16}$/.test(hex)) return null;
  return hex.toUpperCase().match(/../g)!.join("-") as DeviceId;
}

/** A Device ID as a form field or API property: normalised, or refused with DEVICE_ID_MESSAGE. */
export const deviceIdField = z
  .string({ error: "Enter a Device ID" })
  .trim()
  .min(1, "Enter a Device ID")
  .transform((value, ctx) => {
    const id = parseDeviceId(value);
    if (!id) {
      ctx.addIssue({ code: "custom", message: DEVICE_ID_MESSAGE });
      return z.NEVER;
    }
    return id;
  });
