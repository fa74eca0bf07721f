import { escapeHtml, htmlLayout, type RenderedEmail } from "./layout";

// An invitation to join an organisation (lib/people/invitations.ts). Its link is a secret that
// creates an account: the portal blanks its copy once sent, as it does a sign-in link's.

export type InvitationEmailInput = { organisation: string; invitedBy: string | null; role: string; url: string; days: number };

export function invitationEmail(input: InvitationEmailInput): RenderedEmail {
  const who = input.invitedBy ? `${input.invitedBy} has invited you` : "You have been invited";
  const intro = `${who} to join ${input.organisation} in the Install Code Request portal, as a ${input.role.toLowerCase()}.`;
  const what = "The portal is where Suppliers and the DCC Service Desk request and give the Install Codes of smart meters that changed supplier before they were commissioned (SECMP0121).";
  const expiry = `The link works for ${input.days} days. If you were not expecting this, you can ignore this email: no account is made unless you accept.`;
  return {
    subject: `Invitation to join ${input.organisation} in the Install Code Request portal`,
    text: [intro, "", what, "", "Accept the invitation:", input.url, "", expiry].join("\n"),
    html: htmlLayout({
      title: `Join ${input.organisation}`,
      paragraphs: [escapeHtml(intro), escapeHtml(what), escapeHtml(expiry)],
      action: { label: "Accept the invitation", url: input.url },
    }),
  };
}
