import { escapeHtml, htmlLayout, type RenderedEmail } from "./layout";

// A person's change of their own email address (lib/people/email-change.ts): the link to confirm it
// goes to the new address (a secret: blanked once sent, like a sign-in link); once it is confirmed,
// a notice without any link goes to the old address.

export type EmailChangeEmailInput = { name: string; organisation: string; oldEmail: string; newEmail: string; url: string; hours: number };

export function emailChangeEmail(input: EmailChangeEmailInput): RenderedEmail {
  const intro = `${input.name} (${input.organisation}) asked to use ${input.newEmail} instead of ${input.oldEmail} to sign in to the Install Code Request portal.`;
  const nothing = `Nothing changes unless you confirm: until then they sign in with ${input.oldEmail}. The link works for ${input.hours} hours. If you were not expecting this, you can ignore this email.`;
  return {
    subject: "Confirm your new email address for the Install Code Request portal",
    text: [intro, "", "Confirm the new address:", input.url, "", nothing].join("\n"),
    html: htmlLayout({
      title: "Confirm your new email address",
      paragraphs: [escapeHtml(intro), escapeHtml(nothing)],
      action: { label: "Confirm the new address", url: input.url },
    }),
  };
}

export function emailChangedNotice(input: { oldEmail: string; newEmail: string }): RenderedEmail {
  const changed = `Your email address for the Install Code Request portal was changed to ${input.newEmail}. From now on you sign in with it, and the portal's emails go there; every session that was open has been signed out.`;
  const notYou = "If this was not you, tell your organisation's administrator.";
  return {
    subject: "Your email address for the Install Code Request portal was changed",
    text: [changed, "", notYou].join("\n"),
    html: htmlLayout({ title: "Your email address was changed", paragraphs: [escapeHtml(changed), escapeHtml(notYou)] }),
  };
}
