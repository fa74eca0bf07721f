import type { TimelineEntry as TimelineItem } from "@/lib/requests/view-request";
import { formatDateTime } from "./format";

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
    case "EMAIL_QUEUED":
      return `Email queued to ${e.organisation ?? "a user"}`;
    case "EMAIL_SENT":
      return `Email sent to ${e.organisation ?? "a user"}`;
    case "EMAIL_FAILED":
      return `Email to ${e.organisation ?? "a user"} could not be delivered: the DCC Service Desk can see it and send it again`;
    case "INSTALL_CODE_ERASED":
      return `Install Code erased${e.detail ? ` ${e.detail} day${e.detail === "1" ? "" : "s"} after the request was closed` : ""}: the portal does not keep Install Codes of closed requests`;
    default:
      return e.type;
  }
}

export function RequestTimeline({ events }: { events: TimelineItem[] }) {
  return (
    <ol className="space-y-3 border-l-2 border-slate-300 pl-4" data-testid="timeline">
      {events.map((e) => (
        <li key={e.id}>
          <p className="text-sm text-slate-700">
            <time dateTime={e.at.toISOString()}>{formatDateTime(e.at)}</time>
          </p>
          <p>{describe(e)}</p>
          {e.note !== null ? (
            // React escapes the text; whitespace-pre-wrap keeps the author's line breaks.
            <blockquote className="mt-1 whitespace-pre-wrap rounded border border-slate-200 bg-white p-3" data-testid="note-body">
              {e.note}
            </blockquote>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
