import { workingDays } from "./phrases";
import { addWorkingDays, compareDays, endOfLondonDay, londonDay, workingDaysAfter } from "./working-days";

// The due column's badge on lists (/requests, the dashboard's lists): what a person reads next to the
// due day, by text as well as colour. Calendar arithmetic on the request row only (dueAt,
// respondedAt, status): no timeline, no query, so a page of 50 rows stays one query.
// Counting as decision 016: "overdue by N" counts the Working Days after the due day up to today;
// "due in N" the Working Days after today up to the due day (0: "due today").

export type DueBadgeTone = "overdue" | "due-today" | "due-soon" | "due" | "answered" | "answered-late";
export type DueBadge = { text: string; tone: DueBadgeTone };

/**
 * The end of the next Working Day after today. A request awaiting a response that is not yet due
 * and due by then is "at risk": the helpdesk's queue and dashboard list, and the rows whose badge
 * below is "Due today" or "Due in 1 Working Day" (tones due-today and due-soon).
 */
export function atRiskUntil(now: Date): Date {
  return endOfLondonDay(addWorkingDays(now, 1));
}

/** Working Days after the due day up to `now`'s day (0 on the due day itself). */
export function workingDaysOverdue(dueAt: Date, now: Date): number {
  return workingDaysAfter(londonDay(dueAt), londonDay(now));
}

/**
 * The badge for a request row at `now`, or null when there is nothing to say (closed without an
 * answer). An answer (respondedAt: the current assignee's Install Code) says whether it was in time.
 */
export function dueBadge(request: { dueAt: Date; respondedAt: Date | null; status: string }, now: Date): DueBadge | null {
  if (request.respondedAt) {
    return request.respondedAt > request.dueAt ? { text: "Answered late", tone: "answered-late" } : { text: "Answered", tone: "answered" };
  }
  if (request.status !== "ASSIGNED") return null;
  if (now > request.dueAt) {
    const late = workingDaysOverdue(request.dueAt, now);
    if (late > 0) return { text: `Overdue by ${workingDays(late)}`, tone: "overdue" };
    // No Working Day since the due day yet: the due day itself, past a due time of day
    // (SLA_DUE_TIME), or the weekend or bank holiday after it.
    const sameDay = compareDays(londonDay(now), londonDay(request.dueAt)) === 0;
    return { text: sameDay ? "Overdue since today" : "Overdue", tone: "overdue" };
  }
  const today = londonDay(now);
  const dueDay = londonDay(request.dueAt);
  if (compareDays(today, dueDay) >= 0) return { text: "Due today", tone: "due-today" };
  const left = workingDaysAfter(today, dueDay);
  return { text: `Due in ${workingDays(left)}`, tone: left <= 1 ? "due-soon" : "due" };
}
