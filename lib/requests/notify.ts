import type { RenderedEmail } from "../../emails/layout";
import type { Tx } from "../db/transaction";
import { env } from "../env";
import { queueEmail } from "../notifications/outbox";
import { formatReference } from "./reference";

// Emails about a request, queued in the use case's transaction, each with an EMAIL_QUEUED event.

export function requestUrl(number: number): string {
  return `${env().appUrl}/requests/${formatReference(number)}`;
}

type Recipient = { email: string; organisationId: string };

async function queueFor(tx: Tx, requestId: string, recipients: Recipient[], email: RenderedEmail): Promise<number> {
  const seen = new Set<string>();
  for (const recipient of recipients) {
    if (seen.has(recipient.email)) continue;
    seen.add(recipient.email);
    await queueEmail(tx, recipient.email, email, requestId);
    await tx.requestEvent.create({
      data: { requestId, type: "EMAIL_QUEUED", organisationId: recipient.organisationId, detail: recipient.email },
    });
  }
  return seen.size;
}

/** Every person of an organisation (not the service accounts of its API keys, which have no mailbox). */
export async function emailOrganisation(tx: Tx, requestId: string, organisationId: string, email: RenderedEmail): Promise<number> {
  const users = await tx.user.findMany({ where: { organisationId, serviceAccount: false }, select: { email: true, organisationId: true } });
  return queueFor(tx, requestId, users, email);
}

/**
 * One user (the raiser). A request raised through an API key is its organisation's: its people are
 * told instead of the key's service account.
 */
export async function emailUser(tx: Tx, requestId: string, userId: string, email: RenderedEmail): Promise<number> {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, organisationId: true, serviceAccount: true } });
  if (user.serviceAccount) return emailOrganisation(tx, requestId, user.organisationId, email);
  return queueFor(tx, requestId, [user], email);
}
