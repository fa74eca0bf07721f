import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import type { Prisma, RequestStatus } from "../db/generated/client";
import { AppError } from "../errors";
import { env } from "../env";
import { formatReference } from "../requests/reference";
import { visibleScope } from "../requests/visibility";
import { atRiskUntil, dueBadge, type DueBadge, type DueBadgeTone } from "./due-badge";
import { isoDay, parsePeriod, type ReportingPeriod } from "./period";
import type { SlaRule } from "./rule";
import { clocksOfRequests, median, requestClocksInPeriod, supplierStatistics, type Period, type SupplierStatistics } from "./statistics";
import { addDays, epochDay, LONDON, londonDay, parseDay, startOfLondonDay, workingDaysAfter, type CalendarDay } from "./working-days";

// The helpdesk dashboard (/helpdesk) and a Supplier's own figures (/performance): what is open, what
// is about to be late, what is late and by how much, and per installing Supplier over a period, from
// the clocks of the timelines (lib/sla/clock.ts, lib/sla/statistics.ts). Who may read what is the
// one visibility rule (lib/requests/visibility.ts): the dashboard needs every request ("all"), a
// Supplier's figures are its own organisation's. Anyone else: not found.

/** Rows of the at-risk and breached lists shown on the page; the CSV has them all. */
export const DUE_LIST_LIMIT = 200;
/** The weekly chart shows at least this many weeks, ending with the period's last week. */
export const MIN_WEEKS = 12;

function requireEveryRequest(actor: Actor): void {
  if (visibleScope(actor).kind !== "all") throw AppError.notFound("Not found");
}

function ownOrganisation(actor: Actor): string {
  const scope = visibleScope(actor);
  if (scope.kind !== "organisation") throw AppError.notFound("Not found");
  return scope.organisationId;
}

// ---- Open requests -------------------------------------------------------------------------

export type OpenByStatus = { status: Exclude<RequestStatus, "CLOSED">; count: number }[];

async function openByStatus(): Promise<OpenByStatus> {
  const groups = await db().installCodeRequest.groupBy({ by: ["status"], where: { status: { not: "CLOSED" } }, _count: { _all: true } });
  const count = (status: RequestStatus) => groups.find((g) => g.status === status)?._count._all ?? 0;
  return [
    { status: "ASSIGNED", count: count("ASSIGNED") },
    { status: "RESPONDED", count: count("RESPONDED") },
    { status: "DECLINED", count: count("DECLINED") },
  ];
}

// ---- At risk and breached ----------------------------------------------------------------------

export type DueListKind = "at-risk" | "breached";

export type DueListRow = {
  reference: string;
  deviceId: string;
  raisingOrganisation: { code: string; name: string };
  assignedOrganisation: { code: string; name: string };
  raisedAt: Date;
  dueAt: Date;
  /** "Due today", "Due in 1 Working Day", "Overdue by 3 Working Days" (lib/sla/due-badge.ts). */
  due: string;
  dueTone: DueBadgeTone;
};

export type DueList = { rows: DueListRow[]; total: number };

/**
 * Awaiting a response (ASSIGNED): breached once its due time has passed (the same rule as the
 * list's "overdue"); at risk while it is not yet due but will be by the end of the next Working Day.
 */
function dueListWhere(kind: DueListKind, now: Date): Prisma.InstallCodeRequestWhereInput {
  return kind === "breached" ? { status: "ASSIGNED", dueAt: { lt: now } } : { status: "ASSIGNED", dueAt: { gte: now, lte: atRiskUntil(now) } };
}

const dueListSelect = {
  number: true,
  deviceId: true,
  raisedAt: true,
  dueAt: true,
  respondedAt: true,
  status: true,
  raisingOrganisation: { select: { code: true, name: true } },
  assignedOrganisation: { select: { code: true, name: true } },
} as const;

const dueOf = (badge: DueBadge | null) => ({ due: badge?.text ?? "", dueTone: badge?.tone ?? "due" });

