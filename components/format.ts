// Dates as people in GB read them, always in UK time.

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });
const date = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });

export function formatDateTime(d: Date): string {
  return dateTime.format(d);
}

const shortDay = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "Europe/London" });

export { formatDueBy, formatLongDay, workingDays } from "@/lib/sla/phrases";

/** "Tue 7 Apr" (UK day), for lists of days. */
export function formatShortDay(d: Date): string {
  return shortDay.format(d).replace(",", "");
}

/** A due date: the day is what matters (due by the end of it, UK time). */
export function formatDueDay(d: Date): string {
  return date.format(d);
}

// A Map, not an object: a status read from a URL ("__proto__", "constructor") finds nothing here.
const STATUS_LABEL = new Map<string, string>([
  ["ASSIGNED", "Assigned"],
  ["RESPONDED", "Responded"],
  ["DECLINED", "Declined"],
  ["CLOSED", "Closed"],
]);

/** A request status as people read it; anything unknown is shown as it is. */
export function statusLabel(status: string): string {
  return STATUS_LABEL.get(status) ?? status;
}
