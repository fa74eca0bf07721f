import { DECLINE_REASONS, WITHDRAW_REASONS, type DeclineReasonCode, type WithdrawReasonCode } from "../lib/requests/schemas";

/** A listed reason as an email names it: never the words typed for "other" (they stay on the page). */
function listedReason(reasons: Record<string, string>, code: string): string {
  return code === "OTHER" ? "other (its words are on the request page)" : reasons[code].toLowerCase();
}
import { formatLongDay } from "../lib/sla/phrases";
import { escapeHtml, htmlLayout, type RenderedEmail } from "./layout";

// Emails about a request carry its reference, the Device ID, who did what, and a link. Never an
// Install Code, and never a note's body (a note could carry a code): the reader signs in to see them.

export type AssignedEmailInput = {
  reference: string;
  deviceId: string;
  raisingOrganisation: string;
  /** "by the end of Monday 13 April 2026 (5 Working Days left)": lib/sla/clock.ts's dueByPhrase, as the request page says it. */
  due: string;
  url: string;
  reassigned: boolean;
  /** The request was answered at once with the code the organisation lodged then: nothing to do. */
  answeredFromLodgedCode?: Date | null;
};

export function requestAssignedEmail(input: AssignedEmailInput): RenderedEmail {
  const how = input.reassigned ? "The DCC Helpdesk has reassigned to your organisation" : "Your organisation has been assigned";
  const lines = [
    `${how} a Request for Install Code.`,
    `Reference: ${input.reference}`,
    `Device ID: ${input.deviceId}`,
    `Raised by: ${input.raisingOrganisation}`,
    ...(input.answeredFromLodgedCode ? [] : [`Respond ${input.due}`]),
  ];
  const ask = input.answeredFromLodgedCode
    ? `It was answered at once with the Install Code your organisation lodged for this Device on ${formatLongDay(input.answeredFromLodgedCode)}: there is nothing to do. To see it:`
    : input.reassigned
      ? "Sign in to provide the Device's Install Code:"
      : "Your organisation pre-notified this Device. Sign in to provide its Install Code:";
  return {
    subject: `${input.reference}: Install Code requested for Device ${input.deviceId}`,
    text: [...lines, "", ask, input.url].join("\n"),
    html: htmlLayout({
      title: `Install Code requested: ${input.reference}`,
      paragraphs: [
        escapeHtml(lines[0]),
        lines.slice(1).map(escapeHtml).join("<br>"),
        escapeHtml(ask.replace(/:$/, ".")),
      ],
      action: { label: `Open ${input.reference}`, url: input.url },
    }),
  };
}

export type UpdatedEmailInput = {
  reference: string;
  deviceId: string;
  /** e.g. "Southfield Power added a note" */
  what: string;
  url: string;
};

export function requestUpdatedEmail(input: UpdatedEmailInput): RenderedEmail {
  return {
    subject: `${input.reference} updated: ${input.what}`,
    text: [
      `${input.what} on Request for Install Code ${input.reference} (Device ${input.deviceId}).`,
      "",
      "Sign in to see it:",
      input.url,
    ].join("\n"),
    html: htmlLayout({
      title: `${input.reference} updated`,
      paragraphs: [escapeHtml(`${input.what} on Request for Install Code ${input.reference} (Device ${input.deviceId}).`)],
      action: { label: `Open ${input.reference}`, url: input.url },
    }),
  };
}

export type ReassignedAwayEmailInput = { reference: string; deviceId: string; newAssignee: string };

/** To the previous assignee: no link, since the request is no longer theirs to open. */
export function requestReassignedAwayEmail(input: ReassignedAwayEmailInput): RenderedEmail {
  const line = `The DCC Helpdesk reassigned Request for Install Code ${input.reference} (Device ${input.deviceId}) to ${input.newAssignee}.`;
  const after = "Your organisation no longer needs to respond to it.";
  return {
    subject: `${input.reference} reassigned to ${input.newAssignee}`,
    text: [line, after].join("\n\n"),
    html: htmlLayout({ title: `${input.reference} reassigned`, paragraphs: [escapeHtml(line), escapeHtml(after)] }),
  };
}

export type ListedRequest = { reference: string; deviceId: string };

export type BulkRaisedEmailInput = {
  raisingOrganisation: string;
  /** New requests assigned to the recipient's organisation by this bulk raise. */
  assigned: ListedRequest[];
  /** Due time of every one of them (one bulk raise, one time of raising), as dueByPhrase says it. */
  due: string;
  /** Requests already open (and assigned to the recipient) to which a row of the file added a note. */
  notesAdded: ListedRequest[];
  /** The recipient's list of requests. */
  listUrl: string;
};

const listed = (requests: ListedRequest[]) => requests.map((r) => `${r.reference}  Device ${r.deviceId}`);
const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;

/**
 * One email per assigned organisation for a whole bulk raise (lib/requests/bulk-raise.ts), listing
 * the references instead of one email each. Never a note's body.
 */
