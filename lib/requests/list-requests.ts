import { now as clockNow } from "../clock";
import { isHelpdesk, type Actor } from "../auth/actor";
import { retryWhileUnreachable } from "../db/availability";
import { db } from "../db/client";
import { Prisma, type RequestStatus } from "../db/generated/client";
import { AppError, validate } from "../errors";
import { formatReference } from "./reference";
import { DEFAULT_SORT, findQueue, queueConditions, sortDescending, sortKey, type ListSort, type QueueRule } from "./queues";
import { CURSOR_MESSAGE, encodeListCursor, listRequestsSchema, noQueueMessage, REQUEST_STATUSES, type ListCursor, type ListRequestsFilters, type ListRequestsInput } from "./schemas";
import { dueBadge, type DueBadge } from "../sla/due-badge";
import { isOverdue } from "./view-request";
import { findVisibleRequest, visibleScope } from "./visibility";

// The request list: keyset pages, newest first by (raisedAt, number) unless sorted otherwise (by
// (dueAt, number), either way). No OFFSET: a page starts after (or before) a row, so requests raised
// meanwhile never shift or repeat the next page, and a deep page costs what the first does. See
// docs/decisions/014-request-list-keyset.md and 036-queues.md (queues and sorting).

export type RequestSummary = {
  reference: string;
  deviceId: string;
  status: RequestStatus;
  raisedAt: Date;
  dueAt: Date;
  respondedAt: Date | null;
  closedAt: Date | null;
  overdue: boolean;
  /** "Due today", "Overdue by 2 Working Days", "Answered late": calendar arithmetic on the row, no query. */
  dueBadge: DueBadge | null;
  raisingOrganisation: string;
  assignedOrganisation: string;
  raisingOrganisationCode: string;
  assignedOrganisationCode: string;
  /** From a Supplier's point of view: "Raised by you" or "Assigned to you". */
  role: "raised" | "assigned" | "helpdesk";
};

export type RequestPage = {
  requests: RequestSummary[];
  /** Cursor of the page before this one in the list's order (newer, by default), or null on the first. */
  newer: string | null;
  /** Cursor of the page after this one in the list's order (older, by default), or null on the last. */
  older: string | null;
  /** The order the page is in: the one asked for, or the queue's own. */
  sort: ListSort;
};

export const PAGE_SIZE = 50;

export const ORGANISATION_FILTER_MESSAGE = "Only the helpdesk filters by organisation";
export const UNKNOWN_ORGANISATION_MESSAGE = "There is no organisation with that code";
export const PARTY_NEEDS_ORGANISATION_MESSAGE = "Enter an organisation code to choose raised or assigned";

/**
 * The query for one page, after validation and after the actor's scope is known. `organisationId`:
 * only requests that organisation raised or is assigned (a Supplier's own, or the helpdesk's chosen
 * one); null: every request (the helpdesk).
 */
export type ListQuery = {
  organisationId: string | null;
  /** The queue's rule (lib/requests/queues.ts); none: every request in scope. */
  queue?: QueueRule;
  party?: "raised" | "assigned";
  status?: RequestStatus;
  needsResponse?: boolean;
  overdue?: boolean;
  search?: { kind: "reference"; number: number } | { kind: "device"; deviceId: string };
  /** Newest raised first when absent. */
  sort?: ListSort;
  after?: ListCursor;
  before?: ListCursor;
  now: Date;
  /** Rows to fetch: a page and one more, to know whether there is another. */
  limit: number;
};

/** What a list or a count selects from, apart from the page: the filters, the queue and the scope. */
export type ListScope = Omit<ListQuery, "sort" | "after" | "before" | "limit">;

type Row = {
  number: number;
  deviceId: string;
  status: RequestStatus;
  raisedAt: Date;
  dueAt: Date;
  respondedAt: Date | null;
  closedAt: Date | null;
  raisingOrganisationId: string;
  raisingOrganisation: string;
  assignedOrganisation: string;
  raisingOrganisationCode: string;
  assignedOrganisationCode: string;
};

