import { escapeHtml, htmlLayout, type RenderedEmail } from "./layout";
import type { EmailCategory } from "../lib/db/generated/enums";

// The daily digest (lib/notifications/digest.ts): the subjects of the emails a person chose to get
// once a day, grouped by kind, and one link. Subjects carry references and what happened, never a
// code, a note or a reason, so the digest does not either.

export type DigestItem = { category: EmailCategory; subject: string };

const HEADINGS: Partial<Record<EmailCategory, string>> = {
  ANSWER: "Answers and progress of your organisation's requests",
  NOTE: "Notes",
  REMINDER: "Reminders",
  REPORT: "Reports",
};

export function dailyDigestEmail(input: { organisation: string; items: readonly DigestItem[]; listUrl: string }): RenderedEmail {
  const count = input.items.length;
  const subject = `Your daily digest: ${count.toLocaleString("en-GB")} ${count === 1 ? "update" : "updates"} on ${input.organisation}'s Install Code requests`;
  const sections = Object.entries(HEADINGS).flatMap(([category, heading]) => {
    const lines = input.items.filter((i) => i.category === category).map((i) => i.subject);
    return lines.length > 0 ? [{ heading: `${heading} (${lines.length})`, lines }] : [];
  });
  const intro = `Since your last digest, ${count === 1 ? "this happened" : "these happened"} on ${input.organisation}'s Requests for Install Code:`;
  const ask = "Sign in to see them:";
  return {
    subject,
    text: [intro, "", ...sections.flatMap((s) => [s.heading, ...s.lines.map((l) => `- ${l}`), ""]), ask, input.listUrl].join("\n"),
    html: htmlLayout({
      title: "Your daily digest",
      paragraphs: [escapeHtml(intro), ...sections.map((s) => `<strong>${escapeHtml(s.heading)}</strong><br>${s.lines.map(escapeHtml).join("<br>")}`)],
      action: { label: "Open your requests", url: input.listUrl },
    }),
  };
}
