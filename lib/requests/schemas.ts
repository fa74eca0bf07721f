import { z } from "zod";
import { deviceIdField, parseDeviceId, type DeviceId } from "../inventory/device-id";
import { parseReference } from "./reference";
import { LIST_SORTS, QUEUE_IDS, type SortKey } from "./queues";
import { containsInstallCode, INSTALL_CODE_IN_TEXT_MESSAGE, installCodeField } from "../install-code/format";

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
  deviceId: deviceIdField,
  // Optional: an empty note is no note.
  note: z
    .string()
    .optional()
    .transform((v) => normaliseLines(v ?? "") || undefined)
    .pipe(freeText({ max: NOTE_MAX, tooLong: NOTE_TOO_LONG }).optional()),
});
export type RaiseRequestInput = z.input<typeof raiseRequestSchema>;

export const BULK_RAISE_MAX_ROWS = 10_000;

/**
 * A bulk raise (lib/requests/bulk-raise.ts; the REST API's JSON form): only the shape here. Each row
 * is then checked with raiseRequestSchema on its own and answered, so one bad row refuses only itself.
 */
export const bulkRaiseSchema = z.object({
  rows: z
    .array(
      z.object({
        deviceId: z.string({ error: "Each row needs a deviceId, as text" }),
        note: z.string({ error: "A row's note, if any, is text" }).optional(),
      }),
      { error: "Give the rows as a list" },
    )
    .min(1, "There are no rows: give one row per Device")
    .max(BULK_RAISE_MAX_ROWS, `At most ${BULK_RAISE_MAX_ROWS.toLocaleString("en-GB")} rows can be raised at once: split the file`),
});
export type BulkRaiseInput = z.input<typeof bulkRaiseSchema>;

export const addNoteSchema = z.object({ reference, body: noteBody });
export type AddNoteInput = z.input<typeof addNoteSchema>;

export const REPLACE_REASON_MAX = 300;
export const REPLACE_REASON_MESSAGE = "Say why you are replacing the Install Code: the raising Supplier reads it";

export const provideInstallCodeSchema = z.object({
  reference,
  installCode: installCodeField,
  // Needed only to replace a code already given (lib/requests/provide-install-code.ts checks that);
  // an empty form value is no value.
  reason: z
    .string({ error: REPLACE_REASON_MESSAGE })
    .optional()
    .transform((v) => normaliseLines(v ?? "") || undefined)
    .pipe(freeText({ max: REPLACE_REASON_MAX, tooLong: `A reason can be at most ${REPLACE_REASON_MAX} characters` }).optional()),
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
  organisationCode: z
    .string({ error: "Enter the code or name of the Supplier to assign to" })
    .trim()
    .min(1, "Enter the code or name of the Supplier to assign to")
    .max(200, "Enter a Supplier's code or name: at most 200 characters")
    .refine((v) => !CONTROL.test(v), "Choose a Supplier organisation"),
  reason: z
    .string({ error: "Give a reason" })
    .trim()
    .pipe(freeText({ required: "Give a reason for the reassignment", max: 500, tooLong: "A reason can be at most 500 characters" })),
});
export type ReassignRequestInput = z.input<typeof reassignRequestSchema>;

const LISTED_REASON_DETAIL_MAX = 300;

/**
 * A reason from a short list, with a few words of one's own for "other" (plain text, no Install
 * Code): the decline's and the withdrawal's shape. The words are kept for OTHER only.
 */
function listedReasonSchema<const R extends Record<string, string> & { OTHER: string }>(
  reasons: R,
  messages: { reason: string; detail: string; tooLong: string },
) {
  const codes = Object.keys(reasons) as [keyof R & string, ...(keyof R & string)[]];
  return z
    .object({
      reference,
      reason: z.enum(codes, { error: messages.reason }),
      // Required for OTHER only; an empty form value is no value.
      detail: z
        .string({ error: messages.detail })
        .optional()
        .transform((v) => normaliseLines(v ?? "") || undefined)
        .pipe(freeText({ max: LISTED_REASON_DETAIL_MAX, tooLong: messages.tooLong }).optional()),
    })
    .superRefine((v, ctx) => {
      if (v.reason === "OTHER" && !v.detail) ctx.addIssue({ code: "custom", path: ["detail"], message: messages.detail });
    })
    .transform((v) => ({ ...v, detail: v.reason === "OTHER" ? v.detail : undefined }));
}

/** A listed reason as the timeline and the page show it: the words for "other", else the list's. */
function listedReasonText<R extends Record<string, string>>(reasons: R, reason: keyof R, detail?: string | null): string {
  return reason === "OTHER" && detail ? `Other: ${detail}` : reasons[reason];
}


