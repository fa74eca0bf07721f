import { escapeHtml, htmlLayout, type RenderedEmail } from "./layout";
import { formatDueBy } from "../lib/sla/phrases";

// The obligation's reminder and breach emails (lib/sla/scheduler.ts). Like every email about a
// request: the reference in the subject, one link, why the reader gets it; never an Install Code,
// a note or a reassignment reason.

export type ReminderEmailInput = {
  reference: string;
  deviceId: string;
  raisingOrganisation: string;
  /** "by the end of Monday 9 November 2026 (2 Working Days left)" (lib/sla/phrases.ts's formatDueWithCount), as the request page says it. */
  due: string;
  url: string;
};

/** To the assigned organisation, the Working Day before its response is due. */
export function responseReminderEmail(input: ReminderEmailInput): RenderedEmail {
  const intro = `Request for Install Code ${input.reference} is still waiting for your organisation's response.`;
  const details = [
    `Reference: ${input.reference}`,
    `Device ID: ${input.deviceId}`,
    `Raised by: ${input.raisingOrganisation}`,
    `Respond ${input.due}`,
  ];
  const why = "You are receiving this because your organisation is assigned this request and has not yet provided the Install Code.";
  const ask = "Sign in to provide it:";
  return {
    subject: `${input.reference}: Install Code due ${input.due}`,
    text: [intro, "", ...details, "", why, "", ask, input.url].join("\n"),
    html: htmlLayout({
      title: `Reminder: ${input.reference} is due ${input.due}`,
      paragraphs: [escapeHtml(intro), details.map(escapeHtml).join("<br>"), escapeHtml(why)],
      action: { label: `Open ${input.reference}`, url: input.url },
    }),
  };
}

export type BreachAudience = "assignee" | "raiser" | "helpdesk";

export type BreachEmailInput = {
  audience: BreachAudience;
  reference: string;
  deviceId: string;
  assignedOrganisation: string;
  raisingOrganisation: string;
  dueAt: Date;
  url: string;
};

const BREACH_WHY: Record<BreachAudience, string> = {
  assignee: "You are receiving this because your organisation is assigned this request. The organisation that raised it and the DCC Helpdesk have been told.",
  raiser: "You are receiving this because your organisation raised this request. The DCC Helpdesk has been told and can follow it up.",
  helpdesk: "You are receiving this because the DCC Helpdesk oversees the Working Day obligation. Both Suppliers have been told.",
};

/** At the due time, to the assigned organisation, the raising organisation and the helpdesk. */
export function responseOverdueEmail(input: BreachEmailInput): RenderedEmail {
  const dueBy = formatDueBy(input.dueAt);
  const who = input.audience === "assignee" ? "Your organisation has" : `${input.assignedOrganisation} has`;
  const intro = `${who} not provided the Install Code for Request for Install Code ${input.reference}. It was due ${dueBy}.`;
  const details = [
    `Reference: ${input.reference}`,
    `Device ID: ${input.deviceId}`,
    `Raised by: ${input.raisingOrganisation}`,
    `Assigned to: ${input.assignedOrganisation}`,
  ];
  const ask = input.audience === "assignee" ? "Sign in to provide it now:" : "Sign in to see the request:";
  const why = BREACH_WHY[input.audience];
  return {
    subject: `${input.reference}: Install Code overdue (was due ${dueBy})`,
    text: [intro, "", ...details, "", why, "", ask, input.url].join("\n"),
    html: htmlLayout({
      title: `${input.reference}: Install Code overdue`,
      paragraphs: [escapeHtml(intro), details.map(escapeHtml).join("<br>"), escapeHtml(why)],
      action: { label: `Open ${input.reference}`, url: input.url },
    }),
  };
}
