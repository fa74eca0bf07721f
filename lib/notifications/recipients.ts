import type { Tx } from "../db/transaction";
import type { PrismaClient } from "../db/client";
import { env } from "../env";
import { recipientFooter } from "../../emails/footer";
import { EMAIL_PREFERENCE_FIELDS, heldForDigest, isAlwaysSent, wants, type EmailCategory, type EmailPreferences } from "./categories";

// Who gets an organisation's emails (docs/decisions/024-email-recipients.md): its people who want
// that kind of email, and its team address if it has one, which gets every one. Decided when the
// email is queued, and checked again when it is sent (currentAddresses): a person who has left the
// organisation, or turned that kind of email off, in between is not emailed.

export type Recipient = {
  to: string;
  organisationId: string;
  /** Null for the team address. */
  userId: string | null;
  /** Waits for the person's daily digest. */
  held: boolean;
  /** Why they get it and how to change it (emails/footer.ts). */
  footer: string[];
};

export function notificationSettingsUrl(): string {
  return `${env().appUrl}/settings/notifications`;
}

const PREFERENCES = Object.fromEntries(EMAIL_PREFERENCE_FIELDS.map((f) => [f, true])) as Record<keyof EmailPreferences, true>;

/**
 * The recipients of one organisation's email of `category`, one per address (an address that is both
 * a person's and the team address gets the team's copy: every email, once). `except`: the person
 * whose own action it reports (a note's author is not told of their own note).
 */
export async function organisationRecipients(tx: Tx, organisationId: string, category: EmailCategory, options: { except?: string } = {}): Promise<Recipient[]> {
  const organisation = await tx.organisation.findUniqueOrThrow({
    where: { id: organisationId },
    select: {
      name: true,
      teamEmail: true,
      suspendedAt: true,
      users: { where: { serviceAccount: false, removedAt: null }, select: { id: true, email: true, ...PREFERENCES }, orderBy: { email: "asc" } },
    },
  });
  // A suspended organisation's people cannot sign in to act on an email: none is sent to it.
  if (organisation.suspendedAt) return [];
  const settingsUrl = notificationSettingsUrl();
  const byAddress = new Map<string, Recipient>();
  for (const user of organisation.users) {
    if (user.id === options.except || !wants(user, category)) continue;
    byAddress.set(user.email.toLowerCase(), {
      to: user.email,
      organisationId,
      userId: user.id,
      held: heldForDigest(user, category),
      footer: recipientFooter({ recipient: "person", organisation: organisation.name, category, alwaysSent: isAlwaysSent(category), settingsUrl }),
    });
  }
  if (organisation.teamEmail) {
    byAddress.set(organisation.teamEmail.toLowerCase(), {
      to: organisation.teamEmail,
      organisationId,
      userId: null,
      held: false,
      footer: recipientFooter({ recipient: "team", organisation: organisation.name, settingsUrl }),
    });
  }
  return [...byAddress.values()];
}

type Addressed = { id: string; to: string; category: EmailCategory; organisationId: string | null; userId: string | null };
export type CurrentAddress = { to: string } | { cancel: string };

/**
 * Where each email goes now: the person's current address while they are still in the organisation
 * it was addressed to and still want that kind of email; the organisation's current team address.
 * Otherwise a reason not to send it. Sign-in links (no organisation) go where they were addressed.
 */
export async function currentAddresses(client: PrismaClient | Tx, emails: readonly Addressed[]): Promise<Map<string, CurrentAddress>> {
  const userIds = [...new Set(emails.flatMap((e) => (e.userId ? [e.userId] : [])))];
  const teamOf = [...new Set(emails.flatMap((e) => (e.organisationId && !e.userId ? [e.organisationId] : [])))];
  const [users, organisations] = await Promise.all([
    userIds.length
      ? client.user.findMany({
          where: { id: { in: userIds } },
          select: { id: true, email: true, organisationId: true, serviceAccount: true, removedAt: true, organisation: { select: { suspendedAt: true } }, ...PREFERENCES },
        })
      : [],
    teamOf.length ? client.organisation.findMany({ where: { id: { in: teamOf } }, select: { id: true, teamEmail: true, suspendedAt: true } }) : [],
  ]);
  const user = new Map(users.map((u) => [u.id, u]));
  const team = new Map(organisations.map((o) => [o.id, o]));
  const result = new Map<string, CurrentAddress>();
  for (const email of emails) {
    if (!email.organisationId) {
      result.set(email.id, { to: email.to });
    } else if (email.userId) {
      const person = user.get(email.userId);
      if (!person || person.serviceAccount || person.removedAt || person.organisationId !== email.organisationId) {
        result.set(email.id, { cancel: "Not sent: the person is no longer in the organisation it was addressed to." });
      } else if (person.organisation.suspendedAt) {
        result.set(email.id, { cancel: "Not sent: the organisation is suspended." });
      } else if (!wants(person, email.category)) {
        result.set(email.id, { cancel: "Not sent: the person turned this kind of email off." });
      } else {
        result.set(email.id, { to: person.email });
      }
    } else {
      const organisation = team.get(email.organisationId);
      if (organisation?.suspendedAt) result.set(email.id, { cancel: "Not sent: the organisation is suspended." });
      else result.set(email.id, organisation?.teamEmail ? { to: organisation.teamEmail } : { cancel: "Not sent: the organisation no longer has a team address." });
    }
  }
  return result;
}
