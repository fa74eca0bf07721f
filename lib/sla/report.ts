import { z } from "zod";
import { obligationReportReadyEmail } from "../../emails/report-emails";
import { isHelpdesk, type Actor } from "../auth/actor";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { AppError } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { emailOrganisation } from "../requests/notify";
import type { Clock } from "./clock";
import { median, requestClocksInPeriod } from "./statistics";
import { compareDays, isWorkingDay, londonDay, nextDay, startOfLondonDay, type CalendarDay } from "./working-days";

// The monthly obligation report for the SEC Panel (docs/decisions/016-sla-clock.md, "The monthly
// report"): per installing Supplier, the clocks started in a calendar month (UK time) and how each
// stood at the end of that month. Generated on the first Working Day of the next month and kept
// unchanged (ObligationReport); until then, or for a month not over, computed live and provisional.

export type MonthlyReportFigures = {
  /** Clocks started in the month: requests assigned, or reassigned, to the Supplier. */
  received: number;
  /** Its first Install Code came by the due time (and by the end of the month). */
  answeredInTime: number;
  /** Its first Install Code came after the due time, but by the end of the month. */
  answeredLate: number;
  /** Still held by the Supplier with no Install Code from it at the end of the month, due or not. */
  unanswered: number;
  /** Of `unanswered`, those whose due time had not yet come at the end of the month. */
  unansweredNotYetDue: number;
  /** Reassigned away by the helpdesk before the Supplier gave a code. */
  reassignedAway: number;
  /** Closed by the raising Supplier before the Supplier gave a code. */
  closedUnanswered: number;
  /** Declined by the Supplier ("not our Device") by the end of the month (docs/decisions/030-decline.md). */
  declined: number;
  /** Due time passed (by the end of the month) with no code by then: late, overdue, or moved on after it. */
  missedDeadline: number;
  /** Median Working Days from the clock's start day to the day of the code, of those answered; null if none. */
  medianWorkingDays: number | null;
};

export type MonthlyReportRow = MonthlyReportFigures & { organisationId: string; code: string; name: string };

/** As kept in ObligationReport.data (JSON): instants are ISO 8601 strings. */
export type MonthlyReport = {
  version: 1;
  /** "2026-11" */
  month: string;
  /** When these figures were computed. */
  generatedAt: string;
  /** The figures are as of this instant: the end of the month, or `generatedAt` when that was earlier. */
  asOf: string;
  /** The rule's number of Working Days when generated (5 by default). */
  responseWorkingDays: number;
  /** One per installing Supplier that received a request in the month, by name. */
  rows: MonthlyReportRow[];
  /** Sums of the rows; the median is of every answered request, not of the rows' medians. */
  totals: MonthlyReportFigures;
};

const count = z.number().int().nonnegative();
const figures = {
  received: count,
  answeredInTime: count,
  answeredLate: count,
  unanswered: count,
  unansweredNotYetDue: count,
  reassignedAway: count,
  closedUnanswered: count,
  // Reports kept before declines existed have none.
  declined: count.default(0),
  missedDeadline: count,
  medianWorkingDays: z.number().nonnegative().nullable(),
};

/** The shape of ObligationReport.data: read back through this, never cast. */
export const monthlyReportSchema = z.object({
  version: z.literal(1),
  month: z.string().regex(/^\d{4}-\d{2}$/),
  generatedAt: z.iso.datetime(),
  asOf: z.iso.datetime(),
  responseWorkingDays: z.number().int().positive(),
  rows: z.array(z.object({ organisationId: z.string(), code: z.string(), name: z.string(), ...figures })),
  totals: z.object(figures),
}) satisfies z.ZodType<MonthlyReport>;

// ---------------------------------------------------------------------------------------------
// Months

export type Month = { year: number; month: number }; // month 1-12

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;
const EARLIEST_YEAR = 2000;

/** "2026-11" as a month; null for anything else ("2026-13", "2026-1", "abc", years before 2000). */
export function parseMonth(text: string): Month | null {
  const m = MONTH_PATTERN.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < EARLIEST_YEAR || month < 1 || month > 12) return null;
  return { year, month };
}

