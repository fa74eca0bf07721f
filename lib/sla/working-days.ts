import { TZDate } from "@date-fns/tz";
import Holidays from "date-holidays";

// SEC Working Days: every day but Saturdays, Sundays and bank holidays in England and Wales
// (Christmas Day and Good Friday are among them). The calendar comes from date-holidays (GB-ENG),
// substitute days included, never from a hand-kept list. Days are Europe/London days.

export const LONDON = "Europe/London";
const holidays = new Holidays("GB", "ENG");
const cache = new Map<number, Set<string>>();

const names = new Map<number, Map<string, string>>();

/**
 * "YYYY-MM-DD" → name of every England and Wales bank holiday in `year` (substitute days included).
 * date-holidays also lists the weekend date of a holiday that falls on one (Boxing Day on Saturday
 * 26 December 2026); that day is not a bank holiday (gov.uk lists only its substitute), so it is left
 * out: a weekend day is off as a weekend day.
 */
function bankHolidayNames(year: number): Map<string, string> {
  let days = names.get(year);
  if (!days) {
    days = new Map();
    for (const h of holidays.getHolidays(year).filter((h) => h.type === "public" || h.type === "bank")) {
      const iso = h.date.slice(0, 10);
      const weekday = new Date(`${iso}T00:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      if (!days.has(iso)) days.set(iso, h.name); // substitute days are named so: "Boxing Day (substitute day)"
    }
    names.set(year, days);
  }
  return days;
}

/** "YYYY-MM-DD" of every England and Wales bank holiday in `year`. */
function bankHolidays(year: number): Set<string> {
  let days = cache.get(year);
  if (!days) {
    days = new Set(bankHolidayNames(year).keys());
    cache.set(year, days);
  }
  return days;
}

/** The bank holiday's name for a London day, or null. */
export function bankHolidayName(d: CalendarDay): string | null {
  return bankHolidayNames(d.year).get(key(d)) ?? null;
}

export type CalendarDay = { year: number; month: number; day: number }; // month 1-12

function key({ year, month, day }: CalendarDay): string {
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The London calendar day of an instant. */
const londonDate = new Intl.DateTimeFormat("en-CA", { timeZone: LONDON, year: "numeric", month: "2-digit", day: "2-digit" });

export function londonDay(instant: Date): CalendarDay {
  // One cached formatter ("2026-04-13"), not a TZDate per call: the list computes a few per row.
  const [year, month, day] = londonDate.format(instant).split("-").map(Number);
  return { year, month, day };
}

/** The day `n` days after `d` (before it for a negative `n`). */
export function addDays(d: CalendarDay, n: number): CalendarDay {
  const u = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
}

export function nextDay(d: CalendarDay): CalendarDay {
  return addDays(d, 1);
}

/** "2026-04-13" as a day (the shape is the caller's to check). */
export function parseDay(iso: string): CalendarDay {
  const [year, month, day] = iso.split("-").map(Number);
  return { year: year!, month: month!, day: day! };
}

export function isWorkingDay(d: CalendarDay): boolean {
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !bankHolidays(d.year).has(key(d));
}

/** The `n`th Working Day after the London day of `from` (the day itself never counts). */
export function addWorkingDays(from: Date, n: number): CalendarDay {
  let d = londonDay(from);
  for (let counted = 0; counted < n; ) {
    d = nextDay(d);
    if (isWorkingDay(d)) counted++;
  }
  return d;
}

/** Compares two London days: negative when a is earlier. */
export function compareDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The first instant (00:00) of a London day (BST and GMT alike). */
export function startOfLondonDay(d: CalendarDay): Date {
  return new Date(new TZDate(d.year, d.month - 1, d.day, 0, 0, 0, 0, LONDON).getTime());
}

/** A time of day on a London day, as an instant. */
export function londonTime(d: CalendarDay, hour: number, minute: number): Date {
  return new Date(new TZDate(d.year, d.month - 1, d.day, hour, minute, 0, 0, LONDON).getTime());
}

/** Working Days after the day `from` up to and including the day `to` (0 when `to` is not later). */
export function workingDaysAfter(from: CalendarDay, to: CalendarDay): number {
  // Arithmetic, not a walk: the list shows 50 badges a page, some of requests overdue for months
  // (a day-by-day walk cost ~10 ms a page and most of the list's throughput in `npm run bench`).
  const first = epochDay(from) + 1;
  const last = epochDay(to);
  if (last < first) return 0;
  const weekdays = weekdaysBefore(last + 1) - weekdaysBefore(first);
  let holidays = 0;
  for (let year = from.year; year <= to.year; year++) {
    for (const iso of bankHolidays(year)) {
      const n = epochDay(parseDay(iso));
      const weekday = (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday (4)
      if (n >= first && n <= last && weekday !== 0 && weekday !== 6) holidays++;
    }
  }
  return weekdays - holidays;
}

/** Days since 1970-01-01 of a calendar day. */
export function epochDay(d: CalendarDay): number {
  return Math.round(Date.UTC(d.year, d.month - 1, d.day) / 86_400_000);
}

/** Monday-to-Friday days among the epoch days [0, n) (n may be negative: then minus those in [n, 0)). */
function weekdaysBefore(n: number): number {
  // Shift so that day 0 is a Monday: 1970-01-05 is epoch day 4.
  const m = n - 4;
  const weeks = Math.floor(m / 7);
  const rest = m - weeks * 7; // 0..6 days of a week starting Monday
  return weeks * 5 + Math.min(rest, 5);
}

/** The last millisecond (23:59:59.999) of a London day, as an instant (BST and GMT alike). */
export function endOfLondonDay(d: CalendarDay): Date {
  const next = nextDay(d);
  return new Date(new TZDate(next.year, next.month - 1, next.day, 0, 0, 0, 0, LONDON).getTime() - 1);
}

/** When a response is due: the end of the `workingDays`th Working Day after the day of raising. */
export function responseDueAt(raisedAt: Date, workingDays: number): Date {
  return endOfLondonDay(addWorkingDays(raisedAt, workingDays));
}

export function formatLondonDay(d: CalendarDay): string {
  return key(d);
}

const dueFormat = new Intl.DateTimeFormat("en-GB", {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: LONDON,
});

/** "Monday 13 April 2026 at 23:59 (UK time)". */
export function formatDueAt(dueAt: Date): string {
  const parts = Object.fromEntries(dueFormat.formatToParts(dueAt).map((p) => [p.type, p.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute} (UK time)`;
}
