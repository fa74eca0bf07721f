import { z } from "zod";
import type { RequestSummary } from "../requests/list-requests";
import type { RequestView } from "../requests/view-request";
import type { DeviceLookUp } from "../requests/look-up-device";
import type { BulkRaiseResult } from "../requests/bulk-raise";
import { ACTIONS } from "../requests/permissions";
import { DECLINE_REASON_CODES, REQUEST_STATUSES } from "../requests/schemas";

// What the API answers, as zod schemas (the OpenAPI document is generated from them, and the tests
// validate every answer against the document) and the functions that build each from a use case's
// result. Never an Install Code except `installCode` of a request's reveal.

const EXAMPLE_REFERENCE = "RIC0000042";
const EXAMPLE_DEVICE = "00-DB-12-34-56-78-90-A0";
const iso = () => z.string().meta({ format: "date-time", example: "2026-11-30T09:15:00.000Z" });

export const organisationSchema = z
  .object({ code: z.string().meta({ example: "SFP" }), name: z.string().meta({ example: "Southfield Power" }) })
  .meta({ id: "Organisation", description: "A SEC Party: its code as used by the Smart Metering Inventory, and its name." });

export const requestStatusSchema = z.enum(REQUEST_STATUSES).meta({
  id: "RequestStatus",
  description:
    "ASSIGNED: waiting for the assigned Supplier's Install Code. RESPONDED: a code was given. DECLINED: the assigned Supplier declined it (not its Device); the DCC Helpdesk will reassign it or close it as not possible. CLOSED: the raiser closed it (after an answer) or withdrew it (before one), or the helpdesk closed it as not possible.",
});

export const requestSummarySchema = z
  .object({
    reference: z.string().meta({ example: EXAMPLE_REFERENCE }),
    deviceId: z.string().meta({ example: EXAMPLE_DEVICE }),
    status: requestStatusSchema,
    raisedAt: iso(),
    dueAt: iso().meta({ description: "When the assigned Supplier's five Working Days end." }),
    respondedAt: iso().nullable(),
    closedAt: iso().nullable(),
    overdue: z.boolean().meta({ description: "Not answered and past due, or answered after the due time." }),
    raisingOrganisation: organisationSchema,
    assignedOrganisation: organisationSchema,
    links: z.object({ self: z.string().meta({ example: `/api/v1/install-code-requests/${EXAMPLE_REFERENCE}` }), page: z.string().meta({ example: `/requests/${EXAMPLE_REFERENCE}` }) }),
  })
  .meta({ id: "InstallCodeRequestSummary" });

export const requestPageSchema = z
  .object({
    requests: z.array(requestSummarySchema),
    nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next (older) page; null on the last page." }),
  })
  .meta({ id: "InstallCodeRequestPage" });

const timelineEntrySchema = z.object({
  type: z.string().meta({ example: "RAISED", description: "RAISED, ASSIGNED, REASSIGNED, NOTE_ADDED, INSTALL_CODE_PROVIDED, INSTALL_CODE_REVEALED, DECLINED, WITHDRAWN, CLOSED, CLOSED_NOT_POSSIBLE, BREACHED, EMAIL_QUEUED, EMAIL_SENT, EMAIL_FAILED, INSTALL_CODE_ERASED, ..." }),
  at: iso(),
  actor: z.string().nullable().meta({ description: "Who did it; null for the portal itself." }),
  actorOrganisation: z.string().nullable(),
  organisation: z.string().nullable().meta({ description: "ASSIGNED, REASSIGNED: the organisation assigned; EMAIL_*: the recipient's organisation." }),
  detail: z.string().nullable().meta({ description: "REASSIGNED: the helpdesk's reason. DECLINED: the Supplier's reason. WITHDRAWN: the raiser's reason. CLOSED_NOT_POSSIBLE: the helpdesk's reason." }),
});

const noteSchema = z.object({ at: iso(), author: z.string(), organisation: z.string().nullable(), body: z.string() });