const COLUMNS = Prisma.sql`r."number", r."deviceId", r."status", r."raisedAt", r."dueAt", r."respondedAt", r."closedAt", r."raisingOrganisationId", r."assignedOrganisationId"`;

/** The column of each sort key: fixed text, never input. */
const SORT_COLUMN = { raised: { bare: Prisma.raw(`"raisedAt"`), of: Prisma.raw(`r."raisedAt"`) }, due: { bare: Prisma.raw(`"dueAt"`), of: Prisma.raw(`r."dueAt"`) } } as const;

/** The same rule as isOverdue() in view-request.ts, as SQL. */
function overdueSql(now: Date): Prisma.Sql {
  return Prisma.sql`((r."respondedAt" IS NOT NULL AND r."respondedAt" > r."dueAt") OR (r."respondedAt" IS NULL AND r."status" = 'ASSIGNED' AND r."dueAt" < ${now}::timestamptz))`;
}

/**
 * The WHERE conditions of the list (and of a queue's count), one list per branch: one branch, or,
 * for an organisation's "raised by us OR assigned to us", two (raising side, then assigned side
 * without the rows of the first), never one OR (decision 014). Input reaches it only as parameters.
 */
export function listBranches(query: ListScope): Prisma.Sql[][] {
  const common: Prisma.Sql[] = [];
  if (query.status) common.push(Prisma.sql`r."status" = ${query.status}::"RequestStatus"`);
  if (query.needsResponse) common.push(Prisma.sql`r."status" = 'ASSIGNED'`);
  if (query.overdue) common.push(overdueSql(query.now));
  if (query.search?.kind === "reference") common.push(Prisma.sql`r."number" = ${query.search.number}::int`);
  if (query.search?.kind === "device") common.push(Prisma.sql`r."deviceId" = ${query.search.deviceId}::varchar`);
  if (query.queue) common.push(...queueConditions(query.queue, query.now));

  const org = query.organisationId;
  // The helpdesk, every request. "Needs a response" is then anything not answered yet.
  if (org === null) return [common];
  const raisedBy = Prisma.sql`r."raisingOrganisationId" = ${org}::uuid`;
  const assignedTo = Prisma.sql`r."assignedOrganisationId" = ${org}::uuid`;
  const notRaisedBy = Prisma.sql`r."raisingOrganisationId" <> ${org}::uuid`;
  // A side asked for by the filter, "needs our response" (assigned to us) or the queue: one branch,
  // on every side asked for (raised by us and assigned to us, if both are).
  const sides = new Set<"raised" | "assigned">();
  if (query.party) sides.add(query.party);
  if (query.needsResponse) sides.add("assigned");
  if (query.queue && query.queue.side !== "either") sides.add(query.queue.side);
  if (sides.size === 0) return [[raisedBy, ...common], [assignedTo, notRaisedBy, ...common]];
  return [[...(sides.has("assigned") ? [assignedTo] : []), ...(sides.has("raised") ? [raisedBy] : []), ...common]];
}

/** The statuses a list can hold at most, from its filters and queue: what the due-date order splits on. */
function possibleStatuses(query: ListScope): readonly RequestStatus[] {
  let statuses: readonly RequestStatus[] = REQUEST_STATUSES;
  if (query.status) statuses = [query.status];
  if (query.needsResponse) statuses = statuses.filter((s) => s === "ASSIGNED");
  if (query.queue?.statuses) statuses = statuses.filter((s) => query.queue!.statuses!.includes(s));
  if (query.queue?.due) statuses = statuses.filter((s) => s === "ASSIGNED");
  return statuses;
}

/**
 * The SQL of one page: what listRequests runs, and what the EXPLAIN tests read. Each branch is an
 * ordered, limited index scan where an index orders it, merged and limited again. Ordered by the due
 * date, the helpdesk's list is one branch per status it can hold, each read in order from the
 * (status, dueAt) index; an organisation's is sorted from its rows (no index orders an
 * organisation's requests by due date: docs/decisions/036-queues.md).
 */