/** Why an assigned Supplier declines a request ("not our Device"), with the words people read. */
export const DECLINE_REASONS = {
  NOT_PRE_NOTIFIED: "Not pre-notified by us",
  ALREADY_COMMISSIONED: "Device already commissioned by us",
  OTHER: "Other",
} as const;
export type DeclineReasonCode = keyof typeof DECLINE_REASONS;
export const DECLINE_REASON_CODES = Object.keys(DECLINE_REASONS) as [DeclineReasonCode, ...DeclineReasonCode[]];
export const DECLINE_DETAIL_MAX = LISTED_REASON_DETAIL_MAX;
export const DECLINE_REASON_MESSAGE = "Choose why you are declining: not pre-notified by us, Device already commissioned by us, or other";
export const DECLINE_DETAIL_MESSAGE = "Say why you are declining: the reason \"other\" needs a few words";

export const declineRequestSchema = listedReasonSchema(DECLINE_REASONS, {
  reason: DECLINE_REASON_MESSAGE,
  detail: DECLINE_DETAIL_MESSAGE,
  tooLong: `The reason can be at most ${DECLINE_DETAIL_MAX} characters`,
});
/** As a form or a JSON body sends it: the reason is whatever was sent, checked against the list. */
export type DeclineRequestInput = { reference: string; reason?: string; detail?: string };

/** Why the raiser withdraws a request before any Install Code was given (docs/decisions/035-safe-actions.md). */
export const WITHDRAW_REASONS = {
  RAISED_IN_ERROR: "Raised in error",
  NO_LONGER_NEEDED: "No longer needed",
  OTHER: "Other",
} as const;
export type WithdrawReasonCode = keyof typeof WITHDRAW_REASONS;
export const WITHDRAW_REASON_CODES = Object.keys(WITHDRAW_REASONS) as [WithdrawReasonCode, ...WithdrawReasonCode[]];
export const WITHDRAW_DETAIL_MAX = LISTED_REASON_DETAIL_MAX;
export const WITHDRAW_REASON_MESSAGE = "Choose why you are withdrawing the request: raised in error, no longer needed, or other";
export const WITHDRAW_DETAIL_MESSAGE = "Say why you are withdrawing the request: the reason \"other\" needs a few words";

export const withdrawRequestSchema = listedReasonSchema(WITHDRAW_REASONS, {
  reason: WITHDRAW_REASON_MESSAGE,
  detail: WITHDRAW_DETAIL_MESSAGE,
  tooLong: `The reason can be at most ${WITHDRAW_DETAIL_MAX} characters`,
});
export type WithdrawRequestInput = { reference: string; reason?: string; detail?: string };

/** The reason of a withdrawal as the timeline, the page and the assignee's email show it. */
export function withdrawReasonText(reason: WithdrawReasonCode, detail?: string | null): string {
  return listedReasonText(WITHDRAW_REASONS, reason, detail);
}

/** The reason of a decline as the timeline, the page and the raiser's email show it. */
export function declineReasonText(reason: DeclineReasonCode, detail?: string | null): string {
  return listedReasonText(DECLINE_REASONS, reason, detail);
}

export const NOT_POSSIBLE_REASON_MAX = 500;

export const closeNotPossibleSchema = z.object({
  reference,
  reason: z
    .string({ error: "Say why the request cannot be answered" })
    .transform(normaliseLines)
    .pipe(
      freeText({
        required: "Say why the request cannot be answered: the raising Supplier reads it",
        max: NOT_POSSIBLE_REASON_MAX,
        tooLong: `A reason can be at most ${NOT_POSSIBLE_REASON_MAX} characters`,
      }),
    ),
});
export type CloseNotPossibleInput = z.input<typeof closeNotPossibleSchema>;

export const REQUEST_STATUSES = ["ASSIGNED", "RESPONDED", "DECLINED", "CLOSED"] as const;
export const REQUEST_PARTIES = ["raised", "assigned"] as const;

/**
 * A page of the list starts after or before this row in the list's order: its sort key's value (the
 * date raised or the due date) and its number. A cursor made under one sort key means nothing under
 * the other, so it says which it is.
 */
export type ListCursor = { key: SortKey; at: Date; number: number };

export const SEARCH_MESSAGE = "Search by a reference like RIC0000042 or a Device ID like 00-DB-12-34-56-78-90-A0";
export const CURSOR_MESSAGE = "That page link is damaged or out of date";
const MAX_INT4 = 2_147_483_647;
// Requests were raised (and fall due) between these instants, or the cursor was not made by us.
const CURSOR_EARLIEST = Date.UTC(2000, 0, 1);
const CURSOR_LATEST = Date.UTC(2200, 0, 1);