export function requestsRaisedInBulkEmail(input: BulkRaisedEmailInput): RenderedEmail {
  const requests = plural(input.assigned.length, "Request for Install Code", "Requests for Install Code");
  const sections: { heading: string; lines: string[] }[] = [];
  if (input.assigned.length > 0) {
    sections.push({
      heading: `${input.raisingOrganisation} raised ${requests} for Devices your organisation pre-notified, and your organisation has been assigned them. Respond ${input.due}.`,
      lines: listed(input.assigned),
    });
  }
  if (input.notesAdded.length > 0) {
    sections.push({
      heading: `${input.raisingOrganisation} added a note to ${plural(input.notesAdded.length, "request", "requests")} already assigned to your organisation:`,
      lines: listed(input.notesAdded),
    });
  }
  const ask = input.assigned.length > 0 ? "Sign in to provide their Install Codes:" : "Sign in to read the notes:";
  const subject =
    input.assigned.length > 0
      ? `${requests} assigned to your organisation by ${input.raisingOrganisation}`
      : `${input.raisingOrganisation} added notes to ${plural(input.notesAdded.length, "request", "requests")}`;
  return {
    subject,
    text: [...sections.flatMap((s) => [s.heading, "", ...s.lines, ""]), ask, input.listUrl].join("\n"),
    html: htmlLayout({
      title: subject,
      paragraphs: [...sections.flatMap((s) => [escapeHtml(s.heading), s.lines.map(escapeHtml).join("<br>")]), escapeHtml(ask.replace(/:$/, "."))],
      action: { label: "Open your requests", url: input.listUrl },
    }),
  };
}

export type DeclinedEmailInput = {
  reference: string;
  deviceId: string;
  /** The organisation that declined. */
  assignee: string;
  /** One of the listed reasons: the email names it, never the decliner's words for "other". */
  reason: DeclineReasonCode;
  url: string;
};

/**
 * To the raiser: the assigned Supplier says the Device is not its to answer for. The listed reason is
 * named; the decliner's own words (for "other") stay on the request page, as a note's body does.
 */
export function requestDeclinedEmail(input: DeclinedEmailInput): RenderedEmail {
  const reason = listedReason(DECLINE_REASONS, input.reason);
  const line = `${input.assignee} declined Request for Install Code ${input.reference} (Device ${input.deviceId}). Reason given: ${reason}.`;
  const next = "The DCC Helpdesk will reassign the request to another Supplier or close it as not possible; you will be told either way.";
  return {
    subject: `${input.reference} declined by ${input.assignee}`,
    text: [line, "", next, "", "Sign in to see it:", input.url].join("\n"),
    html: htmlLayout({
      title: `${input.reference} declined`,
      paragraphs: [escapeHtml(line), escapeHtml(next)],
      action: { label: `Open ${input.reference}`, url: input.url },
    }),
  };
}

export type WithdrawnEmailInput = {
  reference: string;
  deviceId: string;
  /** The organisation that raised and withdrew it. */
  raiser: string;
  /** One of the listed reasons: the email names it, never the raiser's words for "other". */
  reason: WithdrawReasonCode;
  url: string;
};

/** To the assignee: the raiser withdrew the request before any Install Code was given; nothing more is asked. */
export function requestWithdrawnEmail(input: WithdrawnEmailInput): RenderedEmail {
  const reason = listedReason(WITHDRAW_REASONS, input.reason);
  const line = `${input.raiser} withdrew Request for Install Code ${input.reference} (Device ${input.deviceId}). Reason given: ${reason}.`;
  const next = "Your organisation need not provide the Install Code: the request is closed.";
  return {
    subject: `${input.reference} withdrawn by ${input.raiser}`,
    text: [line, "", next, "", "Sign in to see it:", input.url].join("\n"),
    html: htmlLayout({
      title: `${input.reference} withdrawn`,
      paragraphs: [escapeHtml(line), escapeHtml(next)],
      action: { label: `Open ${input.reference}`, url: input.url },
    }),
  };
}

export type ClosedNotPossibleEmailInput = { reference: string; deviceId: string; url: string };

/** To the raiser: the helpdesk closed a declined request as not possible. Its reason is on the page, not here. */
export function requestClosedNotPossibleEmail(input: ClosedNotPossibleEmailInput): RenderedEmail {
  const line = `The DCC Helpdesk closed Request for Install Code ${input.reference} (Device ${input.deviceId}) as not possible: no Supplier can provide its Install Code through the portal.`;
  const why = "Sign in to read the helpdesk's reason:";
  return {
    subject: `${input.reference} closed as not possible`,
    text: [line, "", why, input.url].join("\n"),
    html: htmlLayout({
      title: `${input.reference} closed as not possible`,
      paragraphs: [escapeHtml(line), escapeHtml(why.replace(/:$/, "."))],
      action: { label: `Open ${input.reference}`, url: input.url },
    }),
  };
}
