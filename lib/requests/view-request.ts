import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import type { RequestEventType, RequestStatus } from "../db/generated/client";
import { encryptedCodeLength } from "../install-code/encryption";
import { erasedCodeSummary } from "../retention/erase-install-codes";
import { maskInstallCode } from "../install-code/format";
import { ACTIONS, can, relationsTo, type Action } from "./permissions";
import { formatReference } from "./reference";
import { declineReasonText, withdrawReasonText, type DeclineReasonCode, type WithdrawReasonCode } from "./schemas";
import { stateRefusal } from "./state";
import { findVisibleRequest } from "./visibility";
import { env } from "../env";
import { slaState, type ClockOutcome, type SlaState } from "../sla/clock";
import { explainDue, type DueExplanation } from "../sla/rule";

// What the request page shows: never the Install Code itself (that takes revealInstallCode).

export type TimelineEntry = {
  id: string;
  type: RequestEventType;
  at: Date;
  actorName: string | null;
  actorOrganisation: string | null;
  organisation: string | null;
  detail: string | null;
  note: string | null;
  /**
   * EMAIL_*: which of the request's recipients ("1", "2" …, in order of first mention), so that the
   * timeline can match an email's sending to its queueing (lib/requests/timeline.ts) without the address.
   */
  recipient: string | null;
};

/** One assignee's clock, for the page (lib/sla/clock.ts's Clock with the organisation's name). */
export type ClockView = {
  organisation: string;
  startedAt: Date;
  dueAt: Date;
  firstResponseAt: Date | null;
  endedAt: Date | null;
  outcome: ClockOutcome;
  respondedInTime: boolean | null;
  breachedAt: Date | null;
};

export type InstallCodeView = {
  id: string;
  providedBy: string;
  providedAt: Date;
  /** Given by an earlier assignee, before the request was reassigned. */
  beforeReassignment: boolean;
  masked: string;
  canReveal: boolean;
  /** The code was erased after the retention period (lib/retention/erase-install-codes.ts): nobody can reveal it. */
  erasedAt: Date | null;
};

export type RequestView = {
  reference: string;
  status: RequestStatus;
  raisedAt: Date;
  dueAt: Date;
  respondedAt: Date | null;
  closedAt: Date | null;
  overdue: boolean;
  device: { deviceId: string; deviceType: string; status: string | null; manufacturer: string; model: string };
  /** For the helpdesk only (a reassignment hint): who pre-notified the Device in the SMI today. */
  preNotifiedBy: { code: string; name: string } | null;
  raisingOrganisationId: string;
  assignedOrganisationId: string;
  raisingOrganisation: { code: string; name: string };
  assignedOrganisation: { code: string; name: string };
  raisedBy: string;
  /** The person who raised it is no longer in the raising organisation (removed, or moved elsewhere): the request stays the organisation's. */
  raiserHasLeft: boolean;
  /**
   * The Install Codes this actor may know of, newest first: the raiser sees every code given, the
   * assignee only its own, the helpdesk that codes were given (never a digit, nor their length).
   */
  installCodes: InstallCodeView[];
  timeline: TimelineEntry[];
  /** The current assignee was given the request by a reassignment (not by the raise). */
  reassigned: boolean;
  /** The obligation, from the timeline (lib/sla/clock.ts), and why the current due day is that day. */
  sla: SlaState;
  /** Every assignee's clock, oldest first (the last is the current one). */
  clocks: ClockView[];
  dueExplanation: DueExplanation | null;
  /**
   * The current assignee declined it ("not our Device", status DECLINED): when, and why as listed and
   * (for "other") in its words. Null once reassigned (the timeline keeps it).
   */
  decline: { at: Date; reason: DeclineReasonCode; reasonText: string; detail: string | null } | null;
  /** The helpdesk closed it as not possible: its reason, for the parties to read. */
  notPossibleReason: string | null;
  /** The raiser withdrew it before any Install Code was given: why, as listed or (for "other") in its words. */
  withdrawal: { reason: WithdrawReasonCode; reasonText: string } | null;
  /** What this actor may do now (permission and state): the page shows only these controls. */
  allowed: Record<Action, boolean>;
  /**
   * Emails about this request the portal gave up on (EMAIL_FAILED) and has not delivered since to
   * the same organisation, oldest first: to the actor's own organisation only, or all for the helpdesk.
   */
  undeliveredEmails: UndeliveredEmail[];
};