/**
 * Opaque to people, but only a key and a (date, number) pair: base64url of "<epoch ms>.<number>" for
 * the date raised (as before sorting existed, so older links still work), "d<epoch ms>.<number>" for
 * the due date.
 */
export function encodeListCursor(cursor: ListCursor): string {
  return Buffer.from(`${cursor.key === "due" ? "d" : ""}${cursor.at.getTime()}.${cursor.number}`, "utf8").toString("base64url");
}

export function decodeListCursor(text: string): ListCursor | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(text)) return null;
  const match = /^(d?)(\d{1,15})\.(\d{1,10})$/.exec(Buffer.from(text, "base64url").toString("utf8"));
  if (!match) return null;
  const ms = Number(match[2]);
  const number = Number(match[3]);
  if (ms < CURSOR_EARLIEST || ms > CURSOR_LATEST || number < 1 || number > MAX_INT4) return null;
  return { key: match[1] ? "due" : "raised", at: new Date(ms), number };
}

/** A form value: missing and empty are the same (an unselected option, an empty search box). */
const formValue = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());

/** A checkbox: present ("1", "on", "true") or absent. */
const checkbox = (message: string) =>
  formValue(z.union([z.literal(true), z.enum(["1", "on", "true"])], { error: message }).transform(() => true));

const cursor = formValue(
  z.string({ error: CURSOR_MESSAGE }).transform((value, ctx) => {
    const decoded = decodeListCursor(value);
    if (!decoded) {
      ctx.addIssue({ code: "custom", message: CURSOR_MESSAGE });
      return z.NEVER;
    }
    return decoded;
  }),
);

/** What a person typed, quoted back in a message: printable, short. */
function quoted(input: unknown): string {
  return typeof input === "string" ? `"${input.replace(/[^\x20-\x7E]/g, "?").slice(0, 40)}"` : "like that";
}

export type ListSearch = { kind: "reference"; number: number } | { kind: "device"; deviceId: DeviceId };

/** What a queue the person does not have is called back to them (an unknown one or another role's). */
export const noQueueMessage = (input: unknown) => `There is no queue ${quoted(input)}`;

export const listRequestsSchema = z
  .object({
    /** One of the person's queues (lib/requests/queues.ts); whether it is theirs is checked with the actor. */
    queue: formValue(z.enum(QUEUE_IDS, { error: (issue) => noQueueMessage(issue.input) })),
    /** The order of the list; the queue's own when absent. */
    sort: formValue(z.enum(LIST_SORTS, { error: (issue) => `There is no sort order ${quoted(issue.input)}` })),
    status: formValue(z.enum(REQUEST_STATUSES, { error: (issue) => `There is no status ${quoted(issue.input)}` })),
    /** Assigned to my organisation (the helpdesk: to the chosen one) and not answered yet. */
    needsResponse: checkbox("Tick the box or leave it empty"),
    /** Not answered and past due, or answered after the due time. */
    overdue: checkbox("Tick the box or leave it empty"),
    /** Only what my organisation (the helpdesk: the chosen one) raised, or only what it is assigned. */
    party: formValue(z.enum(REQUEST_PARTIES, { error: "Choose raised or assigned" })),
    /** Helpdesk only: requests raised by or assigned to the organisation with this code. */
    organisation: formValue(
      z
        .string({ error: "Enter an organisation code, like SFP" })
        .trim()
        .regex(/^[A-Za-z0-9]{1,32}$/, "An organisation code is letters and digits, like SFP")
        .transform((v) => v.toUpperCase()),
    ),
    /** A reference (any case) or a Device ID (any separators, any case). */
    q: formValue(
      z
        .string({ error: SEARCH_MESSAGE })
        .max(100, SEARCH_MESSAGE)
        .transform((value, ctx): ListSearch => {
          const number = parseReference(value);
          if (number !== null) return { kind: "reference", number };
          const deviceId = parseDeviceId(value);
          if (deviceId) return { kind: "device", deviceId };
          ctx.addIssue({ code: "custom", message: SEARCH_MESSAGE });
          return z.NEVER;
        }),
    ),
    /** Older than this row. */
    after: cursor,
    /** Newer than this row. */
    before: cursor,
  })
  .refine((v) => !(v.after && v.before), { message: CURSOR_MESSAGE, path: ["before"] });
export type ListRequestsInput = z.input<typeof listRequestsSchema>;
export type ListRequestsFilters = z.output<typeof listRequestsSchema>;
