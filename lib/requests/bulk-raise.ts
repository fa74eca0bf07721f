import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { transaction, type Tx } from "../db/transaction";
import { env } from "../env";
import { AppError, isAppError, validate, type FieldErrors } from "../errors";
import { consume } from "../limits/rate-limit";
import { logError } from "../log";
import { kickDispatcher } from "../notifications/dispatcher";
import { dueByPhrase } from "../sla/clock";
import { requestsRaisedInBulkEmail, type ListedRequest } from "../../emails/request-emails";
import { whoIsToldOfNote } from "./append-note";
import { emailOrganisation } from "./notify";
import { canRaise, ONLY_SUPPLIERS_RAISE_MESSAGE } from "./permissions";
import { raiseInTransaction, refusal, type OpenRequest } from "./raise-request";
import { bulkRaiseSchema, raiseRequestSchema, type BulkRaiseInput } from "./schemas";

// Many raises in one call (a CSV upload on /requests/bulk; the REST API's bulk endpoint). Every row is
// answered exactly as raiseRequest would answer it on its own, in file order, through the same core
// (raiseInTransaction), with the same schema and the same eligibility rule; what differs is how the
// work is done: the open requests and the Devices are looked up in one query each, everything runs
// in one transaction (all rows or none), and each organisation gets one email for the whole batch.
// docs/decisions/019-bulk-raise.md.

export type BulkRaiseRow = BulkRaiseInput["rows"][number];

type Answered = {
  /** 1-based position in the rows given (the CSV's data rows: the header is not a row). */
  row: number;
  /** The Device ID in its normal form, or as given when it is not one. */
  deviceId: string;
  /** The Device was on an earlier row of the same file: that row's number. */
  repeatOf?: number;
};

export type BulkRowResult =
  | (Answered & { outcome: "raised"; reference: string; noteAdded: boolean })
  | (Answered & { outcome: "already open"; reference: string; noteAdded: boolean })
  | (Answered & { outcome: "refused"; reason: string; fieldErrors: FieldErrors });

export type BulkRaiseResult = {
  rows: BulkRowResult[];
  counts: { raised: number; alreadyOpen: number; refused: number };
  /** Email rows queued (one per recipient of each organisation's one email). */
  emailsQueued: number;
};

/** One transaction for up to 10,000 rows: measured at a few seconds (README, Performance); this is the ceiling. */
const BULK_TRANSACTION_TIMEOUT_MS = 120_000;
/** pg_advisory_xact_lock's first key for bulk raises (the migrator holds 7_301_121 in the one-key space). */
const BULK_LOCK_CLASS = 7_301_122;

/**
 * Raises a request for each row ({deviceId, note?}) as the actor, answering every row: raised (its
 * reference), already open (the reference of the organisation's open request for the Device), or
 * refused (the reason, in the words of a single raise). A Device repeated in the rows is answered as
 * a second raise would be: already open, with the first row's request (or refused like the first).
 * Refuses the whole call (nothing raised) when the actor may not raise, the rows are not 1 to 10,000,
 * or the organisation is over its bulk-raise limit.
 */