export const requestDetailSchema = requestSummarySchema
  .extend({
    device: z.object({ deviceId: z.string(), deviceType: z.string().meta({ example: "ESME" }), status: z.string().nullable().meta({ example: "InstalledNotCommissioned" }) }),
    raisedBy: z.string().meta({ description: "The person, or the API key, that raised it." }),
    raiserHasLeft: z.boolean().meta({ description: "The person who raised it has since left the raising organisation; the request stays the organisation's." }),
    installCode: z.string().nullable().meta({
      example: "83FED3407A939723A5C639B26916D505",
      description:
        "For the raising organisation and the organisation that gave it: the newest Install Code (without its CRC). Reading it is a reveal, recorded on the timeline and in the audit log. Null when there is none or this organisation may not see it.",
    }),
    installCodes: z.array(z.object({ providedBy: z.string(), providedAt: iso(), visibleToYou: z.boolean() })).meta({ description: "The codes given, newest first, as far as this organisation may know of them." }),
    notes: z.array(noteSchema),
    timeline: z.array(timelineEntrySchema),
    decline: z
      .object({
        at: iso(),
        reason: z.enum(DECLINE_REASON_CODES).meta({ example: "NOT_PRE_NOTIFIED" }),
        detail: z.string().nullable().meta({ description: "The Supplier's words, for the reason OTHER." }),
      })
      .nullable()
      .meta({ description: "DECLINED: when and why the assigned Supplier declined it. Null otherwise (a reassignment clears it; the timeline keeps it)." }),
    notPossibleReason: z.string().nullable().meta({ description: "Closed as not possible by the DCC Helpdesk: its reason." }),
    allowedActions: z.array(z.enum(ACTIONS)).meta({ description: "What this organisation may do on the request now." }),
    undeliveredEmails: z
      .array(z.object({ organisation: z.string(), failedAt: iso() }))
      .meta({ description: "Emails about this request that could not be delivered (to your organisation; the helpdesk: to anyone), until one gets through." }),
  })
  .meta({ id: "InstallCodeRequest" });

export const deviceSchema = z
  .object({
    deviceId: z.string().meta({ example: EXAMPLE_DEVICE }),
    deviceType: z.string().meta({ example: "ESME" }),
    status: z.string().nullable().meta({ example: "InstalledNotCommissioned", description: "SMI status (DUIS DeviceStatus); null for Type 2 Devices." }),
    statusChangedAt: iso().nullable(),
    manufacturer: z.string(),
    model: z.string(),
    firmwareVersion: z.string(),
    installingSupplier: organisationSchema.meta({ description: "The Supplier that pre-notified the Device: a request is assigned to it." }),
    raise: z.object({
      possible: z.boolean().meta({ description: "Whether this organisation can raise a request for the Device now." }),
      reason: z.string().nullable().meta({ description: "If not, why, in the words the portal's page uses." }),
      openRequest: z.string().nullable().meta({ description: "This organisation's open request for the Device, if any." }),
    }),
  })
  .meta({ id: "Device" });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: "VALIDATION" }),
      message: z.string().meta({ example: "Check the highlighted fields" }),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ example: { deviceId: ["Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0"] } }),
      reference: z.string().optional().meta({ description: "409 for a duplicate: the open request's reference." }),
    }),
  })
  .meta({ id: "Error" });

const links = (reference: string) => ({ self: `/api/v1/install-code-requests/${reference}`, page: `/requests/${reference}` });

export function summaryJson(r: RequestSummary): z.infer<typeof requestSummarySchema> {
  return {
    reference: r.reference,
    deviceId: r.deviceId,
    status: r.status,
    raisedAt: r.raisedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    respondedAt: r.respondedAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    overdue: r.overdue,
    raisingOrganisation: { code: r.raisingOrganisationCode, name: r.raisingOrganisation },
    assignedOrganisation: { code: r.assignedOrganisationCode, name: r.assignedOrganisation },
    links: links(r.reference),
  };
}

