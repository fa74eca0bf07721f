// Emails are plain functions: short, text-first messages with a small HTML twin. See
// docs/decisions/004-emails-as-plain-functions.md. Never put an Install Code or a note body in one.

export type RenderedEmail = { subject: string; html: string; text: string };

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Where withFooter puts the recipient's footer in an htmlLayout page. */
const FOOTER_MARK = "<!--recipient-footer-->";

/**
 * Adds, for one recipient, why they got the email and how to change it (emails/footer.ts), below the
 * message in both parts. The same rendered email goes to several people with different footers.
 */
export function withFooter(email: RenderedEmail, lines: readonly string[]): RenderedEmail {
  if (lines.length === 0) return email;
  const html = lines.map((line) => `<p style="font-size:13px;color:#4b5563">${escapeHtml(line)}</p>`).join("\n");
  return {
    subject: email.subject,
    text: `${email.text}\n\n--\n${lines.join("\n")}`,
    html: email.html.includes(FOOTER_MARK) ? email.html.replace(FOOTER_MARK, () => html) : email.html,
  };
}

/** Wraps paragraphs (already escaped HTML) and an optional call to action in one simple page. */
export function htmlLayout(opts: { title: string; paragraphs: string[]; action?: { label: string; url: string } }): string {
  const action = opts.action
    ? `<p><a href="${escapeHtml(opts.action.url)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(opts.action.label)}</a></p>
<p style="font-size:13px;color:#4b5563">Or open this address: ${escapeHtml(opts.action.url)}</p>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(opts.title)}</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#111827;line-height:1.5;max-width:600px;margin:0 auto;padding:24px">
<h1 style="font-size:20px">${escapeHtml(opts.title)}</h1>
${opts.paragraphs.map((p) => `<p>${p}</p>`).join("\n")}
${action}
${FOOTER_MARK}
<p style="font-size:13px;color:#4b5563">Install Code Request portal (SECMP0121)</p>
</body></html>`;
}
