import { escapeHtml, htmlLayout, type RenderedEmail } from "./layout";

// The monthly obligation report is ready: a link only, no figures (the report is the helpdesk's,
// and an email is easily forwarded).

export type ReportReadyEmailInput = {
  /** "November 2026" */
  month: string;
  /** "five Working Days": the rule's, when the report was generated. */
  within: string;
  url: string;
};

export function obligationReportReadyEmail(input: ReportReadyEmailInput): RenderedEmail {
  const ready = `The Install Code obligation report for ${input.month} is ready.`;
  const what = `It shows, for each installing Supplier, the requests received in the month, how many were answered within ${input.within}, answered late or still unanswered at the end of the month, and the median time to a first response. It is kept unchanged from now on.`;
  return {
    subject: `Install Code obligation report for ${input.month} is ready`,
    text: [ready, "", what, "", "Sign in to read it, print it or download it as CSV:", input.url].join("\n"),
    html: htmlLayout({
      title: `Obligation report: ${input.month}`,
      paragraphs: [escapeHtml(ready), escapeHtml(what)],
      action: { label: `Open the report for ${input.month}`, url: input.url },
    }),
  };
}