function dueListRow(r: Prisma.InstallCodeRequestGetPayload<{ select: typeof dueListSelect }>, now: Date): DueListRow {
  return {
    reference: formatReference(r.number),
    deviceId: r.deviceId,
    raisingOrganisation: r.raisingOrganisation,
    assignedOrganisation: r.assignedOrganisation,
    raisedAt: r.raisedAt,
    dueAt: r.dueAt,
    ...dueOf(dueBadge(r, now)),
  };
}

// Oldest due first: for the breached list that is the most overdue first.
const dueOrder = [{ dueAt: "asc" }, { number: "asc" }] satisfies Prisma.InstallCodeRequestOrderByWithRelationInput[];

async function dueList(kind: DueListKind, now: Date, limit: number): Promise<DueList> {
  const where = dueListWhere(kind, now);
  const [rows, total] = await Promise.all([
    db().installCodeRequest.findMany({ where, orderBy: dueOrder, take: limit, select: dueListSelect }),
    db().installCodeRequest.count({ where }),
  ]);
  return { rows: rows.map((r) => dueListRow(r, now)), total };
}

/** Every row of the list, in the page's order, in batches (the CSV: memory stays flat). */
export async function* allDueListRows(actor: Actor, kind: DueListKind, options: { now?: Date } = {}): AsyncGenerator<DueListRow> {
  requireEveryRequest(actor);
  const now = options.now ?? clockNow();
  const where = dueListWhere(kind, now);
  let after: { dueAt: Date; number: number } | null = null;
  for (;;) {
    const page: Prisma.InstallCodeRequestGetPayload<{ select: typeof dueListSelect }>[] = await db().installCodeRequest.findMany({
      where: after ? { AND: [where, { OR: [{ dueAt: { gt: after.dueAt } }, { dueAt: after.dueAt, number: { gt: after.number } }] }] } : where,
      orderBy: dueOrder,
      take: 1000,
      select: dueListSelect,
    });
    for (const r of page) yield dueListRow(r, now);
    if (page.length < 1000) return;
    const last = page[page.length - 1]!;
    after = { dueAt: last.dueAt, number: last.number };
  }
}

// ---- Per installing Supplier --------------------------------------------------------------------

export type SupplierRow = SupplierStatistics & {
  code: string;
  name: string;
  /** Awaiting its response (ASSIGNED) past the due time now, whenever they were raised. */
  currentlyBreached: number;
};

function noStatistics(organisationId: string): SupplierStatistics {
  return {
    organisationId,
    received: 0,
    answered: 0,
    answeredInTime: 0,
    answeredLate: 0,
    breached: 0,
    reassignedAway: 0,
    medianWorkingDays: null,
    p90WorkingDays: null,
    percentInTime: null,
  };
}

async function currentlyBreached(now: Date, organisationId?: string): Promise<Map<string, number>> {
  const groups = await db().installCodeRequest.groupBy({
    by: ["assignedOrganisationId"],
    where: { status: "ASSIGNED", dueAt: { lt: now }, ...(organisationId ? { assignedOrganisationId: organisationId } : {}) },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.assignedOrganisationId, g._count._all]));
}

/**
 * One row per installing Supplier with a clock started in the period or a request breached now,
 * by name. `statistics` are the period's (supplierStatistics over requestClocksInPeriod).
 */
async function supplierRows(statistics: Map<string, SupplierStatistics>, breachedNow: Map<string, number>): Promise<SupplierRow[]> {
  const ids = [...new Set([...statistics.keys(), ...breachedNow.keys()])];
  if (ids.length === 0) return [];
  const organisations = await db().organisation.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, name: true } });
  return organisations
    .map((o) => ({ ...(statistics.get(o.id) ?? noStatistics(o.id)), code: o.code, name: o.name, currentlyBreached: breachedNow.get(o.id) ?? 0 }))
    .sort((a, b) => a.name.localeCompare(b.name, "en-GB") || a.code.localeCompare(b.code));
}

async function allSupplierRows(period: Period, rule: SlaRule, now: Date): Promise<SupplierRow[]> {
  const [requests, breachedNow] = await Promise.all([requestClocksInPeriod(period, rule, now), currentlyBreached(now)]);
  return supplierRows(supplierStatistics(requests, period), breachedNow);
}

