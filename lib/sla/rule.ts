import {
  addWorkingDays,
  bankHolidayName,
  compareDays,
  endOfLondonDay,
  isWorkingDay,
  londonDay,
  londonTime,
  nextDay,
  startOfLondonDay,
  type CalendarDay,
} from "./working-days";

import type { SlaRule } from "./rule-config";

export { DEFAULT_RULE, parseTimeOfDay, type SlaRule, type TimeOfDay } from "./rule-config";

/** Whether the day a clock starts counts as its first Working Day (only under SLA_SAME_DAY_CUTOFF). */
export function startDayCounts(start: Date, rule: SlaRule): boolean {
  if (!rule.sameDayCutoff) return false;
  const day = londonDay(start);
  return isWorkingDay(day) && start < londonTime(day, rule.sameDayCutoff.hour, rule.sameDayCutoff.minute);
}

/** The London day on which a clock started at `start` ends. */
export function dueDay(start: Date, rule: SlaRule): CalendarDay {
  const counts = startDayCounts(start, rule);
  return counts ? (rule.workingDays === 1 ? londonDay(start) : addWorkingDays(start, rule.workingDays - 1)) : addWorkingDays(start, rule.workingDays);
}

/** When a response is due for a clock started at `start`. */
export function clockDueAt(start: Date, rule: SlaRule): Date {
  const day = dueDay(start, rule);
  return rule.dueTime ? londonTime(day, rule.dueTime.hour, rule.dueTime.minute) : endOfLondonDay(day);
}

/**
 * When the assignee is reminded: the start (00:00 UK time) of the Working Day before the due day,
 * or null when the clock starts on or after it (a one-day obligation has no day before).
 */
export function reminderAt(start: Date, dueAt: Date): Date | null {
  const due = londonDay(dueAt);
  let d = londonDay(start);
  let last: CalendarDay | null = null;
  for (d = nextDay(d); compareDays(d, due) < 0; d = nextDay(d)) if (isWorkingDay(d)) last = d;
  if (!last) return null;
  const at = startOfLondonDay(last);
  return at > start ? at : null;
}

export type DueExplanation = {
  start: Date;
  startDayCounts: boolean;
  /** The Working Days counted, in order: the last one is the due day. */
  counted: CalendarDay[];
  /** Days passed over on the way, with why: "Saturday", "Good Friday". */
  skipped: { day: CalendarDay; why: string }[];
  dueAt: Date;
};

const WEEKDAY = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Why a clock started at `start` is due when it is: the days counted and the days skipped. */
export function explainDue(start: Date, rule: SlaRule): DueExplanation {
  const counts = startDayCounts(start, rule);
  const counted: CalendarDay[] = counts ? [londonDay(start)] : [];
  const skipped: { day: CalendarDay; why: string }[] = [];
  for (let d = londonDay(start); counted.length < rule.workingDays; ) {
    d = nextDay(d);
    if (isWorkingDay(d)) counted.push(d);
    else {
      const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
      skipped.push({ day: d, why: weekday === 0 || weekday === 6 ? WEEKDAY[weekday] : (bankHolidayName(d) ?? "Bank holiday") });
    }
  }
  return { start, startDayCounts: counts, counted, skipped, dueAt: clockDueAt(start, rule) };
}
