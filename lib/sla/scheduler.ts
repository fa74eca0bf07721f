import { now as clockNow } from "../clock";
import { formatDueWithCount } from "./phrases";
import { database as processDatabase, type Database } from "../db/client";
import { Prisma, type SlaNoticeKind } from "../db/generated/client";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import { logError, logger } from "../log";
import { kickDispatcher } from "../notifications/dispatcher";
import { kickWebhookDispatcher } from "../webhooks/dispatcher";
import { queueWebhooks } from "../webhooks/queue";
import { emailOrganisation, requestUrl } from "../requests/notify";
import { formatReference } from "../requests/reference";
import { responseOverdueEmail, responseReminderEmail, type BreachAudience } from "../../emails/sla-emails";
import { CLOCK_EVENT_TYPES, slaState } from "./clock";
import { reminderAt } from "./rule";
import { endOfLondonDay, isWorkingDay, londonDay, nextDay } from "./working-days";

// The obligation's scan (docs/decisions/016-sla-clock.md, "The scheduler"): reminds the assigned
// organisation the Working Day before its response is due, and at the due time records a breach
// (a BREACHED event) and tells the assignee, the raiser and the helpdesk. Each exactly once per
// request, assignee and clock, however often it runs and however many processes run it: the
// SlaNotice row (unique request + organisation + kind + due time) is inserted in the transaction
// that queues the emails, and the emails are queued only when the row was inserted. A PostgreSQL
// advisory lock per scan keeps a second scanner from doing the same work in vain.

export type ScanResult = {
  /** Requests whose assignee was reminded by this scan. */
  reminders: number;
  /** Requests recorded as breached by this scan. */
  breaches: number;
  /** Another process was scanning this database: this one did nothing. */
  skipped: boolean;
};

export type ScanOptions = {
  /** The database to scan (default: the process's). Tests race scanners on separate connections. */
  database?: Database;
  /** Take the advisory lock (default). The unique row alone still sends each email once. */
  lock?: boolean;
};

const BATCH = 100;
/** pg_try_advisory_lock key of the scan (the migrator's is 7_301_121). */
const SCAN_LOCK_KEY = 7_301_122;

type Candidate = { id: string; number: number; dueAt: Date };

/** Scans for reminders and breaches due at `now`. Safe to call from several processes at once. */
export async function runSlaScan(now: Date = clockNow(), options: ScanOptions = {}): Promise<ScanResult> {
  const database = options.database ?? processDatabase();
  // One scan at a time per database in this process (the cron and POST /dev/clock may meet): the
  // second waits for the first rather than being skipped, so that it sees the time it was asked for.
  return oneAtATime(database, async () => {
    const scan = async (): Promise<ScanResult> => {
      const reminders = await scanCandidates(database, reminderCandidates(now), (tx, c) => remind(tx, c, now));
      const breaches = await scanCandidates(database, breachCandidates(now), (tx, c) => breach(tx, c, now));
      if (reminders + breaches > 0) logger().info({ reminders, breaches, at: now.toISOString() }, "obligation scan queued reminders and breach notices");
      return { reminders, breaches, skipped: false };
    };
    if (options.lock === false) return scan();
    const result = await withScanLock(database, scan);
    return result ?? { reminders: 0, breaches: 0, skipped: true };
  });
}

// --- Candidates: bounded range reads on InstallCodeRequest(status, dueAt), in keyset batches ---

type CandidateQuery = (after: Candidate | null) => Prisma.Sql;

/**
 * Requests awaiting a response whose reminder time has come: due after now and no later than the
 * end of the next Working Day after today. (The reminder is at the start of the last Working Day
 * before the due day; that day is today or earlier exactly when no Working Day lies between today
 * and the due day.) Without a reminder notice for this assignee and due time yet.
 */
function reminderCandidates(now: Date): CandidateQuery {
  let day = nextDay(londonDay(now));
  while (!isWorkingDay(day)) day = nextDay(day);
  const until = endOfLondonDay(day);
  return (after) => Prisma.sql`
    SELECT r.id, r."number", r."dueAt" FROM "InstallCodeRequest" r
    WHERE r."status" = 'ASSIGNED' AND r."dueAt" > ${now}::timestamptz AND r."dueAt" <= ${until}::timestamptz
      ${keysetAfter(after)}
      AND NOT EXISTS (SELECT 1 FROM "SlaNotice" n WHERE n."requestId" = r.id AND n."organisationId" = r."assignedOrganisationId"
                      AND n."kind" = 'REMINDER' AND n."dueAt" = r."dueAt")
    ORDER BY r."dueAt", r."number" LIMIT ${BATCH}`;
}

