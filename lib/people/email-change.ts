import { z } from "zod";
import { hashLinkToken, newLinkToken } from "./link-token";
import type { Actor } from "../auth/actor";
import { recordAudit, setAuditActor } from "../audit/record";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import { transaction, type Tx } from "../db/transaction";
import { env } from "../env";
import { AppError, validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { queueEmail } from "../notifications/outbox";
import { EMAIL_CHANGE_HOURS } from "../notifications/redact";
import { emailChangedNotice, emailChangeEmail } from "../../emails/email-change-emails";

// A person changes their own email address (issue 11): the link to confirm goes to the new address,
// and the address changes only when it is confirmed (a POST from the page, never on GET: mail
// scanners open links), within EMAIL_CHANGE_HOURS. Only a SHA-256 of the link's token is kept. The
// User trigger ends the person's sessions and writes USER_CHANGED; the old address is told.
// Both emails are SIGN_IN emails: sent first, and the link blanked once sent.

export { EMAIL_CHANGE_HOURS };

export const requestEmailChangeSchema = z.object({
  newEmail: z
    .string({ error: "Enter your new email address" })
    .trim()
    .toLowerCase()
    .min(1, "Enter your new email address")
    .max(254, "The address can be at most 254 characters")
    .refine((v) => z.email().safeParse(v).success, "Enter an email address like name@example.co.uk"),
});
export type RequestEmailChangeInput = z.input<typeof requestEmailChangeSchema>;

const TAKEN = "This address belongs to another account";

export function emailChangeUrl(token: string): string {
  return `${env().appUrl}/profile/confirm-email?token=${encodeURIComponent(token)}`;
}

/** Whether any account but `userId`'s has the address, removed or not (a removed person may be invited back). */
async function addressTaken(tx: Tx, address: string, userId: string): Promise<boolean> {
  const owner = await tx.user.findUnique({ where: { email: address }, select: { id: true } });
  return owner !== null && owner.id !== userId;
}

/**
 * Emails a link to confirm `newEmail` to that address; the signed-in person's address is unchanged
 * until it is confirmed. A new request replaces an open one (its link stops working).
 */
export async function requestEmailChange(actor: Actor, input: RequestEmailChangeInput, options: { now?: Date } = {}): Promise<{ newEmail: string }> {
  const { newEmail } = validate(requestEmailChangeSchema, input);
  const now = options.now ?? clockNow();
  const result = await transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: actor.userId }, select: { id: true, email: true, name: true, removedAt: true, serviceAccount: true } });
    if (!user || user.removedAt || user.serviceAccount) throw AppError.notFound("Not found");
    if (newEmail === user.email) throw AppError.validation({ newEmail: [`${newEmail} is already your email address`] });
    if (await addressTaken(tx, newEmail, user.id)) throw AppError.validation({ newEmail: [TAKEN] });
    await tx.emailChange.updateMany({ where: { userId: user.id, confirmedAt: null, revokedAt: null }, data: { revokedAt: now } });
    const { token, tokenHash } = newLinkToken();
    await tx.emailChange.create({
      data: { userId: user.id, newEmail, tokenHash, createdAt: now, expiresAt: new Date(now.getTime() + EMAIL_CHANGE_HOURS * 60 * 60_000) },
    });
    // To the address as typed, with no organisation or person: the dispatcher must not re-address it to the current one.
    await queueEmail(tx, {
      to: newEmail,
      email: emailChangeEmail({ name: user.name, organisation: actor.organisationName, oldEmail: user.email, newEmail, url: emailChangeUrl(token), hours: EMAIL_CHANGE_HOURS }),
      category: "EMAIL_CHANGE",
    });
    await recordAudit(tx, { type: "EMAIL_CHANGE_REQUESTED", actor, subject: newEmail, detail: `from ${user.email}`, at: now });
    return { newEmail };
  });
  kickDispatcher();
  return result;
}

export type EmailChangeView =
  | { state: "open"; oldEmail: string; newEmail: string; name: string }
  | { state: "confirmed" | "expired" | "unknown"; message: string };

