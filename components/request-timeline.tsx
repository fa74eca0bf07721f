import { foldTimeline, summariseEmails, type EmailDelivery } from "@/lib/requests/timeline";
import type { TimelineEntry as TimelineItem } from "@/lib/requests/view-request";
import { formatDateTime } from "./format";

// The request's timeline: what people did, each with the emails it caused folded in ("Raised by … —
// Southfield Power emailed"), their times on demand, and an email that could not be delivered in
// plain sight. How an email finds its cause: lib/requests/timeline.ts.

function who(e: TimelineItem): string {
  if (!e.actorName) return "The portal";
  return e.actorOrganisation ? `${e.actorName} (${e.actorOrganisation})` : e.actorName;
}

function describe(e: TimelineItem): string {
  switch (e.type) {
    case "RAISED":
      return `Raised by ${who(e)}`;
    case "ASSIGNED":
      return `Assigned to ${e.organisation}, the Supplier that pre-notified the Device`;
    case "REASSIGNED":
      return `Reassigned to ${e.organisation} by ${who(e)}${e.detail ? `. Reason: ${e.detail}` : ""}`;
    case "NOTE_ADDED":
      return `Note from ${who(e)}`;
    case "INSTALL_CODE_PROVIDED":
      // An answer at raise time from a code lodged in advance: "lodged on <day> by <organisation>"
      // (lib/install-code/answer-from-lodged-code.ts); otherwise a detail means a replacement.
      if (e.detail?.startsWith("lodged on ")) return `Answered at once: the Install Code was ${e.detail}`;
      // A replacement's detail: "replaced the Install Code" and, since replacing asks why, ". Reason: …".
      if (e.detail?.startsWith("replaced the Install Code")) return `${who(e)} ${e.detail}`;
      return `${who(e)} ${e.detail ? "replaced" : "provided"} the Install Code`;
    case "INSTALL_CODE_REVEALED":
      return `${who(e)} revealed the Install Code`;
    case "CLOSED":
      return `Closed by ${who(e)}`;
    case "WITHDRAWN":
      return `Withdrawn by ${who(e)} before any Install Code was given. Reason: ${e.detail ?? "not given"}`;
    case "DECLINED":
      return `${who(e)} declined the request: not their Device to answer for. Reason: ${e.detail ?? "not given"}`;
    case "CLOSED_NOT_POSSIBLE":
      return `Closed as not possible by ${who(e)}. Reason: ${e.detail ?? "not given"}`;
    case "BREACHED":
      return `${e.organisation ?? "The assigned Supplier"} did not provide the Install Code within the five Working Days`;
    case "INSTALL_CODE_ERASED":
      return `Install Code erased${e.detail ? ` ${e.detail} day${e.detail === "1" ? "" : "s"} after the request was closed` : ""}: the portal does not keep Install Codes of closed requests`;
    default:
      return e.type;
  }
}

const recipient = (organisation: string | null) => organisation ?? "a user";

/** "Southfield Power", "Southfield Power and Northwind Energy", "A, B and C". */
function names(organisations: (string | null)[]): string {
  const all = organisations.map(recipient);
  return all.length <= 1 ? all.join("") : `${all.slice(0, -1).join(", ")} and ${all.at(-1)}`;
}

/** "Southfield Power emailed", "email to Eastgate Gas & Power waiting to be sent". */
function emailedPhrase(emailed: (string | null)[], waiting: (string | null)[]): string {
  return [
    emailed.length > 0 ? `${names(emailed)} emailed` : null,
    waiting.length > 0 ? `email to ${names(waiting)} waiting to be sent` : null,
  ]
    .filter(Boolean)
    .join("; ");
}

function deliveryLine(d: EmailDelivery): string {
  const steps = [
    d.queuedAt ? `queued ${formatDateTime(d.queuedAt)}` : null,
    d.failedAt ? `could not be delivered ${formatDateTime(d.failedAt)}` : null,
    d.sentAt ? `${d.failedAt ? "sent again and delivered" : "sent"} ${formatDateTime(d.sentAt)}` : null,
    !d.sentAt && !d.failedAt ? "not sent yet" : null,
  ].filter(Boolean);
  return `To ${recipient(d.organisation)}: ${steps.join(", ")}`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function RequestTimeline({ events }: { events: TimelineItem[] }) {
  return (
    <ol className="space-y-3 border-l-2 border-slate-300 pl-4" data-testid="timeline">
      {foldTimeline(events).map((entry) => {
        const { emailed, waiting, undelivered } = summariseEmails(entry.emails);
        const emails = emailedPhrase(emailed, waiting);
        const what = entry.event ? describe(entry.event) : "";
        return (
          <li key={entry.id}>
            <p className="text-sm text-slate-700">
              <time dateTime={entry.at.toISOString()}>{formatDateTime(entry.at)}</time>
            </p>
            {what || emails ? <p>{what && emails ? `${what} — ${emails}` : what || capitalised(emails)}</p> : null}
            {undelivered.map((organisation) => (
              <p key={organisation ?? ""} className="font-medium text-red-800" data-testid="timeline-email-failed">
                Email to {recipient(organisation)} could not be delivered: the DCC Service Desk can see it and send it again
              </p>
            ))}
            {entry.event?.note != null ? (
              // React escapes the text; whitespace-pre-wrap keeps the author's line breaks.
              <blockquote className="mt-1 whitespace-pre-wrap rounded border border-slate-200 bg-white p-3" data-testid="note-body">
                {entry.event.note}
              </blockquote>
            ) : null}
            {entry.emails.length > 0 ? (
              <details className="mt-1 text-sm" data-testid="timeline-emails">
                <summary className="cursor-pointer text-blue-700 underline">
                  Email details ({entry.emails.length} {entry.emails.length === 1 ? "email" : "emails"})
                </summary>
                <ul className="mt-1 list-disc pl-6">
                  {entry.emails.map((d, i) => (
                    <li key={i}>{deliveryLine(d)}</li>
                  ))}
                </ul>
              </details>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
