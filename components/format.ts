// Dates as people in GB read them, always in UK time.

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/London" });
const date = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });

export function formatDateTime(d: Date): string {
  return dateTime.format(d);
}

/** A due date: the day is what matters (due by the end of it, UK time). */
export function formatDueDay(d: Date): string {
  return date.format(d);
}

export const STATUS_LABEL: Record<string, string> = {
  ASSIGNED: "Assigned",
  RESPONDED: "Responded",
  CLOSED: "Closed",
};
