import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { transaction, type Tx } from "../db/transaction";
import { AppError, validate } from "../errors";
import { eligibilityOf, findSmiDevices } from "../inventory/eligibility";
import { answerFromLodgedCode } from "../install-code/answer-from-lodged-code";
import { queueWebhookEvents } from "../webhooks/queue";
import type { DeviceId } from "../inventory/device-id";
import { consume } from "../limits/rate-limit";
import { kickDispatcher } from "../notifications/dispatcher";
import { clockDueAt } from "../sla/rule";
import { dueByPhrase } from "../sla/clock";
import { env } from "../env";
import { requestAssignedEmail } from "../../emails/request-emails";
import { tellOfNote, writeNotes } from "./append-note";
import { insertEvents } from "./events";
import { emailOrganisation, requestUrl } from "./notify";
import { canRaise, ONLY_SUPPLIERS_RAISE_MESSAGE } from "./permissions";
import { formatReference } from "./reference";
import { raiseRequestSchema, type RaiseRequestInput } from "./schemas";
import { visibleRequests } from "./visibility";
import { logError } from "../log";

export type RaiseResult = {
  reference: string;
  /** False when the organisation already had an open request for the Device: that one is returned. */
  created: boolean;
  /** The note given with the raise was added (to the new request, or to the open one). */
  noteAdded: boolean;
};

/** The raising organisation's open request for a Device: what a second raise returns. */
export type OpenRequest = {
  id: string;
  number: number;
  deviceId: string;
  raisedById: string;
  raisingOrganisationId: string;
  assignedOrganisationId: string;
};

const OPEN_REQUEST_FIELDS = {
  id: true,
  number: true,
  deviceId: true,
  raisedById: true,
  raisingOrganisationId: true,
  assignedOrganisationId: true,
} as const;

/** The raising organisation's open requests for these Devices, through the visibility rule. */
function openRequestsWhere(actor: Actor, deviceIds: readonly string[]) {
  return {
    AND: [visibleRequests(actor), { deviceId: { in: [...deviceIds] }, raisingOrganisationId: actor.organisationId, status: { not: "CLOSED" as const } }],
  };
}

/** The raising organisation's open request for one Device (what raising it again returns), or null. */
export async function openRequest(tx: Tx, actor: Actor, deviceId: string): Promise<OpenRequest | null> {
  return (await findOpenRequests(tx, actor, [deviceId])).get(deviceId) ?? null;
}

async function findOpenRequests(tx: Tx, actor: Actor, deviceIds: readonly string[]): Promise<Map<string, OpenRequest>> {
  const open = new Map<string, OpenRequest>();
  for (let i = 0; i < deviceIds.length; i += LOOKUP_CHUNK) {
    const rows = await tx.installCodeRequest.findMany({ where: openRequestsWhere(actor, deviceIds.slice(i, i + LOOKUP_CHUNK)), select: OPEN_REQUEST_FIELDS });
    for (const row of rows) open.set(row.deviceId, row);
  }
  return open;
}

/** Which of these Devices have a lodged Install Code of any organisation (answerFromLodgedCode checks whose). */
async function devicesWithLodgedCodes(tx: Tx, deviceIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < deviceIds.length; i += LOOKUP_CHUNK) {
    const rows = await tx.lodgedInstallCode.findMany({ where: { deviceId: { in: deviceIds.slice(i, i + LOOKUP_CHUNK) } }, select: { deviceId: true } });
    for (const row of rows) found.add(row.deviceId);
  }
  return found;
}

/** Device IDs per look-up (well inside PostgreSQL's 65,535 bind parameters), and new requests per insert. */
const LOOKUP_CHUNK = 10_000;
const REQUESTS_PER_INSERT = 2_000;

export type RaiseInput = { deviceId: DeviceId; note?: string };

/** What one raise answers, before any email about it (the caller may tell people of many at once). */
export type RaiseOutcome =
  | { outcome: "raised"; reference: string; noteAdded: boolean; request: OpenRequest & { dueAt: Date }; /** Answered at once from a code lodged in advance: when it was lodged. */ lodgedAt: Date | null }
  | { outcome: "already open"; reference: string; noteAdded: boolean; request: OpenRequest }
  | { outcome: "refused"; message: string };

export type RaiseOptions = {
  /**
   * True: queue the emails each raise causes (the assignment email; the note-added emails of a note
   * added to an open request). False: the caller tells people itself, once for many raises (a bulk
   * raise: one email per organisation).
   */
  queueEmails: boolean;
  /**
   * False: a note typed with a raise that finds the Device's request open is not added to it (the
   * API answers such a raise 409 and changes nothing). Default true: the page's raise keeps it.
   */
  noteOnOpen?: boolean;
};