export type UndeliveredEmail = { organisation: string; failedAt: Date };

/**
 * Whether a response is late: awaiting the assignee's answer and past due, or answered after the due
 * time. A declined request waits for the helpdesk, not the Supplier: not overdue (a late decline
 * stays a breach of its clock, lib/sla/clock.ts).
 */
export function isOverdue(request: { dueAt: Date; respondedAt: Date | null; status: RequestStatus }, now: Date): boolean {
  if (request.respondedAt) return request.respondedAt > request.dueAt;
  return request.status === "ASSIGNED" && now > request.dueAt;
}

/** What the request's state lets anyone do at all, whoever they are (the permission map says who). */

export async function viewRequest(actor: Actor, reference: string, options: { now?: Date } = {}): Promise<RequestView> {
  const now = options.now ?? clockNow();
  const request = await findVisibleRequest(db(), actor, reference, {
    id: true,
    number: true,
    status: true,
    raisedAt: true,
    dueAt: true,
    respondedAt: true,
    closedAt: true,
    declinedAt: true,
    declineReason: true,
    declineDetail: true,
    notPossibleReason: true,
    withdrawReason: true,
    withdrawDetail: true,
    installCodes: {
      where: { replacedAt: null },
      orderBy: { providedAt: "desc" },
      select: {
        id: true, encrypted: true, providedAt: true, providedByOrganisationId: true, reassignedAwayAt: true, erasedAt: true,
        providedByOrganisation: { select: { name: true } },
      },
    },
    // With relationJoins, the request, its codes, parties, Device and whole timeline are one query.
    events: {
      orderBy: { sequence: "asc" },
      select: {
        id: true, type: true, at: true, actorOrganisationId: true, organisationId: true, detail: true,
        actor: { select: { name: true } }, note: { select: { body: true } },
      },
    },
    raisingOrganisationId: true,
    assignedOrganisationId: true,
    raisedBy: { select: { name: true, removedAt: true, organisationId: true } },
    raisingOrganisation: { select: { code: true, name: true } },
    assignedOrganisation: { select: { code: true, name: true } },
    device: {
      select: { deviceId: true, deviceType: true, status: true, manufacturer: true, model: true, preNotifiedBy: { select: { code: true, name: true } } },
    },
  });
  const events = request.events;
  // Only the organisations the timeline names (a national SMI has hundreds of Suppliers); a
  // second query only when there are any.
  const named = new Set<string>();
  for (const e of events) for (const id of [e.actorOrganisationId, e.organisationId]) if (id) named.add(id);
  const organisations = new Map(
    named.size === 0
      ? []
      : (await db().organisation.findMany({ where: { id: { in: [...named] } }, select: { id: true, name: true } })).map((o) => [o.id, o.name]),
  );
  const sla = slaState(events, env().slaRule, now, request.dueAt);
  const recipients = new Map<string, string>();
  const recipientOf = (address: string | null) => {
    if (address === null) return null;
    const key = address.toLowerCase();
    if (!recipients.has(key)) recipients.set(key, String(recipients.size + 1));
    return recipients.get(key)!;
  };
  const helpdesk = relationsTo(actor, request).includes("helpdesk");
  const installCodes: InstallCodeView[] = request.installCodes
    .map((code) => ({ code, permitted: can(actor, "install-code:reveal", request, code) }))
    .filter(({ permitted }) => permitted || helpdesk)
    .map(({ code, permitted }) => ({
      id: code.id,
      providedBy: code.providedByOrganisation.name,
      providedAt: code.providedAt,
      beforeReassignment: code.reassignedAwayAt !== null,
      masked: code.erasedAt
        ? erasedCodeSummary(request.closedAt, code.erasedAt)
        : permitted
          ? maskInstallCode("x".repeat(encryptedCodeLength(code.encrypted)))
          : "Provided (visible to the raising Supplier and the Supplier that gave it only)",
      canReveal: permitted && !code.erasedAt,
      erasedAt: code.erasedAt,
    }));
  const allowed = Object.fromEntries(
    ACTIONS.map((action) => {
      if (action === "install-code:reveal") return [action, installCodes.some((c) => c.canReveal)];
      return [action, can(actor, action, request) && stateRefusal(action, request.status) === null];
    }),
  ) as Record<Action, boolean>;

  return {
    reference: formatReference(request.number),
    status: request.status,
    raisedAt: request.raisedAt,
    dueAt: request.dueAt,
    respondedAt: request.respondedAt,
    closedAt: request.closedAt,
    overdue: isOverdue(request, now),
    decline:
      request.declinedAt && request.declineReason
        ? {
            at: request.declinedAt,
            reason: request.declineReason,
            reasonText: declineReasonText(request.declineReason, request.declineDetail),
            detail: request.declineDetail,
          }
        : null,
    notPossibleReason: request.notPossibleReason,
    withdrawal: request.withdrawReason ? { reason: request.withdrawReason, reasonText: withdrawReasonText(request.withdrawReason, request.withdrawDetail) } : null,
    device: {
      deviceId: request.device.deviceId,
      deviceType: request.device.deviceType,
      status: request.device.status,
      manufacturer: request.device.manufacturer,
      model: request.device.model,
    },
    preNotifiedBy: helpdesk ? (request.device.preNotifiedBy ?? null) : null,
    raisingOrganisationId: request.raisingOrganisationId,
    assignedOrganisationId: request.assignedOrganisationId,
    raisingOrganisation: request.raisingOrganisation,
    assignedOrganisation: request.assignedOrganisation,
    raisedBy: request.raisedBy.name,
    raiserHasLeft: Boolean(request.raisedBy.removedAt) || request.raisedBy.organisationId !== request.raisingOrganisationId,
    installCodes,
    // The new assignee is never shown a code given before, so the timeline says it was reassigned.
    reassigned: events.some((e) => e.type === "REASSIGNED"),
    timeline: events.map((e) => ({
      id: e.id,
      type: e.type,
      at: e.at,
      actorName: e.actor?.name ?? null,
      actorOrganisation: e.actorOrganisationId ? (organisations.get(e.actorOrganisationId) ?? null) : null,
      organisation: e.organisationId ? (organisations.get(e.organisationId) ?? null) : null,
      // Email addresses on the timeline are for the parties; the recipient's organisation is enough.
      detail: e.type === "EMAIL_QUEUED" || e.type === "EMAIL_SENT" || e.type === "EMAIL_FAILED" ? null : e.detail,
      note: e.note?.body ?? null,
      recipient: e.type === "EMAIL_QUEUED" || e.type === "EMAIL_SENT" || e.type === "EMAIL_FAILED" ? recipientOf(e.detail) : null,
    })),
    sla,
    clocks: sla.clocks.map((c) => ({
      organisation: organisations.get(c.organisationId) ?? "Unknown organisation",
      startedAt: c.startedAt,
      dueAt: c.dueAt,
      firstResponseAt: c.firstResponseAt,
      endedAt: c.endedAt,
      outcome: c.outcome,
      respondedInTime: c.respondedInTime,
      breachedAt: c.breachedAt,
    })),
    dueExplanation: sla.current ? explainDue(sla.current.startedAt, env().slaRule) : null,
    allowed,
    undeliveredEmails: undeliveredEmails(events, helpdesk ? null : actor.organisationId, organisations),
  };
}