// ---- Weekly series ----------------------------------------------------------------------------

export type WeekRow = {
  /** The week's Monday, "YYYY-MM-DD" (UK time). */
  weekStart: string;
  /** Requests raised that week. */
  raised: number;
  /** First responses that week: a clock's first Install Code from the organisation it ran for. */
  answered: number;
};

/** The Monday on or before a London day. */
function mondayOf(d: CalendarDay): CalendarDay {
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return addDays(d, -((weekday + 6) % 7));
}

/**
 * The weeks of the chart: whole weeks (Monday to Sunday, UK time) from the period's first week to
 * its last one that has begun (this month: this week), and at least MIN_WEEKS of them, reaching back
 * before the period when it is shorter, so that a month shows its trend.
 */
export function chartWeeks(period: ReportingPeriod, now: Date): CalendarDay[] {
  const first = parseDay(period.firstDay);
  let last = parseDay(period.lastDay);
  const today = londonDay(now);
  if (isoDay(today) < period.lastDay) last = isoDay(today) < period.firstDay ? first : today;
  const end = mondayOf(last);
  let start = mondayOf(first);
  const weeks = (a: CalendarDay, b: CalendarDay) => (epochDay(b) - epochDay(a)) / 7 + 1;
  if (weeks(start, end) < MIN_WEEKS) start = addDays(end, -7 * (MIN_WEEKS - 1));
  const out: CalendarDay[] = [];
  for (let d = start; isoDay(d) <= isoDay(end); d = addDays(d, 7)) out.push(d);
  return out;
}

async function weeklySeries(weeks: CalendarDay[], rule: SlaRule, now: Date): Promise<WeekRow[]> {
  const from = startOfLondonDay(weeks[0]!);
  const to = startOfLondonDay(addDays(weeks[weeks.length - 1]!, 7));
  const client = db();
  const raised = await client.$queryRaw<{ week: string; count: number }[]>`
    SELECT to_char(date_trunc('week', r."raisedAt" AT TIME ZONE ${LONDON}::text), 'YYYY-MM-DD') AS "week", count(*)::int AS "count"
    FROM "InstallCodeRequest" r
    WHERE r."raisedAt" >= ${from}::timestamptz AND r."raisedAt" < ${to}::timestamptz
    GROUP BY 1`;

  // An Install Code is a first response only in its request's clocks (who held the request, and
  // whether that organisation had answered already): read the timelines of the week's codes.
  const answered = new Map<string, number>();
  const withCodes = await client.requestEvent.findMany({
    where: { type: "INSTALL_CODE_PROVIDED", at: { gte: from, lt: to } },
    select: { requestId: true },
    distinct: ["requestId"],
  });
  for (const r of await clocksOfRequests(
    withCodes.map((e) => e.requestId),
    rule,
    now,
    client,
  )) {
    for (const clock of r.clocks) {
      const at = clock.firstResponseAt;
      if (!at || at < from || at >= to) continue;
      const week = isoDay(mondayOf(londonDay(at)));
      answered.set(week, (answered.get(week) ?? 0) + 1);
    }
  }
  const raisedByWeek = new Map(raised.map((r) => [r.week, Number(r.count)]));
  return weeks.map((w) => ({ weekStart: isoDay(w), raised: raisedByWeek.get(isoDay(w)) ?? 0, answered: answered.get(isoDay(w)) ?? 0 }));
}

// ---- The helpdesk dashboard -------------------------------------------------------------------

export type HelpdeskDashboard = {
  now: Date;
  period: ReportingPeriod;
  /** The obligation in Working Days (the rule's, five by default). */
  workingDays: number;
  open: OpenByStatus;
  atRisk: DueList;
  breached: DueList;
  suppliers: SupplierRow[];
  weekly: WeekRow[];
};

type Options = { now?: Date; limit?: number };

/**
 * Everything /helpdesk shows, for the period named by `input` (a query string: period, from, to).
 * A bad period is a VALIDATION error with field messages; anyone but the helpdesk: NOT_FOUND.
 */
