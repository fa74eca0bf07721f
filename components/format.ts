// Dates as people in GB read them, always in UK time.

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });
const date = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });

export function formatDateTime(d: Date): string {
  return dateTime.format(d);
}

const longDay = new Intl.DateTimeFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const shortDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "Europe/London" });
const clockTime = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "Europe/London" });

/** "Monday 13 April 2026" (UK day). */
export function formatLongDay(d: Date): string {
  return longDay.format(d).replace(",", "");
}

/** "Tue 7 Apr" (UK day), for lists of days. */
export function formatShortDay(d: Date): string {
  return shortDay.format(d).replace(",", "");
}

/** "by the end of Monday 13 April 2026" or, for a due time within the day, "by 17:00 on Monday ...". */
export function formatDueBy(dueAt: Date): string {
  const [hh, mm, ss] = clockTime.format(dueAt).split(":");
  const endOfDay = hh === "23" && mm === "59" && ss === "59";
  return endOfDay ? `by the end of ${formatLongDay(dueAt)}` : `by ${hh}:${mm} on ${formatLongDay(dueAt)}`;
}

/** "1 Working Day", "3 Working Days". */
export function workingDays(n: number): string {
  return `${n} Working Day${n === 1 ? "" : "s"}`;
}

/** A due date: the day is what matters (due by the end of it, UK time). */
export function formatDueDay(d: Date): string {
  return date.format(d);
}

// A Map, not an object: a status read from a URL ("__proto__", "constructor") finds nothing here.
const STATUS_LABEL = new Map<string, string>([
  ["ASSIGNED", "Assigned"],
  ["RESPONDED", "Responded"],
  ["CLOSED", "Closed"],
]);

/** A request status as people read it; anything unknown is shown as it is. */
export function statusLabel(status: string): string {
  return STATUS_LABEL.get(status) ?? status;
}