/**
 * The EMAIL_FAILED events not followed by an EMAIL_SENT to the same address of the same
 * organisation (a retry that got through; another person's copy of the same email does not count),
 * for `organisationId` only (null: every organisation, for the helpdesk). One line per organisation.
 */
function undeliveredEmails(
  events: readonly { type: RequestEventType; at: Date; organisationId: string | null; detail: string | null }[],
  organisationId: string | null,
  names: ReadonlyMap<string, string>,
): UndeliveredEmail[] {
  const failed = new Map<string, { organisationId: string | null; at: Date }>();
  for (const e of events) {
    const key = `${e.organisationId} ${e.detail?.toLowerCase()}`;
    if (e.type === "EMAIL_FAILED") {
      if (!failed.has(key)) failed.set(key, { organisationId: e.organisationId, at: e.at });
    } else if (e.type === "EMAIL_SENT") failed.delete(key);
  }
  const byOrganisation = new Map<string | null, Date>();
  for (const { organisationId: id, at } of failed.values()) if (!byOrganisation.has(id)) byOrganisation.set(id, at);
  return [...byOrganisation]
    .filter(([id]) => organisationId === null || id === organisationId)
    .map(([id, failedAt]) => ({ organisation: (id && names.get(id)) || "a user", failedAt }));
}
