import { z } from "zod";
import { validate } from "../errors";
import { epochDay, formatLondonDay, londonDay, nextDay, parseDay, startOfLondonDay, type CalendarDay } from "./working-days";
import type { Period } from "./statistics";

// The period the dashboard and /performance report on: this month, last month, or a custom range
// of UK days. Months and days are London days (a period starts at 00:00 UK time, BST or GMT).
// Read from a URL's query (a GET form), so anything can arrive: a bad or reversed range is a field
// message, never a 500.

export const PERIOD_KINDS = ["this-month", "last-month", "custom"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The longest custom range, in days (a year, leap day included). */
export const MAX_RANGE_DAYS = 366;

export const PERIOD_MESSAGES = {
  kind: "Choose this month, last month or a custom range",
  format: "Enter a date like 2026-11-30",
  real: "Enter a real date from 2000 to 2100, like 2026-11-30",
  from: "Enter the first day of the range",
  to: "Enter the last day of the range",
  reversed: "The last day must be on or after the first day",
  tooLong: `A range can be at most ${MAX_RANGE_DAYS} days: choose a shorter one`,
} as const;

export type ReportingPeriod = Period & {
  kind: PeriodKind;
  /** First and last London day of the period, "YYYY-MM-DD" (both included). */
  firstDay: string;
  lastDay: string;
  /** "November 2026", "1 Oct 2026 to 15 Nov 2026". */
  label: string;
  /** The query string fields that name this period (a link to it). */
  query: Record<string, string>;
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "2026-04-13" of a day. */
export const isoDay = formatLondonDay;

/** 2026-02-31 has the right shape but is no day at all. */
function isCalendarDay(iso: string): boolean {
  const { year, month, day } = parseDay(iso);
  if (year < 2000 || year > 2100) return false;
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) === iso;
}

/** Days from a to b, both included. */
function daysInclusive(a: CalendarDay, b: CalendarDay): number {
  return epochDay(b) - epochDay(a) + 1;
}

/** An optional query-string field: empty is absent. */
const optional = <T extends z.ZodType<unknown, string>>(inner: T) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .pipe(inner.optional());

const day = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .regex(ISO_DAY, PERIOD_MESSAGES.format)
    // Only once the form is right: one message at a time.
    .refine((v) => !ISO_DAY.test(v) || isCalendarDay(v), PERIOD_MESSAGES.real);

/** Which period: named, or (none named) a custom range when a day is given, else this month. */
const kindSchema = z.object({ period: optional(z.enum(PERIOD_KINDS, { error: PERIOD_MESSAGES.kind })) });

/** A custom range's days; the dates are read only for a custom range (a month ignores them). */
const rangeSchema = z
  .object({ from: day(PERIOD_MESSAGES.from), to: day(PERIOD_MESSAGES.to) })
  .superRefine((v, ctx) => {
    const days = daysInclusive(parseDay(v.from), parseDay(v.to));
    if (days < 1) ctx.addIssue({ code: "custom", path: ["to"], message: PERIOD_MESSAGES.reversed });
    else if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: "custom", path: ["to"], message: PERIOD_MESSAGES.tooLong });
  });

const present = (v: unknown) => typeof v === "string" && v.trim() !== "";

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const utc = (d: CalendarDay) => new Date(Date.UTC(d.year, d.month - 1, d.day));

function lastDayOfMonth(year: number, month: number): CalendarDay {
  const u = new Date(Date.UTC(year, month, 0));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

function build(kind: PeriodKind, first: CalendarDay, last: CalendarDay, label: string, query: Record<string, string>): ReportingPeriod {
  return {
    kind,
    from: startOfLondonDay(first),
    to: startOfLondonDay(nextDay(last)),
    firstDay: isoDay(first),
    lastDay: isoDay(last),
    label,
    query,
  };
}

/** The period named by a query (this month when none is), at `now`; VALIDATION with field messages otherwise. */
export function parsePeriod(input: Record<string, unknown>, now: Date): ReportingPeriod {
  const kind = validate(kindSchema, input).period ?? (present(input.from) || present(input.to) ? "custom" : "this-month");
  const today = londonDay(now);
  if (kind === "custom") {
    const v = validate(rangeSchema, input);
    const first = parseDay(v.from);
    const last = parseDay(v.to);
    return build(kind, first, last, `${DAY.format(utc(first))} to ${DAY.format(utc(last))}`, { period: "custom", from: v.from, to: v.to });
  }
  const month = kind === "this-month" ? { year: today.year, month: today.month } : today.month === 1 ? { year: today.year - 1, month: 12 } : { year: today.year, month: today.month - 1 };
  const first = { ...month, day: 1 };
  const name = MONTH.format(utc(first));
  return build(kind, first, lastDayOfMonth(month.year, month.month), kind === "this-month" ? `${name} (this month)` : name, { period: kind });
}

/** The query string of a period, with any extra fields (the export's table). */
export function periodQuery(period: ReportingPeriod, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ ...extra, ...period.query }).toString();
}


/** The period fields of a page's query: single values only (a repeated or unknown key is ignored). */
export function periodInput(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const input = new Map<string, string>();
  for (const field of ["period", "from", "to"]) {
    const value = Object.hasOwn(params, field) ? params[field] : undefined;
    if (typeof value === "string") input.set(field, value);
  }
  return Object.fromEntries(input);
}