/** Requests still awaiting a response after their due time, without a breach notice for this assignee and due time. */
function breachCandidates(now: Date): CandidateQuery {
  return (after) => Prisma.sql`
    SELECT r.id, r."number", r."dueAt" FROM "InstallCodeRequest" r
    WHERE r."status" = 'ASSIGNED' AND r."dueAt" < ${now}::timestamptz
      ${keysetAfter(after)}
      AND NOT EXISTS (SELECT 1 FROM "SlaNotice" n WHERE n."requestId" = r.id AND n."organisationId" = r."assignedOrganisationId"
                      AND n."kind" = 'BREACH' AND n."dueAt" = r."dueAt")
    ORDER BY r."dueAt", r."number" LIMIT ${BATCH}`;
}

function keysetAfter(after: Candidate | null): Prisma.Sql {
  return after ? Prisma.sql`AND (r."dueAt", r."number") > (${after.dueAt}::timestamptz, ${after.number}::int)` : Prisma.empty;
}

/**
 * Runs `handle` for every candidate, each in its own short transaction; the batch's emails are
 * handed to the dispatcher once its transactions have committed. A request that fails is logged
 * and passed over (the next scan tries it again); it never stops the others.
 */
async function scanCandidates(database: Database, query: CandidateQuery, handle: (tx: Tx, c: Candidate) => Promise<boolean>): Promise<number> {
  const client = database.client;
  const maxWait = database.target.kind === "embedded" ? 15_000 : 5_000;
  let done = 0;
  let after: Candidate | null = null;
  for (;;) {
    const batch: Candidate[] = await client.$queryRaw<Candidate[]>(query(after));
    let queued = 0;
    for (const candidate of batch) {
      try {
        if (await client.$transaction((tx) => handle(tx, candidate), { maxWait, timeout: 20_000 })) queued++;
      } catch (error) {
        logError(error, { job: "obligation-scan", requestId: candidate.id }, "obligation scan failed for a request; the next scan tries again");
      }
    }
    done += queued;
    if (queued > 0) {
      kickDispatcher();
      kickWebhookDispatcher(); // these transactions are bare $transactions: queueWebhooks cannot kick it
    }
    if (batch.length < BATCH) return done;
    after = batch[batch.length - 1];
  }
}

// --- One request, under its row lock ---

/**
 * The request as it is under its row lock (a code, a closing or a reassignment committing meanwhile
 * is seen), with its current clock; null unless it is still awaiting the response of the
 * organisation whose clock `candidate` was found for.
 */
async function awaitingResponse(tx: Tx, candidate: Candidate, now: Date) {
  await tx.$queryRaw`SELECT id FROM "InstallCodeRequest" WHERE id = ${candidate.id}::uuid FOR UPDATE`;
  const request = await tx.installCodeRequest.findUniqueOrThrow({
    where: { id: candidate.id },
    select: {
      id: true,
      number: true,
      deviceId: true,
      status: true,
      dueAt: true,
      assignedOrganisationId: true,
      raisingOrganisationId: true,
      assignedOrganisation: { select: { name: true } },
      raisingOrganisation: { select: { name: true } },
    },
  });
  if (request.status !== "ASSIGNED" || request.dueAt.getTime() !== candidate.dueAt.getTime()) return null;
  const events = await tx.requestEvent.findMany({
    where: { requestId: request.id, type: { in: [...CLOCK_EVENT_TYPES] } },
    orderBy: { sequence: "asc" },
    select: { type: true, at: true, organisationId: true, actorOrganisationId: true },
  });
  const sla = slaState(events, env().slaRule, now, request.dueAt);
  const clock = sla.current;
  if (!clock || clock.outcome !== "open" || clock.organisationId !== request.assignedOrganisationId) return null;
  return { request, clock, sla };
}

/** Inserts the notice unless it exists: true when this transaction inserted it (and so sends). */
async function claimNotice(tx: Tx, requestId: string, organisationId: string, kind: SlaNoticeKind, dueAt: Date, now: Date): Promise<boolean> {
  const { count } = await tx.slaNotice.createMany({ data: [{ requestId, organisationId, kind, dueAt, sentAt: now }], skipDuplicates: true });
  return count === 1;
}