/**
 * The one raise, for the single raise below and for bulk-raise.ts: raises for each input, in order,
 * inside the caller's transaction, answering each exactly as raising them one after another would.
 * Input already valid (raiseRequestSchema), rate limit already passed. At most one request per
 * Device and raising organisation is open: raising again (or a second row for the same Device)
 * returns the open one and creates nothing, and a note typed with it is added to that one rather
 * than lost. Each step is one statement for all the inputs (a few per 2,000), not one per input.
 */
export async function raiseInTransaction(tx: Tx, actor: Actor, inputs: readonly RaiseInput[], now: Date, options: RaiseOptions): Promise<RaiseOutcome[]> {
  const deviceIds = [...new Set(inputs.map((input) => input.deviceId))];
  // An open request is returned even if the Device's status has moved on since it was raised.
  const open = await findOpenRequests(tx, actor, deviceIds);
  const devices = await findSmiDevices(tx, deviceIds);

  // 1. Decide in order, as one raise after another would: the first input for a Device that is not
  // open and is eligible raises; a later one finds that request open.
  const raising = new Set<string>();
  const decided = inputs.map((input): { open: true } | { refused: string } | { assignTo: string } => {
    if (open.has(input.deviceId) || raising.has(input.deviceId)) return { open: true };
    const eligibility = eligibilityOf(actor, input.deviceId, devices.get(input.deviceId));
    if (!eligibility.ok) return { refused: eligibility.message };
    raising.add(input.deviceId);
    return { assignTo: eligibility.device.preNotifiedById };
  });

  // 2. The new requests. ON CONFLICT DO NOTHING: a raise of one of these Devices by this organisation
  // committed since the look-up above is found by the partial unique index
  // (one_open_request_per_device_and_raiser) without failing this transaction; that one is returned.
  const dueAt = clockDueAt(now, env().slaRule);
  const toCreate = inputs.flatMap((input, i) => {
    const decision = decided[i];
    return "assignTo" in decision ? [{ deviceId: input.deviceId, assignedOrganisationId: decision.assignTo }] : [];
  });
  const created = new Map<string, OpenRequest & { dueAt: Date }>();
  for (let i = 0; i < toCreate.length; i += REQUESTS_PER_INSERT) {
    // As events.ts: one statement for many rows. In the order given, so references follow it.
    const chunk = JSON.stringify(toCreate.slice(i, i + REQUESTS_PER_INSERT).map((r) => ({ deviceId: r.deviceId, assignTo: r.assignedOrganisationId })));
    const rows = await tx.$queryRaw<(OpenRequest & { dueAt: Date })[]>`
      INSERT INTO "InstallCodeRequest" ("id", "deviceId", "raisedById", "raisingOrganisationId", "assignedOrganisationId", "raisedAt", "dueAt")
      SELECT gen_random_uuid(), e->>'deviceId', ${actor.userId}::uuid, ${actor.organisationId}::uuid, (e->>'assignTo')::uuid, ${now}::timestamptz, ${dueAt}::timestamptz
      FROM jsonb_array_elements(${chunk}::jsonb) WITH ORDINALITY AS t(e, n)
      ORDER BY n
      ON CONFLICT DO NOTHING
      RETURNING "id", "number", "deviceId", "raisedById", "raisingOrganisationId", "assignedOrganisationId", "dueAt"`;
    for (const row of rows) created.set(row.deviceId, row);
  }
  const raced = toCreate.filter((r) => !created.has(r.deviceId)).map((r) => r.deviceId);
  for (const [deviceId, winner] of await findOpenRequests(tx, actor, raced)) open.set(deviceId, winner);
  for (const [deviceId, request] of created) open.set(deviceId, request);
  const lost = raced.find((deviceId) => !open.has(deviceId));
  if (lost) throw new Error(`raise of ${lost}: the open-request index refused the request, but no open request is visible`);

  // 3. Each new request's timeline: raised, and assigned at once to the Supplier that pre-notified the Device.
  const newRequests = [...created.values()].sort((a, b) => a.number - b.number);
  await insertEvents(
    tx,
    newRequests.flatMap((request) => [
      { requestId: request.id, type: "RAISED" as const, actorId: actor.userId, actorOrganisationId: actor.organisationId },
      { requestId: request.id, type: "ASSIGNED" as const, organisationId: request.assignedOrganisationId },
    ]),
    now,
  );

  // 4. The answers, and the notes typed with them (on the new request, or added to the open one).
  const outcomes = inputs.map((input, i): RaiseOutcome => {
    const decision = decided[i];
    if ("refused" in decision) return { outcome: "refused", message: decision.refused };
    const request = open.get(input.deviceId)!;
    const raised = "assignTo" in decision && created.get(input.deviceId) === request;
    const noteAdded = Boolean(input.note) && (raised || options.noteOnOpen !== false);
    const answer = { reference: formatReference(request.number), noteAdded };
    return raised ? { outcome: "raised", ...answer, request: request as OpenRequest & { dueAt: Date }, lodgedAt: null } : { outcome: "already open", ...answer, request };
  });
  const notes = outcomes.flatMap((outcome, i) => (outcome.outcome !== "refused" && outcome.noteAdded ? [{ request: outcome.request, body: inputs[i].note! }] : []));
  await writeNotes(tx, actor, notes, now);

  // 5. A request for a Device whose installing Supplier lodged its code in advance is answered now
  // (docs/decisions/018-lodged-install-codes.md): one look-up for all, the answer only where one is.
  const raisedOutcomes = outcomes.filter((o): o is Extract<RaiseOutcome, { outcome: "raised" }> => o.outcome === "raised");
  const lodgedFor = await devicesWithLodgedCodes(tx, raisedOutcomes.map((o) => o.request.deviceId));
  for (const outcome of raisedOutcomes) {
    if (!lodgedFor.has(outcome.request.deviceId)) continue;
    outcome.lodgedAt = (await answerFromLodgedCode(tx, outcome.request, now)).lodgedAt;
  }

  // 6. The organisations' systems: each new request assigned, and answered where a lodged code did.
  await queueWebhookEvents(tx, [
    ...raisedOutcomes.map((o) => ({ event: "ASSIGNED" as const, organisationIds: [o.request.assignedOrganisationId], reference: o.reference, deviceId: o.request.deviceId, at: now })),
    ...raisedOutcomes
      .filter((o) => o.lodgedAt)
      .map((o) => ({ event: "ANSWERED" as const, organisationIds: [o.request.raisingOrganisationId], reference: o.reference, deviceId: o.request.deviceId, at: now })),
  ]);

  if (options.queueEmails) {
    for (const outcome of outcomes) {
      if (outcome.outcome === "raised") {
        // The assignment email already tells the assigned organisation of the note: no second email for it.
        const { request } = outcome;
        await emailOrganisation(
          tx,
          request.id,
          request.assignedOrganisationId,
          requestAssignedEmail({
            reference: outcome.reference,
            deviceId: request.deviceId,
            raisingOrganisation: actor.organisationName,
            due: dueByPhrase(now, request.dueAt, now, env().slaRule),
            url: requestUrl(request.number),
            reassigned: false,
            answeredFromLodgedCode: outcome.lodgedAt,
          }),
          "ASSIGNMENT",
        );
      } else if (outcome.outcome === "already open" && outcome.noteAdded) {
        await tellOfNote(tx, actor, outcome.request, now);
      }
    }
  }
  return outcomes;
}

