import { randomUUID } from "node:crypto";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import type { RenderedEmail } from "../../emails/layout";

/**
 * The order in which due emails are sent (lower first, then oldest first): someone waiting to sign in
 * goes before everything, the emails that move a request on (assignment, answer, notes) before the
 * ones that only remind (SLA reminders and breach notices, reports), so that a bulk raise's thousands
 * of emails or a morning's reminders never hold up a sign-in link.
 */
export const EMAIL_PRIORITY = { SIGN_IN: 0, REQUEST: 1, REMINDER: 2 } as const;
/** What a notification is for (a SIGN_IN email is always SIGN_IN). */
export type EmailPurpose = "REQUEST" | "REMINDER";

/**
 * Queues an email in the caller's transaction: it is sent only if the change that caused it
 * commits, and it survives an SMTP outage (the dispatcher retries). Call kickDispatcher() after commit.
 * `about` links it to a request (or to the several requests it is about), whose timeline then shows
 * when it was sent. A SIGN_IN email's link is blanked once it is sent, or once it has expired
 * (lib/notifications/redact.ts). `purpose` sets its place in the sending order (EMAIL_PRIORITY).
 */
export async function queueEmail(
  tx: Tx,
  to: string,
  email: RenderedEmail,
  about?: string | readonly string[],
  kind: "SIGN_IN" | "NOTIFICATION" = "NOTIFICATION",
  purpose: EmailPurpose = "REQUEST",
): Promise<{ id: string }> {
  const many = typeof about === "object" && about.length > 1;
  const requestId = typeof about === "string" ? about : !many ? about?.[0] : undefined;
  const priority = EMAIL_PRIORITY[kind === "SIGN_IN" ? "SIGN_IN" : purpose];
  return tx.email.create({
    data: {
      to,
      kind,
      priority,
      subject: email.subject,
      html: email.html,
      text: email.text,
      requestId,
      requestIds: many ? [...about] : [],
      messageId: newMessageId(),
      ...(requestId ? await threadOf(tx, to, requestId) : {}),
    },
    select: { id: true },
  });
}

/** A Message-ID in the portal's own domain (APP_URL's host name). */
function newMessageId(): string {
  return `<${randomUUID()}@${new URL(env().appUrl).hostname}>`;
}

/**
 * The headers that thread one request's emails to one address in a mail client (Outlook, Gmail,
 * Thunderbird): In-Reply-To the previous one, References the first and the previous.
 */
async function threadOf(tx: Tx, to: string, requestId: string): Promise<{ inReplyTo?: string; threadReferences?: string }> {
  // A request's emails to one person are a handful: all of them, oldest first, in one indexed query.
  const earlier = await tx.email.findMany({
    where: { requestId, to, messageId: { not: null } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { messageId: true },
  });
  const first = earlier[0];
  const previous = earlier.at(-1);
  if (!first?.messageId || !previous?.messageId) return {};
  const references = first.messageId === previous.messageId ? first.messageId : `${first.messageId} ${previous.messageId}`;
  return { inReplyTo: previous.messageId, threadReferences: references };
}
