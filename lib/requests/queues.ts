import type { Actor } from "../auth/actor";
import { Prisma, type RequestStatus } from "../db/generated/client";
import { atRiskUntil } from "../sla/due-badge";
import { visibleScope } from "./visibility";

// The queues of /requests: each a named rule over a request's side (raised by us or assigned to
// us), status and due time, as data. The list's SQL and the tabs' counts are both built from these
// rules (list-requests.ts, queue-counts.ts), inside the one visibility scope, so a tab's count is
// the size of the list it opens. See docs/decisions/036-queues.md.

export const QUEUE_IDS = ["needs-response", "waiting", "answered", "closed", "at-risk", "breached", "unassignable", "all"] as const;
export type QueueId = (typeof QUEUE_IDS)[number];

/** How a page of a list is ordered: by the date raised or the due date, each either way. */
export const LIST_SORTS = ["raised-desc", "raised-asc", "due-asc", "due-desc"] as const;
export type ListSort = (typeof LIST_SORTS)[number];
export type SortKey = "raised" | "due";
export const DEFAULT_SORT: ListSort = "raised-desc";

export function sortKey(sort: ListSort): SortKey {
  return sort.startsWith("due") ? "due" : "raised";
}
export function sortDescending(sort: ListSort): boolean {
  return sort.endsWith("-desc");
}

export type QueueRule = {
  /**
   * Whose requests, for an organisation's list: those it is assigned, those it raised, or either.
   * The helpdesk's queues are "either" (every request, or the chosen organisation's).
   */
  side: "assigned" | "raised" | "either";
  /** Only these statuses (none: any). */
  statuses?: readonly RequestStatus[];
  /**
   * Awaiting a response (ASSIGNED) and past its due time ("breached", as the dashboard counts it),
   * or not yet due but due by the end of the next Working Day ("at-risk", lib/sla/due-badge.ts).
   */
  due?: "at-risk" | "breached";
};

export type Queue = QueueRule & {
  id: QueueId;
  /** The tab: "Needs your response". */
  label: string;
  /** The order when the person has not chosen one: the most urgent first where that is the point. */
  defaultSort: ListSort;
  /**
   * Whether its tab shows how many it holds: the queues of work to get through. "Closed" and "All"
   * do not: they only grow, they are the costliest counts (every request ever, on each page view),
   * and no one acts on the number.
   */
  counted: boolean;
};

/**
 * A Supplier's queues, in tab order; the first is where /requests opens. "Needs your response"
 * comes first: it is the work with a five-Working-Day obligation on it.
 */
export const SUPPLIER_QUEUES: readonly Queue[] = [
  { id: "needs-response", label: "Needs your response", side: "assigned", statuses: ["ASSIGNED"], defaultSort: "raised-desc", counted: true },
  { id: "waiting", label: "Waiting for an answer", side: "raised", statuses: ["ASSIGNED", "DECLINED"], defaultSort: "raised-desc", counted: true },
  { id: "answered", label: "Answered — verify and close", side: "raised", statuses: ["RESPONDED"], defaultSort: "raised-desc", counted: true },
  { id: "closed", label: "Closed", side: "either", statuses: ["CLOSED"], defaultSort: "raised-desc", counted: false },
  { id: "all", label: "All", side: "either", defaultSort: "raised-desc", counted: false },
];

/**
 * The helpdesk's queues, in tab order. "At risk" first: what can still be saved today. At risk and
 * Breached open with the soonest due first (the dashboard's order: most overdue first).
 */
export const HELPDESK_QUEUES: readonly Queue[] = [
  { id: "at-risk", label: "At risk", side: "either", statuses: ["ASSIGNED"], due: "at-risk", defaultSort: "due-asc", counted: true },
  { id: "breached", label: "Breached", side: "either", statuses: ["ASSIGNED"], due: "breached", defaultSort: "due-asc", counted: true },
  { id: "unassignable", label: "Unassignable", side: "either", statuses: ["DECLINED"], defaultSort: "raised-desc", counted: true },
  { id: "all", label: "All", side: "either", defaultSort: "raised-desc", counted: false },
];

/** The queues this person works from, by what it may see: every request, its organisation's, or none. */
export function queuesFor(actor: Actor): readonly Queue[] {
  const scope = visibleScope(actor);
  return scope.kind === "all" ? HELPDESK_QUEUES : scope.kind === "organisation" ? SUPPLIER_QUEUES : [];
}

export function findQueue(actor: Actor, id: QueueId): Queue | undefined {
  return queuesFor(actor).find((q) => q.id === id);
}

/**
 * The queue /requests shows when the address names none: the person's first queue when it names
 * nothing else either (a plain visit to the list), "All" when it carries filters or a search (an
 * older link, a bookmark, the header's search: it means what it says, across every request).
 */
export function defaultQueueId(actor: Actor, filtered: boolean): QueueId | undefined {
  const queues = queuesFor(actor);
  if (queues.length === 0) return undefined;
  return filtered ? "all" : queues[0].id;
}

/** The queue's rule as SQL conditions on "InstallCodeRequest" r, apart from its side. */
export function queueConditions(rule: QueueRule, now: Date): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  if (rule.statuses?.length) {
    conditions.push(Prisma.sql`r."status" IN (${Prisma.join(rule.statuses.map((s) => Prisma.sql`${s}::"RequestStatus"`))})`);
  }
  if (rule.due === "breached") conditions.push(Prisma.sql`r."status" = 'ASSIGNED' AND r."dueAt" < ${now}::timestamptz`);
  if (rule.due === "at-risk") {
    conditions.push(Prisma.sql`r."status" = 'ASSIGNED' AND r."dueAt" >= ${now}::timestamptz AND r."dueAt" <= ${atRiskUntil(now)}::timestamptz`);
  }
  return conditions;
}
