import { withFooter, type RenderedEmail } from "../../emails/layout";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import type { EmailCategory } from "../notifications/categories";
import { queueEmail } from "../notifications/outbox";
import { organisationRecipients } from "../notifications/recipients";
import { insertEvents } from "./events";
import { formatReference } from "./reference";

// Emails about a request, queued in the use case's transaction, each with an EMAIL_QUEUED event.
// Requests belong to organisations: every email goes to an organisation, that is to its people who
// want that kind of email and to its team address (lib/notifications/recipients.ts), never to one
// user id that may since have moved. An email may be about several requests at once (a bulk raise's
// one email per organisation): then each of their timelines gets the EMAIL_QUEUED event.

export function requestUrl(number: number): string {
  return `${env().appUrl}/requests/${formatReference(number)}`;
}

/** The id of the request an email is about, or the ids of the several it is about. */
export type About = string | readonly string[];

/**
 * Queues `email` for the organisation's recipients of `category`, each with their own footer (why
 * they got it, how to change it). `except`: the person whose own action it reports. Returns how
 * many were queued (held for a digest or not).
 */
export async function emailOrganisation(
  tx: Tx,
  about: About | undefined,
  organisationId: string,
  email: RenderedEmail,
  category: EmailCategory,
  options: { except?: string } = {},
): Promise<number> {
  const recipients = await organisationRecipients(tx, organisationId, category, options);
  const requestIds = about === undefined ? [] : typeof about === "string" ? [about] : about;
  for (const recipient of recipients) {
    await queueEmail(tx, {
      to: recipient.to,
      email: withFooter(email, recipient.footer),
      category,
      about,
      organisationId,
      userId: recipient.userId,
      held: recipient.held,
    });
  }
  await insertEvents(
    tx,
    recipients.flatMap((recipient) => requestIds.map((requestId) => ({ requestId, type: "EMAIL_QUEUED" as const, organisationId, detail: recipient.to }))),
  );
  return recipients.length;
}