/**
 * A gaining Supplier asks for a Device's Install Code. The request is assigned at once to the
 * Supplier that pre-notified the Device, which is emailed. At most one request per Device and
 * raising organisation is open: raising again returns the open one and creates nothing.
 */
export async function raiseRequest(
  actor: Actor,
  input: RaiseRequestInput,
  options: { now?: Date; /** The API answers a duplicate 409 and changes nothing: no note added to the open request. */ noteOnOpen?: boolean } = {},
): Promise<RaiseResult> {
  if (!canRaise(actor)) throw new AppError("FORBIDDEN", ONLY_SUPPLIERS_RAISE_MESSAGE);
  const { deviceId, note } = validate(raiseRequestSchema, input);
  const now = options.now ?? clockNow();
  await withinRaiseLimit(actor);

  const [outcome] = await transaction((tx) => raiseInTransaction(tx, actor, [{ deviceId, note }], now, { queueEmails: true, noteOnOpen: options.noteOnOpen }));
  if (outcome.outcome === "refused") throw refusal(outcome.message);
  const created = outcome.outcome === "raised";
  if (created || outcome.noteAdded) kickDispatcher();
  return { reference: outcome.reference, created, noteAdded: outcome.noteAdded };
}

/** A raise the inventory refuses, as a single raise answers it (and a bulk raise's row, in the same words). */
export function refusal(message: string): AppError {
  return AppError.validation({ deviceId: [message] }, message);
}

/** Generous enough for a Supplier's own system raising hundreds a minute; a runaway loop is stopped. */
async function withinRaiseLimit(actor: Actor): Promise<void> {
  const perMinute = env().raisesPerOrganisationPerMinute;
  const result = await consume({ name: "raise", points: perMinute, durationSeconds: 60 }, actor.organisationId, (error) =>
    logError(error, { limit: "raise" }, "rate limit store unavailable: allowing the request"),
  );
  if (!result.allowed) {
    throw new AppError(
      "RATE_LIMITED",
      `Your organisation has raised ${perMinute.toLocaleString("en-GB")} requests in the last minute, the most allowed. Try again in ${result.retryAfterSeconds} seconds.`,
      {},
      result.retryAfterSeconds,
    );
  }
}
