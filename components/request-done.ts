// What the banner at the top of a request page says after an action led back to it
// (app/requests/actions.ts redirects with ?done=<one of these>). The words live here, not in the
// address: a link that names something else shows no banner.

export const REQUEST_DONE = ["note-added", "code-provided", "code-replaced", "closed", "withdrawn", "reassigned", "declined", "closed-not-possible"] as const;
export type RequestDone = (typeof REQUEST_DONE)[number];

type Parties = { raisingOrganisation: { name: string }; assignedOrganisation: { name: string } };

export function doneMessage(done: unknown, request: Parties): string | null {
  const raiser = request.raisingOrganisation.name;
  const assignee = request.assignedOrganisation.name;
  switch (done) {
    case "note-added":
      return "Your note was added to the timeline.";
    case "code-provided":
      return `Install Code saved. ${raiser} has been told by email (without the code).`;
    case "code-replaced":
      return `Install Code replaced. ${raiser} has been told by email (without the code) and can read your reason on this page.`;
    case "closed":
      return "Request closed. It can no longer be changed.";
    case "withdrawn":
      return `Request withdrawn. ${assignee} has been told by email that it need not provide the Install Code.`;
    case "reassigned":
      return `Request reassigned to ${assignee}, who has been emailed. Its five Working Days start now.`;
    case "declined":
      return `Request declined. The DCC Helpdesk will reassign it or close it as not possible; ${raiser} has been told by email.`;
    case "closed-not-possible":
      return `Request closed as not possible. ${raiser} has been told by email.`;
    default:
      return null;
  }
}