export function detailJson(view: RequestView, installCode: string | null): z.infer<typeof requestDetailSchema> {
  return {
    ...summaryFromView(view),
    device: { deviceId: view.device.deviceId, deviceType: view.device.deviceType, status: view.device.status },
    raisedBy: view.raisedBy,
    raiserHasLeft: view.raiserHasLeft,
    installCode,
    installCodes: view.installCodes.map((c) => ({ providedBy: c.providedBy, providedAt: c.providedAt.toISOString(), visibleToYou: c.canReveal })),
    notes: view.timeline
      .filter((e) => e.type === "NOTE_ADDED" && e.note !== null)
      .map((e) => ({ at: e.at.toISOString(), author: e.actorName ?? "", organisation: e.actorOrganisation, body: e.note! })),
    decline: view.decline ? { at: view.decline.at.toISOString(), reason: view.decline.reason, detail: view.decline.detail } : null,
    notPossibleReason: view.notPossibleReason,
    timeline: view.timeline.map((e) => ({
      type: e.type,
      at: e.at.toISOString(),
      actor: e.actorName,
      actorOrganisation: e.actorOrganisation,
      organisation: e.organisation,
      detail: e.detail,
    })),
    allowedActions: Object.entries(view.allowed)
      .filter(([, allowed]) => allowed)
      .map(([action]) => action as (typeof ACTIONS)[number]),
    undeliveredEmails: view.undeliveredEmails.map((u) => ({ organisation: u.organisation, failedAt: u.failedAt.toISOString() })),
  };
}

export function deviceJson(d: DeviceLookUp): z.infer<typeof deviceSchema> {
  return {
    deviceId: d.deviceId,
    deviceType: d.deviceType,
    status: d.status,
    statusChangedAt: d.statusChangedAt?.toISOString() ?? null,
    manufacturer: d.manufacturer,
    model: d.model,
    firmwareVersion: d.firmwareVersion,
    installingSupplier: d.installingSupplier,
    raise: d.raise,
  };
}

/** The summary of a request as its page shows it (after a change: never the code). */
export function summaryFromView(view: RequestView): z.infer<typeof requestSummarySchema> {
  return {
    reference: view.reference,
    deviceId: view.device.deviceId,
    status: view.status,
    raisedAt: view.raisedAt.toISOString(),
    dueAt: view.dueAt.toISOString(),
    respondedAt: view.respondedAt?.toISOString() ?? null,
    closedAt: view.closedAt?.toISOString() ?? null,
    overdue: view.overdue,
    raisingOrganisation: view.raisingOrganisation,
    assignedOrganisation: view.assignedOrganisation,
    links: links(view.reference),
  };
}

export const lodgedSchema = z
  .object({
    deviceId: z.string().meta({ example: EXAMPLE_DEVICE }),
    outcome: z.enum(["lodged", "replaced"]).meta({ description: "lodged: the Device had no code of yours; replaced: it took the earlier one's place." }),
    lodgedAt: iso(),
    masked: z.string().meta({ description: "The code's length, never a digit.", example: "••••-••••-••••-••••-••••-••••-••••-••••" }),
  })
  .meta({ id: "LodgedInstallCode" });

export function lodgedJson(l: { deviceId: string; outcome: "lodged" | "replaced"; lodgedAt: Date; masked: string }): z.infer<typeof lodgedSchema> {
  return { deviceId: l.deviceId, outcome: l.outcome, lodgedAt: l.lodgedAt.toISOString(), masked: l.masked };
}

export const bulkResultSchema = z
  .object({
    counts: z.object({ raised: z.number().int(), alreadyOpen: z.number().int(), refused: z.number().int() }),
    rows: z.array(
      z.object({
        row: z.number().int().meta({ description: "1-based position among the rows given (a CSV's header is not a row)." }),
        deviceId: z.string(),
        outcome: z.enum(["raised", "already open", "refused"]),
        reference: z.string().nullable().meta({ description: "raised: the new request; already open: your organisation's open request for the Device." }),
        reason: z.string().nullable().meta({ description: "refused: why, in the words a single raise gives." }),
        repeatOf: z.number().int().nullable().meta({ description: "The Device was on this earlier row of the same call." }),
      }),
    ),
  })
  .meta({ id: "BulkRaiseResult" });

export function bulkJson(result: BulkRaiseResult): z.infer<typeof bulkResultSchema> {
  return {
    counts: result.counts,
    rows: result.rows.map((r) => ({
      row: r.row,
      deviceId: r.deviceId,
      outcome: r.outcome,
      reference: r.outcome === "refused" ? null : r.reference,
      reason: r.outcome === "refused" ? r.reason : null,
      repeatOf: r.repeatOf ?? null,
    })),
  };
}
