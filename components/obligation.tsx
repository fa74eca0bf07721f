import type { ClockView, RequestView } from "@/lib/requests/view-request";
import { dueCountPhrase } from "@/lib/sla/phrases";
import { formatDateTime, formatDueBy, formatShortDay, workingDays } from "./format";

// The five-Working-Day obligation on the request page: when the answer is due and how it stands,
// why that day (a <details> a keyboard and a screen reader open like any button), and the earlier
// assignees' clocks when the request was reassigned (docs/decisions/016-sla-clock.md).

/**
 * "3 Working Days left", "due today", "overdue by 2 Working Days" (the words of the emails:
 * lib/sla/phrases.ts's dueCountPhrase), or how the clock ended: "answered in time".
 */
export function dueStatus(request: Pick<RequestView, "sla" | "status">): string {
  const { sla } = request;
  const current = sla.current;
  if (!current) return "";
  if (current.outcome === "answered") return current.respondedInTime ? "answered in time" : "answered late";
  if (current.outcome === "declined") return current.breachedAt ? "declined, after the due time" : "declined in time";
  if (current.outcome === "closed") return current.breachedAt ? "closed without an answer, after the due time" : "closed before an answer was due";
  const overdue = Boolean(current.breachedAt);
  if (overdue || sla.dueToday || sla.workingDaysLeft > 0) return dueCountPhrase({ ...sla, overdue });
  return "not yet counting (today is not a Working Day)";
}

function outcomeOf(c: ClockView): string {
  if (c.outcome === "answered") return `answered ${formatDateTime(c.firstResponseAt!)}, ${c.respondedInTime ? "in time" : "late"}`;
  if (c.outcome === "reassigned") return `reassigned away ${formatDateTime(c.endedAt!)}${c.breachedAt ? ", after its due time passed without an Install Code (a breach)" : ", before its due time"}`;
  if (c.outcome === "declined") return `declined ${formatDateTime(c.endedAt!)}, ${c.breachedAt ? "after its due time (a breach)" : "in time"}`;
  if (c.outcome === "closed") return `request closed ${formatDateTime(c.endedAt!)}`;
  return c.breachedAt ? "no Install Code yet, past its due time" : "waiting for an Install Code";
}

export function ObligationDue({ request }: { request: RequestView }) {
  const { sla, dueExplanation: why } = request;
  const current = request.clocks.at(-1);
  const status = dueStatus(request);
  const late = Boolean(sla.breachedAt) && !(sla.current?.respondedInTime ?? false);
  return (
    <div className="space-y-1">
      {/* The same words as the emails: "by the end of Friday 4 December 2026 (3 Working Days left)". */}
      <p data-testid="due-line">
        <span data-testid="due">{formatDueBy(request.dueAt)}</span>
        {status ? (
          <>
            {" "}
            <strong data-testid="due-status" className={late ? "font-semibold text-red-800" : "font-semibold"}>
              ({status})
            </strong>
          </>
        ) : null}
      </p>
      {why && current ? (
        <details className="text-sm" data-testid="due-why">
          <summary className="cursor-pointer text-blue-700 underline">Why this day?</summary>
          <div className="mt-2 space-y-2">
            <p>
              Assigned to {current.organisation} on {formatDateTime(why.start)}.{" "}
              {why.startDayCounts
                ? "It was assigned on a Working Day before the cut-off, so that day counts as the first."
                : "The day of assignment does not count, whatever the time."}{" "}
              The {workingDays(why.counted.length)} counted are these; the answer is due {formatDueBy(why.dueAt)}, the last of them:
            </p>
            <ol className="list-decimal pl-6">
              {why.counted.map((d) => (
                <li key={`${d.year}-${d.month}-${d.day}`}>{formatShortDay(new Date(Date.UTC(d.year, d.month - 1, d.day, 12)))}</li>
              ))}
            </ol>
            {why.skipped.length > 0 ? (
              <p>
                Not counted:{" "}
                {why.skipped.map((s) => `${formatShortDay(new Date(Date.UTC(s.day.year, s.day.month - 1, s.day.day, 12)))} (${s.why})`).join(", ")}.
              </p>
            ) : null}
            <p>Working Days are every day except Saturdays, Sundays and bank holidays in England and Wales, in UK time.</p>
          </div>
        </details>
      ) : null}
    </div>
  );
}

/** The earlier assignees' clocks, when the request was reassigned. */
export function EarlierClocks({ clocks }: { clocks: ClockView[] }) {
  const earlier = clocks.slice(0, -1);
  if (earlier.length === 0) return null;
  return (
    <div className="text-sm" data-testid="earlier-clocks">
      <p className="font-medium">Earlier assignees</p>
      <ul className="list-disc pl-6">
        {earlier.map((c) => (
          <li key={c.startedAt.toISOString() + c.organisation}>
            {c.organisation}: assigned {formatDateTime(c.startedAt)}, due {formatDueBy(c.dueAt)}; {outcomeOf(c)}.
          </li>
        ))}
      </ul>
    </div>
  );
}