const UNKNOWN = "This link is not valid: it may have been replaced by a newer request. Ask for the change again on your profile page";

/** What the confirmation page shows for a token (nothing about anyone for an unknown one). */
export async function emailChangeByToken(token: string, options: { now?: Date } = {}): Promise<EmailChangeView> {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return { state: "unknown", message: UNKNOWN };
  const now = options.now ?? clockNow();
  const change = await db().emailChange.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: { newEmail: true, expiresAt: true, confirmedAt: true, revokedAt: true, user: { select: { email: true, name: true, removedAt: true, organisation: { select: { suspendedAt: true } } } } },
  });
  // A removed person, or one of a suspended organisation, cannot act: their link is as good as unknown.
  if (!change || change.revokedAt || change.user.removedAt || change.user.organisation.suspendedAt) return { state: "unknown", message: UNKNOWN };
  if (change.confirmedAt) return { state: "confirmed", message: "This link has been used: sign in with your new email address" };
  if (change.expiresAt <= now) {
    return { state: "expired", message: `This link expired on ${change.expiresAt.toISOString().slice(0, 10)}. Ask for the change again on your profile page` };
  }
  return { state: "open", oldEmail: change.user.email, newEmail: change.newEmail, name: change.user.name };
}

/**
 * Confirms a change: the person's address becomes the new one, every session of theirs ends (the
 * User trigger, which also writes USER_CHANGED) and the old address is told. Refused, changing
 * nothing, when the link is unknown, replaced, used or expired, or the address has meanwhile been taken.
 */
export async function confirmEmailChange(token: string, options: { now?: Date; clientAddress?: string | null } = {}): Promise<{ email: string }> {
  const now = options.now ?? clockNow();
  const view = await emailChangeByToken(token, { now });
  if (view.state !== "open") throw new AppError("CONFLICT", view.message);
  const result = await transaction(async (tx) => {
    const [change] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "EmailChange" WHERE "tokenHash" = ${hashLinkToken(token)} AND "confirmedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now}::timestamptz FOR UPDATE`;
    if (!change) throw new AppError("CONFLICT", "This link has just been used or replaced: sign in, or ask for the change again on your profile page");
    const row = await tx.emailChange.findUniqueOrThrow({
      where: { id: change.id },
      select: { newEmail: true, user: { select: { id: true, email: true, name: true, role: true, administrator: true, removedAt: true, organisation: { select: { id: true, code: true, name: true, kind: true } } } } },
    });
    const { user } = row;
    if (user.removedAt) throw new AppError("CONFLICT", UNKNOWN);
    if (await addressTaken(tx, row.newEmail, user.id)) throw new AppError("CONFLICT", `${row.newEmail} now belongs to another account: ask for the change again with another address`);
    // The person themselves, by the link: the trigger's USER_CHANGED names them as the actor.
    await setAuditActor(tx, {
      userId: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      organisationId: user.organisation.id,
      organisationCode: user.organisation.code,
      organisationName: user.organisation.name,
      organisationKind: user.organisation.kind,
      administrator: user.administrator,
      clientAddress: options.clientAddress ?? null,
    });
    try {
      await tx.user.update({ where: { id: user.id }, data: { email: row.newEmail, emailVerified: now } });
    } catch (error) {
      // Taken by a concurrent change between the check and the update: the unique index has the last word.
      if ((error as { code?: string }).code === "P2002") throw new AppError("CONFLICT", `${row.newEmail} now belongs to another account: ask for the change again with another address`);
      throw error;
    }
    // A sign-in link already emailed to the old address must not outlive it.
    await tx.$executeRaw`DELETE FROM "VerificationToken" WHERE identifier = ${user.email}`;
    await tx.emailChange.update({ where: { id: change.id }, data: { confirmedAt: now } });
    await queueEmail(tx, { to: user.email, email: emailChangedNotice({ oldEmail: user.email, newEmail: row.newEmail }), category: "SIGN_IN" });
    return { email: row.newEmail };
  });
  kickDispatcher();
  return result;
}
