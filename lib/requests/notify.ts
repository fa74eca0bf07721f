import type { RenderedEmail } from "../../emails/layout";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import { queueEmail, type EmailPurpose } from "../notifications/outbox";
import { insertEvents } from "./events";
import { formatReference } from "./reference";

// Emails about a request, queued in the use case's transaction, each with an EMAIL_QUEUED event.
// An email may be about several requests at once (a bulk raise's one email per organisation): then
// each of their timelines gets the EMAIL_QUEUED event.

export function requestUrl(number: number): string {
  return `${env().appUrl}/requests/${formatReference(number)}`;
}

type Recipient = { email: string; organisationId: string };
/** The id of the request an email is about, or the ids of the several it is about. */
export type About = string | readonly string[];

async function queueFor(tx: Tx, about: About, recipients: Recipient[], email: RenderedEmail, purpose: EmailPurpose): Promise<number> {
  const requestIds = typeof about === "string" ? [about] : about;
  const unique = [...new Map(recipients.map((r) => [r.email, r])).values()];
  for (const recipient of unique) await queueEmail(tx, recipient.email, email, about, "NOTIFICATION", purpose);
  await insertEvents(
    tx,
    unique.flatMap((recipient) => requestIds.map((requestId) => ({ requestId, type: "EMAIL_QUEUED" as const, organisationId: recipient.organisationId, detail: recipient.email }))),
  );
  return unique.length;
}

/**
 * Every person of an organisation (not the service accounts of its API keys, which have no mailbox).
 * `purpose` REMINDER for reminders and breach notices: they are sent after the request emails.
 */
export async function emailOrganisation(tx: Tx, about: About, organisationId: string, email: RenderedEmail, purpose: EmailPurpose = "REQUEST"): Promise<number> {
  const users = await tx.user.findMany({ where: { organisationId, serviceAccount: false }, select: { email: true, organisationId: true } });
  return queueFor(tx, about, users, email, purpose);
}

/**
 * One user (the raiser). A request raised through an API key is its organisation's: its people are
 * told instead of the key's service account.
 */
export async function emailUser(tx: Tx, about: About, userId: string, email: RenderedEmail): Promise<number> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, organisationId: true, serviceAccount: true } });
  if (user.serviceAccount) return emailOrganisation(tx, about, user.organisationId, email);
  return queueFor(tx, about, [user], email, "REQUEST");
}