export async function helpdeskDashboard(actor: Actor, input: Record<string, unknown>, options: Options = {}): Promise<HelpdeskDashboard> {
  requireEveryRequest(actor);
  const now = options.now ?? clockNow();
  const period = parsePeriod(input, now);
  const rule = env().slaRule;
  const limit = options.limit ?? DUE_LIST_LIMIT;
  // One at a time: the embedded database has one connection, and this is one page's work.
  const open = await openByStatus();
  const atRisk = await dueList("at-risk", now, limit);
  const breached = await dueList("breached", now, limit);
  const suppliers = await allSupplierRows(period, rule, now);
  const weekly = await weeklySeries(chartWeeks(period, now), rule, now);
  return { now, period, workingDays: rule.workingDays, open, atRisk, breached, suppliers, weekly };
}

/** The supplier table of a period (the CSV export); helpdesk only. */
export async function supplierTable(actor: Actor, input: Record<string, unknown>, options: { now?: Date } = {}): Promise<{ period: ReportingPeriod; rows: SupplierRow[] }> {
  requireEveryRequest(actor);
  const now = options.now ?? clockNow();
  const period = parsePeriod(input, now);
  return { period, rows: await allSupplierRows(period, env().slaRule, now) };
}

/** The weekly series of a period (the CSV export); helpdesk only. */
export async function weeklyTable(actor: Actor, input: Record<string, unknown>, options: { now?: Date } = {}): Promise<{ period: ReportingPeriod; rows: WeekRow[] }> {
  requireEveryRequest(actor);
  const now = options.now ?? clockNow();
  const period = parsePeriod(input, now);
  return { period, rows: await weeklySeries(chartWeeks(period, now), env().slaRule, now) };
}

// ---- A Supplier's own figures (/performance) --------------------------------------------------

export type RaiserStatistics = {
  /** Requests it raised in the period. */
  raised: number;
  /** Of those, answered with an Install Code (by any organisation that held it). */
  answered: number;
  /** Working Days from the day of raising to the day of the first answer, over those answered. */
  medianWorkingDaysToAnswer: number | null;
  /** Of those, awaiting a response now. */
  waiting: number;
  /** Of those waiting, past their due time. */
  overdue: number;
};

export type SupplierPerformance = {
  now: Date;
  period: ReportingPeriod;
  workingDays: number;
  organisation: { code: string; name: string };
  asInstaller: SupplierRow;
  asRaiser: RaiserStatistics;
};

/** A Supplier user's own organisation's figures, as installing Supplier and as raiser. */
export async function supplierPerformance(actor: Actor, input: Record<string, unknown>, options: { now?: Date } = {}): Promise<SupplierPerformance> {
  const organisationId = ownOrganisation(actor);
  const now = options.now ?? clockNow();
  const period = parsePeriod(input, now);
  const rule = env().slaRule;
  const requests = await requestClocksInPeriod(period, rule, now, { organisationId });
  const breachedNow = await currentlyBreached(now, organisationId);
  const statistics = supplierStatistics(requests, period).get(organisationId) ?? noStatistics(organisationId);

  const raised = requests.filter((r) => r.raisingOrganisationId === organisationId && r.raisedAt >= period.from && r.raisedAt < period.to);
  const days: number[] = [];
  let waiting = 0;
  let overdue = 0;
  for (const r of raised) {
    const answers = r.clocks.flatMap((c) => (c.firstResponseAt ? [c.firstResponseAt] : []));
    if (answers.length > 0) {
      const first = answers.reduce((a, b) => (b < a ? b : a));
      days.push(workingDaysAfter(londonDay(r.raisedAt), londonDay(first)));
    }
    if (r.status === "ASSIGNED") {
      waiting++;
      const current = r.clocks.at(-1);
      if (current && now > current.dueAt) overdue++;
    }
  }
  return {
    now,
    period,
    workingDays: rule.workingDays,
    organisation: { code: actor.organisationCode, name: actor.organisationName },
    asInstaller: { ...statistics, code: actor.organisationCode, name: actor.organisationName, currentlyBreached: breachedNow.get(organisationId) ?? 0 },
    asRaiser: { raised: raised.length, answered: days.length, medianWorkingDaysToAnswer: median(days), waiting, overdue },
  };
}

