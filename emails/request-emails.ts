import { escapeHtml, htmlLayout, type RenderedEmail } from "./layout";

// Emails about a request carry its reference, the Device ID, who did what, and a link. Never an
// Install Code, and never a note's body (a note could carry a code): the reader signs in to see them.

export type AssignedEmailInput = {
  reference: string;
  deviceId: string;
  raisingOrganisation: string;
  due: string;
  url: string;
  reassigned: boolean;
};

export function requestAssignedEmail(input: AssignedEmailInput): RenderedEmail {
  const how = input.reassigned ? "The DCC Helpdesk has reassigned to your organisation" : "Your organisation has been assigned";
  const lines = [
    `${how} a Request for Install Code.`,
    `Reference: ${input.reference}`,
    `Device ID: ${input.deviceId}`,
    `Raised by: ${input.raisingOrganisation}`,
    `Respond by: ${input.due}`,
  ];
  const ask = input.reassigned
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