export function listRequestsSql(query: ListQuery): Prisma.Sql {
  const sort = query.sort ?? DEFAULT_SORT;
  const column = SORT_COLUMN[sortKey(sort)];
  const descending = sortDescending(sort);
  const backwards = Boolean(query.before);
  // Going to the previous page reads the other way from the cursor, and the page is reversed after.
  const direction = descending !== backwards ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const order = Prisma.sql`ORDER BY ${column.bare} ${direction}, "number" ${direction}`;

  const page: Prisma.Sql[] = [];
  const later = descending ? Prisma.sql`<` : Prisma.sql`>`;
  const earlier = descending ? Prisma.sql`>` : Prisma.sql`<`;
  if (query.after) page.push(Prisma.sql`(${column.of}, r."number") ${later} (${query.after.at}::timestamptz, ${query.after.number}::int)`);
  if (query.before) page.push(Prisma.sql`(${column.of}, r."number") ${earlier} (${query.before.at}::timestamptz, ${query.before.number}::int)`);

  let branches = listBranches(query).map((conditions) => [...conditions, ...page]);
  if (sortKey(sort) === "due" && query.organisationId === null) {
    const statuses = possibleStatuses(query);
    if (statuses.length > 1) branches = statuses.map((s) => [...branches[0], Prisma.sql`r."status" = ${s}::"RequestStatus"`]);
  }
  const branch = (conditions: Prisma.Sql[]) =>
    Prisma.sql`(SELECT ${COLUMNS} FROM "InstallCodeRequest" r WHERE ${conditions.length ? Prisma.join(conditions, " AND ") : Prisma.sql`TRUE`} ${order} LIMIT ${query.limit}::int)`;
  const rows =
    branches.length === 1 ? branch(branches[0]) : Prisma.sql`SELECT * FROM (${Prisma.join(branches.map(branch), " UNION ALL ")}) r ${order} LIMIT ${query.limit}::int`;
  return Prisma.sql`SELECT ${COLUMNS}, ro."name" AS "raisingOrganisation", ao."name" AS "assignedOrganisation", ro."code" AS "raisingOrganisationCode", ao."code" AS "assignedOrganisationCode"
FROM (${rows}) r
JOIN "Organisation" ro ON ro."id" = r."raisingOrganisationId"
JOIN "Organisation" ao ON ao."id" = r."assignedOrganisationId"
${order}`;
}

/** Refusals that need the actor or the database, as field messages like the schema's own. */
async function organisationFilter(actor: Actor, filters: ListRequestsFilters): Promise<string | null | undefined> {
  const scope = visibleScope(actor);
  if (scope.kind === "none") return undefined;
  if (scope.kind === "organisation") {
    if (filters.organisation !== undefined) throw AppError.validation({ organisation: [ORGANISATION_FILTER_MESSAGE] });
    return scope.organisationId;
  }
  if (filters.organisation === undefined) {
    if (filters.party) throw AppError.validation({ party: [PARTY_NEEDS_ORGANISATION_MESSAGE] });
    return null;
  }
  const organisation = await db().organisation.findUnique({ where: { code: filters.organisation }, select: { id: true } });
  if (!organisation) throw AppError.validation({ organisation: [UNKNOWN_ORGANISATION_MESSAGE] });
  return organisation.id;
}

/**
 * A page of the requests the actor can see, newest first, filtered. Any input a person can send
 * (a URL's query) is either a page or a VALIDATION error with field messages.
 */