export async function bulkRaiseRequests(actor: Actor, rows: BulkRaiseRow[], options: { now?: Date } = {}): Promise<BulkRaiseResult> {
  if (!canRaise(actor)) throw new AppError("FORBIDDEN", ONLY_SUPPLIERS_RAISE_MESSAGE);
  validate(bulkRaiseSchema, { rows });
  await withinBulkRaiseLimit(actor);
  const now = options.now ?? clockNow();

  // The same checks as a single raise, row by row; a row that fails them is refused on its own.
  const checked = rows.map((row) => {
    try {
      return { ok: true as const, input: validate(raiseRequestSchema, row) };
    } catch (error) {
      if (!isAppError(error)) throw error;
      return { ok: false as const, fieldErrors: error.fieldErrors };
    }
  });

  const valid = checked.flatMap((c) => (c.ok ? [c.input] : []));

  const answered = await transaction(
    async (tx) => {
      // Two bulk raises of one organisation at once would each wait for the other's rows in the open-request
      // index (a deadlock): they take turns. Single raises hold one row each and need no turn.
      await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(${BULK_LOCK_CLASS}::int, hashtext(${actor.organisationId}::text))`;
      const outcomes = await raiseInTransaction(tx, actor, valid, now, { queueEmails: false });
      const mail = new BatchMail(actor, now);
      for (const outcome of outcomes) {
        if (outcome.outcome === "raised") mail.assigned(outcome.request, outcome.reference);
        else if (outcome.outcome === "already open" && outcome.noteAdded) mail.noteAdded(outcome.request, outcome.reference);
      }
      return { outcomes, emailsQueued: await mail.queue(tx) };
    },
    { timeoutMs: BULK_TRANSACTION_TIMEOUT_MS },
  );

  // Every row answered, in order: the refusals of the checks above, and the core's answers.
  const firstRow = new Map<string, number>();
  let next = 0;
  const results = checked.map((check, index): BulkRowResult => {
    const row = index + 1;
    if (!check.ok) {
      const given = rows[index]?.deviceId;
      return { row, deviceId: typeof given === "string" ? given.trim() : "", outcome: "refused", reason: reasonOf(check.fieldErrors), fieldErrors: check.fieldErrors };
    }
    const { deviceId } = check.input;
    const repeatOf = firstRow.get(deviceId);
    if (repeatOf === undefined) firstRow.set(deviceId, row);
    const base = { row, deviceId, ...(repeatOf === undefined ? {} : { repeatOf }) };
    const outcome = answered.outcomes[next++];
    if (outcome.outcome === "refused") return { ...base, outcome: "refused", reason: outcome.message, fieldErrors: refusal(outcome.message).fieldErrors };
    return { ...base, outcome: outcome.outcome, reference: outcome.reference, noteAdded: outcome.noteAdded };
  });

  const counts = { raised: 0, alreadyOpen: 0, refused: 0 };
  for (const r of results) {
    if (r.outcome === "raised") counts.raised++;
    else if (r.outcome === "already open") counts.alreadyOpen++;
    else counts.refused++;
  }
  if (answered.emailsQueued > 0) kickDispatcher();
  return { rows: results, counts, emailsQueued: answered.emailsQueued };
}

/** A single raise refuses with field messages; a row has one line for them all. */
function reasonOf(fieldErrors: FieldErrors): string {
  return Object.values(fieldErrors).flat().join("; ");
}

type Listed = ListedRequest & { id: string };

/**
 * The emails of a batch: one per assigned organisation (its new requests, and the notes added to
 * its open ones) instead of one per request. Who is told of a note is appendNote's rule
 * (whoIsToldOfNote): the rows' notes are the raising organisation's own, so only assignees are told.
 */
class BatchMail {
  private byAssignee = new Map<string, { assigned: Listed[]; notesAdded: Listed[] }>();
  /** Every request of one batch is due at the same time: it was raised at one time. */
  private dueAt: Date | undefined;

  constructor(
    private readonly actor: Actor,
    /** When the batch was raised: each of its clocks started then. */
    private readonly raisedAt: Date,
  ) {}

  private assignee(organisationId: string) {
    let lists = this.byAssignee.get(organisationId);
    if (!lists) this.byAssignee.set(organisationId, (lists = { assigned: [], notesAdded: [] }));
    return lists;
  }

  assigned(request: OpenRequest & { dueAt: Date }, reference: string) {
    this.dueAt = request.dueAt;
    this.assignee(request.assignedOrganisationId).assigned.push({ id: request.id, reference, deviceId: request.deviceId });
  }

  noteAdded(request: OpenRequest, reference: string) {
    const listed = { id: request.id, reference, deviceId: request.deviceId };
    for (const organisationId of whoIsToldOfNote(this.actor, request)) this.assignee(organisationId).notesAdded.push(listed);
  }

  async queue(tx: Tx): Promise<number> {
    const listUrl = `${env().appUrl}/requests`;
    const due = this.dueAt ? dueByPhrase(this.raisedAt, this.dueAt, this.raisedAt, env().slaRule) : "";
    let queued = 0;
    for (const [organisationId, { assigned, notesAdded }] of this.byAssignee) {
      const email = requestsRaisedInBulkEmail({ raisingOrganisation: this.actor.organisationName, assigned, notesAdded, due, listUrl });
      const category = assigned.length > 0 ? "ASSIGNMENT" : "NOTE";
      queued += await emailOrganisation(tx, [...assigned, ...notesAdded].map((r) => r.id), organisationId, email, category);
    }
    return queued;
  }
}

/**
 * A bulk raise has its own limit, counted in calls: one file of up to 10,000 rows is one call, so
 * it neither uses up nor is refused by the per-minute raise limit (docs/decisions/019-bulk-raise.md).
 */
async function withinBulkRaiseLimit(actor: Actor): Promise<void> {
  const perHour = env().bulkRaisesPerOrganisationPerHour;
  const result = await consume({ name: "bulk-raise", points: perHour, durationSeconds: 3600 }, actor.organisationId, (error) =>
    logError(error, { limit: "bulk-raise" }, "rate limit store unavailable: allowing the request"),
  );
  if (!result.allowed) {
    throw new AppError(
      "RATE_LIMITED",
      `Your organisation has made ${perHour.toLocaleString("en-GB")} bulk raises in the last hour, the most allowed. Try again in ${minutes(result.retryAfterSeconds)}.`,
      {},
      result.retryAfterSeconds,
    );
  }
}

function minutes(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
