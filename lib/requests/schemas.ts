import { z } from "zod";
import { DEVICE_ID_MESSAGE, parseDeviceId, type DeviceId } from "../inventory/device-id";
import { containsInstallCode, INSTALL_CODE_IN_TEXT_MESSAGE, parseInstallCode } from "../install-code/format";

// One zod schema per input, shared by the pages' server actions and the REST API to come.

export const NOTE_MAX = 4000;

// PostgreSQL text cannot hold NUL, and no person means to type one: refuse it with a message
// instead of letting the database fail. Other invisible C0 controls (but tab and line breaks) too.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const CONTROL_MESSAGE = "Remove the invisible control characters from the text";

/** Free text a person writes: within its length, no control characters, and no Install Code. */
function freeText(opts: { required?: string; max: number; tooLong: string }) {
  const text = opts.required ? z.string().min(1, opts.required) : z.string();
  return text
    .max(opts.max, opts.tooLong)
    .refine((v) => !CONTROL.test(v), CONTROL_MESSAGE)
    .refine((v) => !containsInstallCode(v), INSTALL_CODE_IN_TEXT_MESSAGE);
}

const normaliseLines = (v: string) => v.replace(/\r\n?/g, "\n").trim();
const NOTE_TOO_LONG = `A note can be at most ${NOTE_MAX.toLocaleString("en-GB")} characters`;

const noteBody = z
  .string({ error: "Write a note" })
  .transform(normaliseLines)
  .pipe(freeText({ required: "Write a note", max: NOTE_MAX, tooLong: NOTE_TOO_LONG }));

const reference = z.string({ error: "Reference is required" }).trim().min(1, "Reference is required");

export const raiseRequestSchema = z.object({
  deviceId: z
    .string({ error: "Enter a Device ID" })
    .trim()
    .min(1, "Enter a Device ID")
    .transform((value, ctx) => {
      const id = parseDeviceId(value);
      if (!id) {
        ctx.addIssue({ code: "custom", message: DEVICE_ID_MESSAGE });
        return z.NEVER;
      }
      return id as DeviceId;
    }),
  // Optional: an empty note is no note.
  note: z
    .string()
    .optional()
    .transform((v) => normaliseLines(v ?? "") || undefined)
    .pipe(freeText({ max: NOTE_MAX, tooLong: NOTE_TOO_LONG }).optional()),
});
export type RaiseRequestInput = z.input<typeof raiseRequestSchema>;

export const addNoteSchema = z.object({ reference, body: noteBody });
export type AddNoteInput = z.input<typeof addNoteSchema>;

export const provideInstallCodeSchema = z.object({
  reference,
  installCode: z
    .string({ error: "Enter the Install Code" })
    .trim()
    .min(1, "Enter the Install Code")
    .transform((value, ctx) => {
      const parsed = parseInstallCode(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: "custom", message: parsed.message });
        return z.NEVER;
      }
      return parsed.code;
    }),
});
export type ProvideInstallCodeInput = z.input<typeof provideInstallCodeSchema>;

export const requestReferenceSchema = z.object({ reference });

export const revealInstallCodeSchema = z.object({
  reference,
  // Optional: without it, the newest code the actor may see. An empty form value is no value.
  codeId: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined)
    .pipe(z.uuid({ error: "That is not an Install Code of this request" }).optional()),
});
export type RevealInstallCodeInput = z.input<typeof revealInstallCodeSchema>;
export type RequestReferenceInput = z.input<typeof requestReferenceSchema>;

export const reassignRequestSchema = z.object({
  reference,
  organisationCode: z.string({ error: "Choose the Supplier to assign to" }).trim().min(1, "Choose the Supplier to assign to").refine((v) => !CONTROL.test(v), "Choose a Supplier organisation"),
  reason: z
    .string({ error: "Give a reason" })
    .trim()
    .pipe(freeText({ required: "Give a reason for the reassignment", max: 500, tooLong: "A reason can be at most 500 characters" })),
});
export type ReassignRequestInput = z.input<typeof reassignRequestSchema>;

export const REQUEST_STATUSES = ["ASSIGNED", "RESPONDED", "CLOSED"] as const;
export const listRequestsSchema = z.object({
  status: z.enum(REQUEST_STATUSES).optional(),
});