export async function listRequests(actor: Actor, input: ListRequestsInput | Record<string, unknown> = {}, options: { now?: Date; pageSize?: number } = {}): Promise<RequestPage> {
  const filters = validate(listRequestsSchema, input);
  const now = options.now ?? clockNow();
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const organisationId = await organisationFilter(actor, filters);
  if (organisationId === undefined) return { requests: [], newer: null, older: null, sort: filters.sort ?? DEFAULT_SORT };

  const queue = filters.queue ? findQueue(actor, filters.queue) : undefined;
  if (filters.queue && !queue) throw AppError.validation({ queue: [noQueueMessage(filters.queue)] });
  const sort = filters.sort ?? queue?.defaultSort ?? DEFAULT_SORT;
  // A page link made under one sort key cannot place a row under the other.
  if (filters.after && filters.after.key !== sortKey(sort)) throw AppError.validation({ after: [CURSOR_MESSAGE] });
  if (filters.before && filters.before.key !== sortKey(sort)) throw AppError.validation({ before: [CURSOR_MESSAGE] });

  const query: ListQuery = {
    organisationId,
    queue,
    party: filters.party,
    status: filters.status,
    needsResponse: filters.needsResponse,
    overdue: filters.overdue,
    search: filters.q,
    sort,
    after: filters.after,
    before: filters.before,
    now,
    limit: pageSize + 1,
  };
  const fetched = await db().$queryRaw<Row[]>(listRequestsSql(query));
  const more = fetched.length > pageSize;
  const page = fetched.slice(0, pageSize);
  if (query.before) page.reverse();

  const key = sortKey(sort);
  const cursorOf = (row: Row | undefined) => (row ? encodeListCursor({ key, at: key === "due" ? row.dueAt : row.raisedAt, number: row.number }) : null);
  // Requests are never deleted: the row a cursor was made from is still there on the other side.
  // A page reached from another has that page on its other side; an empty one links nowhere.
  const newer = query.before ? (more ? cursorOf(page[0]) : null) : query.after ? cursorOf(page[0]) : null;
  const older = query.before ? cursorOf(page.at(-1)) : more ? cursorOf(page.at(-1)) : null;

  return {
    requests: page.map((r) => summaryOf(actor, r, now)),
    newer,
    older,
    sort,
  };
}

/** How long the answer to a committed change waits for a database that went away just after the commit. */
export const SUMMARY_AFTER_CHANGE_WAIT_MS = 30_000;

/**
 * One request as a row of the list (what the API answers after a change): one query, never a code.
 * The change is committed by then: if the database went away since (a restart), the read waits for it
 * (bounded) rather than answering 503 for a change that was made, which a retry would make twice.
 */
export async function summariseRequest(actor: Actor, reference: string, options: { now?: Date } = {}): Promise<RequestSummary> {
  const now = options.now ?? clockNow();
  const read = () =>
    findVisibleRequest(db(), actor, reference, {
      number: true, deviceId: true, status: true, raisedAt: true, dueAt: true, respondedAt: true, closedAt: true, raisingOrganisationId: true,
      raisingOrganisation: { select: { code: true, name: true } },
      assignedOrganisation: { select: { code: true, name: true } },
    });
  const r = await retryWhileUnreachable(read, SUMMARY_AFTER_CHANGE_WAIT_MS);
  return summaryOf(actor, { ...r, raisingOrganisation: r.raisingOrganisation.name, assignedOrganisation: r.assignedOrganisation.name, raisingOrganisationCode: r.raisingOrganisation.code, assignedOrganisationCode: r.assignedOrganisation.code }, now);
}

/** A row as the list shows it, from the actor's side. */
function summaryOf(actor: Actor, r: Row, now: Date): RequestSummary {
  return {
    reference: formatReference(r.number),
    deviceId: r.deviceId,
    status: r.status,
    raisedAt: r.raisedAt,
    dueAt: r.dueAt,
    respondedAt: r.respondedAt,
    closedAt: r.closedAt,
    overdue: isOverdue(r, now),
    dueBadge: dueBadge(r, now),
    raisingOrganisation: r.raisingOrganisation,
    assignedOrganisation: r.assignedOrganisation,
    raisingOrganisationCode: r.raisingOrganisationCode,
    assignedOrganisationCode: r.assignedOrganisationCode,
    role: isHelpdesk(actor) ? "helpdesk" : r.raisingOrganisationId === actor.organisationId ? "raised" : "assigned",
  };
}
