import type { Prisma, PrismaClient } from "../db/generated/client";

// A sign-in email carries a one-time link: once it has left for the mail server (or, in the
// development mailbox, once it has expired) the portal's copy is blanked, so that a database reader
// or a backup cannot sign in as anyone.

export const REDACTED_TEXT = "[This sign-in link was removed from the portal's records once the email was sent or had expired.]";
const REDACTED_HTML = `<p>${REDACTED_TEXT}</p>`;

const redacted = (now: Date) => ({ text: REDACTED_TEXT, html: REDACTED_HTML, redactedAt: now });

type Client = Pick<PrismaClient, "email"> | Pick<Prisma.TransactionClient, "email">;

/** Blanks one sign-in email (after it was handed to the mail server). */
export async function redactSignInEmail(client: Client, id: string, now: Date = new Date()): Promise<void> {
  await client.email.updateMany({ where: { id, kind: "SIGN_IN", redactedAt: null }, data: redacted(now) });
}

/** How long an invitation's link works (lib/people/invitations.ts). */
export const INVITATION_DAYS = 7;
/** How long the link that confirms a new email address works (lib/people/email-change.ts). */
export const EMAIL_CHANGE_HOURS = 24;

/**
 * Blanks every email with a link older than the link's lifetime (the development mailbox's): a
 * sign-in link after `linkMinutes`, an invitation after INVITATION_DAYS, a new address's
 * confirmation after EMAIL_CHANGE_HOURS.
 */
export async function redactExpiredSignInEmails(client: Client, linkMinutes: number, now: Date = new Date()): Promise<number> {
  const before = new Date(now.getTime() - linkMinutes * 60_000);
  const invitationsBefore = new Date(now.getTime() - INVITATION_DAYS * 24 * 60 * 60_000);
  const emailChangesBefore = new Date(now.getTime() - EMAIL_CHANGE_HOURS * 60 * 60_000);
  const result = await client.email.updateMany({
    where: {
      kind: "SIGN_IN",
      redactedAt: null,
      OR: [
        { category: { notIn: ["INVITATION", "EMAIL_CHANGE"] }, createdAt: { lt: before } },
        { category: "INVITATION", createdAt: { lt: invitationsBefore } },
        { category: "EMAIL_CHANGE", createdAt: { lt: emailChangesBefore } },
      ],
    },
    data: redacted(now),
  });
  return result.count;
}
