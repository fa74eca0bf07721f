// How the obligation is said, in the pages and in the emails alike (one wording, one count).

const longDay = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const clockTime = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "Europe/London" });

/** "Monday 13 April 2026" (UK day). */
export function formatLongDay(d: Date): string {
  return longDay.format(d).replace(",", "");
}

/**
 * "by the end of Monday 13 April 2026" (a UK day: the portal's calendar is England and Wales's), or
 * for a due time within the day (SLA_DUE_TIME) "by 17:00 UK time on Monday 13 April 2026".
 */
export function formatDueBy(dueAt: Date): string {
  const [hh, mm, ss] = clockTime.format(dueAt).split(":");
  const endOfDay = hh === "23" && mm === "59" && ss === "59";
  return endOfDay ? `by the end of ${formatLongDay(dueAt)}` : `by ${hh}:${mm} UK time on ${formatLongDay(dueAt)}`;
}

/** "1 Working Day", "3 Working Days". */
export function workingDays(n: number): string {
  return `${n} Working Day${n === 1 ? "" : "s"}`;
}

/** Where a running clock stands (lib/sla/clock.ts's runningClockCount does the counting). */
export type DueCount = {
  /** The due time has passed. */
  overdue: boolean;
  /** Working Days after the due day, up to today. */
  workingDaysOverdue: number;
  /** Working Days left to the due day, today included while it counts. */
  workingDaysLeft: number;
  /** Today (UK) is the due day and the due time has not passed. */
  dueToday: boolean;
};

/**
 * The count in words, one wording for the page and the emails: "3 Working Days left", "1 Working Day
 * left", "due today" (the due day itself: the page's and the list's words for it), "overdue by 2
 * Working Days" (as the list's badge says it), and plain "overdue" past the due time before a Working
 * Day has passed since the due day (the evening of a 17:00 due day, the weekend after a Friday).
 */
export function dueCountPhrase(count: DueCount): string {
  if (count.overdue) return count.workingDaysOverdue > 0 ? `overdue by ${workingDays(count.workingDaysOverdue)}` : "overdue";
  if (count.dueToday) return "due today";
  return `${workingDays(count.workingDaysLeft)} left`;
}

/** "by the end of Friday 4 December 2026 (3 Working Days left)": the due date and where it stands. */
export function formatDueWithCount(dueAt: Date, count: DueCount): string {
  return `${formatDueBy(dueAt)} (${dueCountPhrase(count)})`;
}
