import { randomUUID } from "node:crypto";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import type { RenderedEmail } from "../../emails/layout";
import { CATEGORY_PRIORITY, type EmailCategory } from "./categories";

/** One email for one address (lib/notifications/recipients.ts says who). */
export type OutgoingEmail = {
  to: string;
  email: RenderedEmail;
  /** Sets its place in the sending order (CATEGORY_PRIORITY) and whether it can be turned off. */
  category: EmailCategory;
  /** The request it is about, or the several requests (a bulk raise's, a digest's). */
  about?: string | readonly string[];
  /** The organisation the recipient is emailed as (a member of, or its team address). */
  organisationId?: string;
  /** The person, when it is for one. */
  userId?: string | null;
  /** Kept for the person's daily digest instead of being sent (lib/notifications/digest.ts). */
  held?: boolean;
};

/**
 * Queues an email in the caller's transaction: it is sent only if the change that caused it
 * commits, and it survives an SMTP outage (the dispatcher retries). Call kickDispatcher() after commit.
 * `about` links it to a request (or to the several requests it is about), whose timeline then shows
 * when it was sent; an email about one request threads with the earlier ones to the same address.
 * A SIGN_IN email's link is blanked once it is sent, or once it has expired (lib/notifications/redact.ts).
 */
export async function queueEmail(tx: Tx, message: OutgoingEmail): Promise<{ id: string }> {
  const { to, email, about, category } = message;
  // A digest lists its requests, however few: it is not part of any one request's thread.
  const many = typeof about === "object" && (about.length > 1 || category === "DIGEST");
  const requestId = typeof about === "string" ? about : !many ? about?.[0] : undefined;
  return tx.email.create({
    data: {
      to,
      // An invitation's link is a secret like a sign-in link's: blanked once sent (lib/notifications/redact.ts).
      kind: category === "SIGN_IN" || category === "INVITATION" || category === "EMAIL_CHANGE" ? "SIGN_IN" : "NOTIFICATION",
      category,
      priority: CATEGORY_PRIORITY[category],
      status: message.held ? "HELD" : "PENDING",
      organisationId: message.organisationId,
      userId: message.userId ?? undefined,
      subject: oneLine(email.subject),
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

/**
 * A subject is one header line: a line break or other control character in a name it carries
 * (an organisation's, say) becomes a space, so it can never start another header.
 */
export function oneLine(subject: string): string {
  return subject.replace(/[\u0000-\u001F\u007F\u2028\u2029]+/g, " ").trim();
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
    // Only those that went or will go out on their own: not those held for (or carried by) a digest, or cancelled.
    where: { requestId, to, messageId: { not: null }, status: { in: ["PENDING", "SENT", "FAILED"] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { messageId: true },
  });
  const first = earlier[0];
  const previous = earlier.at(-1);
  if (!first?.messageId || !previous?.messageId) return {};
  const references = first.messageId === previous.messageId ? first.messageId : `${first.messageId} ${previous.messageId}`;
  return { inReplyTo: previous.messageId, threadReferences: references };
}