export function formatMonth({ year, month }: Month): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

const monthName = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** "November 2026". */
export function monthLabel({ year, month }: Month): string {
  return monthName.format(new Date(Date.UTC(year, month - 1, 1)));
}

function addMonths({ year, month }: Month, n: number): Month {
  const index = year * 12 + (month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function compareMonths(a: Month, b: Month): number {
  return a.year - b.year || a.month - b.month;
}

/** The UK month an instant falls in. */
export function londonMonth(instant: Date): Month {
  const { year, month } = londonDay(instant);
  return { year, month };
}

/** [from, to): from 00:00 UK time on the 1st to 00:00 UK time on the 1st of the next month. */
export function monthPeriod(m: Month): { from: Date; to: Date } {
  const next = addMonths(m, 1);
  return { from: startOfLondonDay({ ...m, day: 1 }), to: startOfLondonDay({ ...next, day: 1 }) };
}

/** The first Working Day of a month (2 November 2026: the 1st is a Sunday). */
export function firstWorkingDay(m: Month): CalendarDay {
  let d: CalendarDay = { ...m, day: 1 };
  while (!isWorkingDay(d)) d = nextDay(d);
  return d;
}

/** The day a month's report is generated and kept: the first Working Day of the next month. */
export function reportDueDay(month: string): CalendarDay {
  const m = parseMonth(month);
  if (!m) throw new Error(`not a month: ${month}`);
  return firstWorkingDay(addMonths(m, 1));
}

const dayName = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** "Wednesday 2 December 2026". */
export function dayLabel(d: CalendarDay): string {
  return dayName.format(new Date(Date.UTC(d.year, d.month - 1, d.day))).replace(",", "");
}

// ---------------------------------------------------------------------------------------------
// The figures

function emptyFigures(): MonthlyReportFigures {
  return {
    received: 0,
    answeredInTime: 0,
    answeredLate: 0,
    unanswered: 0,
    unansweredNotYetDue: 0,
    reassignedAway: 0,
    closedUnanswered: 0,
    declined: 0,
    missedDeadline: 0,
    medianWorkingDays: null,
  };
}

/**
 * Adds one clock to a Supplier's figures as it stood at `asOf` (the end of the month, or now if
 * earlier): what happened after that instant (a later code, reassignment or closing) is not seen.
 */
function addClock(f: MonthlyReportFigures, days: number[], clock: Clock, asOf: Date): void {
  const seen = (at: Date | null): at is Date => at !== null && at <= asOf;
  f.received++;
  if (seen(clock.breachedAt)) f.missedDeadline++;
  if (seen(clock.firstResponseAt)) {
    if (clock.firstResponseAt <= clock.dueAt) f.answeredInTime++;
    else f.answeredLate++;
    days.push(clock.workingDaysToResponse ?? 0);
  } else if (clock.outcome === "declined" && seen(clock.endedAt)) {
    f.declined++;
  } else if (clock.outcome === "reassigned" && seen(clock.endedAt)) {
    f.reassignedAway++;
  } else if (clock.outcome === "closed" && seen(clock.endedAt)) {
    f.closedUnanswered++;
  } else {
    f.unanswered++;
    if (!seen(clock.dueAt)) f.unansweredNotYetDue++;
  }
}

/**
 * The report of `month` ("YYYY-MM") as of its end, or as of `now` while it is not over: per
 * installing Supplier, the clocks that started in the month (lib/sla/clock.ts) and where each stood
 * then. A request counts in the month its clock started, never again in the next one.
 */
export async function computeMonthlyReport(month: string, now: Date): Promise<MonthlyReport> {
  const m = parseMonth(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const period = monthPeriod(m);
  // The last instant of the month, or now: "by the end of the month" means before `to`.
  const asOf = now < period.to ? now : new Date(period.to.getTime() - 1);
  const rule = env().slaRule;
  const requests = await requestClocksInPeriod(period, rule, now);

  const byOrganisation = new Map<string, { figures: MonthlyReportFigures; days: number[] }>();
  const totals = emptyFigures();
  const allDays: number[] = [];
  for (const request of requests) {
    for (const clock of request.clocks) {
      if (clock.startedAt < period.from || clock.startedAt > asOf) continue;
      let entry = byOrganisation.get(clock.organisationId);
      if (!entry) byOrganisation.set(clock.organisationId, (entry = { figures: emptyFigures(), days: [] }));
      addClock(entry.figures, entry.days, clock, asOf);
      addClock(totals, allDays, clock, asOf);
    }
  }
  totals.medianWorkingDays = median(allDays);

  const organisations = await db().organisation.findMany({
    where: { id: { in: [...byOrganisation.keys()] } },
    select: { id: true, code: true, name: true },
  });
  const rows: MonthlyReportRow[] = organisations.map((o) => {
    const { figures: f, days } = byOrganisation.get(o.id)!;
    return { organisationId: o.id, code: o.code, name: o.name, ...f, medianWorkingDays: median(days) };
  });
  rows.sort((a, b) => a.name.localeCompare(b.name, "en-GB") || a.code.localeCompare(b.code, "en-GB"));

  return {
    version: 1,
    month: formatMonth(m),
    generatedAt: now.toISOString(),
    asOf: (now < period.to ? now : period.to).toISOString(),
    responseWorkingDays: rule.workingDays,
    rows,
    totals,
  };
}

// ---------------------------------------------------------------------------------------------
// Kept reports

export type GeneratedReport = { month: string; generated: boolean; emailed: number };

export function reportUrl(month: string): string {
  return `${env().appUrl}/helpdesk/reports/${month}`;
}

/**
 * On or after the first Working Day of a month, keeps the previous month's report if it is not kept
 * yet, and emails every helpdesk user a link to it, once. Idempotent and safe with several instances
 * (the unique month: the first insert wins, the others do nothing): call it every minute or hourly
 * (lib/sla/scheduler.ts). Returns null before the first Working Day.
 */
export async function generateDueReports(now: Date = clockNow()): Promise<GeneratedReport | null> {
  const today = londonDay(now);
  const current: Month = { year: today.year, month: today.month };
  if (compareDays(today, firstWorkingDay(current)) < 0) return null;
  const month = formatMonth(addMonths(current, -1));
  if (await db().obligationReport.findUnique({ where: { month }, select: { id: true } })) {
    return { month, generated: false, emailed: 0 };
  }
  const report = await computeMonthlyReport(month, now);
  const result = await transaction(async (tx) => {
    // ON CONFLICT DO NOTHING: another instance that got here first has kept it (and emailed).
    const { count: inserted } = await tx.obligationReport.createMany({
      data: [{ month, generatedAt: now, data: report }],
      skipDuplicates: true,
    });
    if (inserted === 0) return { month, generated: false, emailed: 0 };
    const helpdesks = await tx.organisation.findMany({ where: { kind: "HELPDESK" }, select: { id: true }, orderBy: { code: "asc" } });
    const email = obligationReportReadyEmail({
      month: monthLabel(parseMonth(month)!),
      within: workingDaysPhrase(report.responseWorkingDays),
      url: reportUrl(month),
    });
    let emailed = 0;
    for (const helpdesk of helpdesks) emailed += await emailOrganisation(tx, undefined, helpdesk.id, email, "REPORT");
    return { month, generated: true, emailed };
  });
  if (result.emailed > 0) kickDispatcher();
  return result;
}

export type ReportView = {
  report: MonthlyReport;
  /** Kept: generated once the month was over, and unchanged since. */
  kept: boolean;
  /** Not kept: the month is not over yet, or its report has not been generated yet. */
  provisional: false | "month-not-over" | "not-yet-generated";
};

/** The kept report of `month`, or, when there is none, its figures computed now (provisional). */
export async function reportForMonth(month: string, now: Date = clockNow()): Promise<ReportView> {
  const kept = await db().obligationReport.findUnique({ where: { month }, select: { data: true } });
  if (kept) return { report: monthlyReportSchema.parse(kept.data), kept: true, provisional: false };
  const report = await computeMonthlyReport(month, now);
  const over = now >= monthPeriod(parseMonth(month)!).to;
  return { report, kept: false, provisional: over ? "not-yet-generated" : "month-not-over" };
}

/**
 * A month that has a report (kept or provisional): YYYY-MM, from 2000-01 up to this month (UK
 * time). Anything else is a VALIDATION error whose message says why.
 */
export function reportMonth(month: string, now: Date = clockNow()): string {
  const m = parseMonth(month.trim());
  if (!m) {
    throw AppError.validation({ month: ["Write the month as YYYY-MM, for example 2026-11 (from 2000-01)."] }, "There is no report for that month");
  }
  if (compareMonths(m, londonMonth(now)) > 0) {
    throw AppError.validation({ month: [`${monthLabel(m)} has not started yet: there is a report for each month up to this one.`] }, "There is no report for that month");
  }
  return formatMonth(m);
}

/**
 * The helpdesk's view of one month's report (/helpdesk/reports/YYYY-MM and its CSV). Anyone else:
 * "not found". A month without a report (reportMonth) is a VALIDATION error.
 */
export async function viewMonthlyReport(actor: Actor, month: string, now: Date = clockNow()): Promise<ReportView> {
  if (!isHelpdesk(actor)) throw AppError.notFound();
  return reportForMonth(reportMonth(month, now), now);
}

export type KeptReportSummary = { month: string; generatedAt: Date };

/** Every kept report, newest month first (the helpdesk only; anyone else: "not found"). */
export async function listObligationReports(actor: Actor): Promise<KeptReportSummary[]> {
  if (!isHelpdesk(actor)) throw AppError.notFound();
  return db().obligationReport.findMany({ orderBy: { month: "desc" }, select: { month: true, generatedAt: true } });
}

// ---------------------------------------------------------------------------------------------
// The table, as the page shows it and the CSV downloads it (one definition, so they agree)

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

const ORDINALS = ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

/** "fifth". */
export function ordinal(n: number): string {
  if (ORDINALS[n]) return ORDINALS[n];
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

export function workingDaysPhrase(n: number): string {
  return `${NUMBER_WORDS[n] ?? n} Working Day${n === 1 ? "" : "s"}`;
}

export type ReportColumn = { key: keyof MonthlyReportFigures; heading: string };

export function reportColumns(report: MonthlyReport): ReportColumn[] {
  return [
    { key: "received", heading: "Received" },
    { key: "answeredInTime", heading: `Answered within ${workingDaysPhrase(report.responseWorkingDays)}` },
    { key: "answeredLate", heading: "Answered late" },
    { key: "unanswered", heading: "Unanswered at month end" },
    { key: "unansweredNotYetDue", heading: "Of which not yet due" },
    { key: "reassignedAway", heading: "Reassigned away" },
    { key: "closedUnanswered", heading: "Closed unanswered" },
    { key: "declined", heading: "Declined" },
    { key: "missedDeadline", heading: "Deadline missed" },
    { key: "medianWorkingDays", heading: "Median Working Days to first response" },
  ];
}

/** A median as people read it: "2", "2.5"; null (nothing answered) as "". */
export function formatFigure(value: number | null): string {
  if (value === null) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The table's rows as text, the totals last: ["Supplier", "Code", ...figures]. */
export function reportTable(report: MonthlyReport): { headings: string[]; rows: string[][]; totals: string[] } {
  const columns = reportColumns(report);
  return {
    headings: ["Supplier", "Code", ...columns.map((c) => c.heading)],
    rows: report.rows.map((r) => [r.name, r.code, ...columns.map((c) => formatFigure(r[c.key]))]),
    totals: ["Total", "", ...columns.map((c) => formatFigure(report.totals[c.key]))],
  };
}
