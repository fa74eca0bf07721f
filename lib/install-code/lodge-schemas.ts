import { z } from "zod";
import { deviceIdField } from "../inventory/device-id";
import { installCodeField } from "./format";

// The inputs of lodging an Install Code in advance (lib/install-code/lodge.ts), shared by the page's
// server actions and the REST API (PUT and DELETE /api/v1/devices/{deviceId}/install-code). The
// Device ID and the Install Code are validated exactly as a raise and a provided code are.

export const lodgeInstallCodeSchema = z.object({ deviceId: deviceIdField, installCode: installCodeField });
export type LodgeInstallCodeInput = z.input<typeof lodgeInstallCodeSchema>;

export const withdrawLodgedInstallCodeSchema = z.object({ deviceId: deviceIdField });
export type WithdrawLodgedInstallCodeInput = z.input<typeof withdrawLodgedInstallCodeSchema>;

/** Rows of one bulk lodge (a CSV upload, or the API's JSON array). */
export const LODGE_BULK_MAX_ROWS = 10_000;
export const LODGE_CSV_HEADER = ["device_id", "install_code"] as const;

export const LODGE_PAGE_SIZE = 50;
export const LODGE_PAGE_MAX = 200;
export const LODGE_CURSOR_MESSAGE = "That page link is damaged or out of date";

/** A page of the lodged codes starts after this row, in (lodgedAt desc, deviceId) order. */
export type LodgedCursor = { lodgedAt: Date; deviceId: string };

/** base64url of "<epoch ms>.<Device ID>": opaque to people, nothing but a position. */
export function encodeLodgedCursor(cursor: LodgedCursor): string {
  return Buffer.from(`${cursor.lodgedAt.getTime()}.${cursor.deviceId}`, "utf8").toString("base64url");
}

export function decodeLodgedCursor(text: string): LodgedCursor | null {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(text)) return null;
  const match = /^(\d{1,15})\.((?:[0-9A-F]{2}-){7}[0-9A-F]{2})$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  if (!match) return null;
  return { lodgedAt: new Date(Number(match[1])), deviceId: match[2]! };
}

/** A form or query value: missing and empty are the same. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" || v === null ? undefined : v), schema.optional());

export const listLodgedInstallCodesSchema = z.object({
  /** Only this Device (any separators, any case). */
  deviceId: optional(deviceIdField),
  /** The page after this cursor (the previous page's `next`). */
  after: optional(
    z.string({ error: LODGE_CURSOR_MESSAGE }).transform((value, ctx) => {
      const cursor = decodeLodgedCursor(value);
      if (!cursor) {
        ctx.addIssue({ code: "custom", message: LODGE_CURSOR_MESSAGE });
        return z.NEVER;
      }
      return cursor;
    }),
  ),
  limit: optional(
    z.coerce
      .number({ error: `A limit is a whole number from 1 to ${LODGE_PAGE_MAX}` })
      .int(`A limit is a whole number from 1 to ${LODGE_PAGE_MAX}`)
      .min(1, `A limit is a whole number from 1 to ${LODGE_PAGE_MAX}`)
      .max(LODGE_PAGE_MAX, `A limit is a whole number from 1 to ${LODGE_PAGE_MAX}`),
  ),
});
export type ListLodgedInstallCodesInput = z.input<typeof listLodgedInstallCodesSchema>;

/**
 * The API's bulk body: rows of strings, each validated on its own (a bad row is refused in the result,
 * not the whole call).
 */
export const lodgeInstallCodesBulkSchema = z
  .array(z.object({ deviceId: z.string().optional(), installCode: z.string().optional() }), { error: "Send a list of rows" })
  .min(1, "Send at least one row")
  .max(LODGE_BULK_MAX_ROWS, `At most ${LODGE_BULK_MAX_ROWS.toLocaleString("en-GB")} rows at once`);
export type LodgeInstallCodesBulkInput = z.input<typeof lodgeInstallCodesBulkSchema>;