async function remind(tx: Tx, candidate: Candidate, now: Date): Promise<boolean> {
  const found = await awaitingResponse(tx, candidate, now);
  if (!found || !(now < found.request.dueAt)) return false;
  const { request, clock, sla } = found;
  const at = reminderAt(clock.startedAt, request.dueAt);
  if (!at || at > now) return false;
  if (!(await claimNotice(tx, request.id, request.assignedOrganisationId, "REMINDER", request.dueAt, now))) return false;
  const reference = formatReference(request.number);
  await emailOrganisation(
    tx,
    request.id,
    request.assignedOrganisationId,
    responseReminderEmail({
      reference,
      deviceId: request.deviceId,
      raisingOrganisation: request.raisingOrganisation.name,
      due: formatDueWithCount(request.dueAt, { ...sla, overdue: false }),
      url: requestUrl(request.number),
    }),
    "REMINDER",
  );
  return true;
}

async function breach(tx: Tx, candidate: Candidate, now: Date): Promise<boolean> {
  const found = await awaitingResponse(tx, candidate, now);
  if (!found || !(found.request.dueAt < now)) return false;
  const { request } = found;
  if (!(await claimNotice(tx, request.id, request.assignedOrganisationId, "BREACH", request.dueAt, now))) return false;
  // At the due time: that is when the clock breached (lib/sla/clock.ts says the same), whenever the
  // scan noticed; the events' sequence still shows the order in which they were written.
  await tx.requestEvent.create({ data: { requestId: request.id, type: "BREACHED", at: request.dueAt, organisationId: request.assignedOrganisationId } });
  // The raiser's systems as well as the assignee's: the raiser is owed the answer (its people are emailed too).
  const breached = { reference: formatReference(request.number), deviceId: request.deviceId, at: request.dueAt };
  await queueWebhooks(tx, { ...breached, event: "BREACHED", organisationIds: [request.assignedOrganisationId, request.raisingOrganisationId] });
  const email = (audience: BreachAudience) =>
    responseOverdueEmail({
      audience,
      reference: formatReference(request.number),
      deviceId: request.deviceId,
      assignedOrganisation: request.assignedOrganisation.name,
      raisingOrganisation: request.raisingOrganisation.name,
      dueAt: request.dueAt,
      url: requestUrl(request.number),
    });
  await emailOrganisation(tx, request.id, request.assignedOrganisationId, email("assignee"), "BREACH");
  await emailOrganisation(tx, request.id, request.raisingOrganisationId, email("raiser"), "BREACH");
  const helpdesks = await tx.organisation.findMany({ where: { kind: "HELPDESK" }, select: { id: true }, orderBy: { code: "asc" } });
  for (const helpdesk of helpdesks) await emailOrganisation(tx, request.id, helpdesk.id, email("helpdesk"), "BREACH");
  return true;
}

// --- Locks ---

/**
 * Runs `work` holding the scan's session-level advisory lock on a connection of its own, or returns
 * null at once when another process holds it. A session lock rather than a transaction one: each
 * request has its own short transaction, and a transaction held open for the whole scan would sit
 * "idle in transaction". If the process dies, its connection closes and PostgreSQL frees the lock.
 * The embedded database has one process (and this process's scans are serialised below): no lock.
 */
async function withScanLock<T>(database: Database, work: () => Promise<T>): Promise<T | null> {
  if (database.target.kind === "embedded") return work();
  const connection = await database.connect();
  try {
    const [{ locked }] = await connection.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [SCAN_LOCK_KEY]);
    if (!locked) return null;
    try {
      return await work();
    } finally {
      await connection.query("SELECT pg_advisory_unlock($1)", [SCAN_LOCK_KEY]);
    }
  } finally {
    await connection.release();
  }
}

// Shared through globalThis: instrumentation and route handlers are separate module graphs in Next.js.
const slot = globalThis as unknown as { __installCodePortalSlaScans?: WeakMap<Database, Promise<unknown>> };

function oneAtATime<T>(database: Database, work: () => Promise<T>): Promise<T> {
  const scans = (slot.__installCodePortalSlaScans ??= new WeakMap());
  const previous = scans.get(database) ?? Promise.resolve();
  const next = previous.then(work);
  scans.set(database, next.catch(() => {}));
  return next;
}
