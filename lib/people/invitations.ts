import { isUuid } from "../db/text-and-ids";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { hashLinkToken, newLinkToken } from "./link-token";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import { transaction, type Tx } from "../db/transaction";
import { env } from "../env";
import { AppError, validate } from "../errors";
import { kickDispatcher } from "../notifications/dispatcher";
import { queueEmail } from "../notifications/outbox";
import { INVITATION_DAYS } from "../notifications/redact";
import { invitationEmail } from "../../emails/invitation-emails";
import { assertCanManage, OPERATOR, personOf, roleLabel, type ActingAs } from "./permissions";

// Invitations (issue 11): an administrator invites a person by email; the account exists once they
// accept through the emailed link, before it expires (INVITATION_DAYS). Only a SHA-256 of the
// link's token is kept. An address that already has an account with another organisation is
// refused; a person removed from an organisation may be invited again (by it or by another).

export const INVITE_CSV_MAX_ROWS = 500;
const NAME_MAX = 100;

const email = z
  .string({ error: "Enter the person's email address" })
  .trim()
  .toLowerCase()
  .max(254, "The address can be at most 254 characters")
  .refine((v) => z.email().safeParse(v).success, "Enter an email address like name@example.co.uk");

const personName = z
  .string({ error: "Enter the person's name" })
  .trim()
  .min(1, "Enter the person's name")
  .max(NAME_MAX, `The name can be at most ${NAME_MAX} characters`)
  .refine((v) => !/[\u0000-\u001F\u007F]/.test(v), "The name cannot contain control characters such as line breaks");

export const inviteSchema = z.object({ email, name: personName, administrator: z.boolean().default(false) });
export type InviteInput = z.input<typeof inviteSchema>;

export function invitationUrl(token: string): string {
  return `${env().appUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
}

type Organisation = { id: string; name: string; kind: "SUPPLIER" | "HELPDESK"; suspendedAt: Date | null };

/** Why `email` cannot be invited to `organisation`, or null. */
async function invitationProblem(tx: Tx, organisation: Organisation, address: string): Promise<string | null> {
  if (organisation.suspendedAt) return `${organisation.name} is suspended: reinstate it before inviting anyone`;
  const existing = await tx.user.findUnique({ where: { email: address }, select: { organisationId: true, removedAt: true, serviceAccount: true } });
  if (!existing || existing.removedAt) return null;
  if (existing.organisationId === organisation.id) return `${address} is already a member of ${organisation.name}`;
  return `${address} already has an account with another organisation: a person belongs to one organisation. Ask that organisation's administrator to remove them first`;
}

async function inviteOne(tx: Tx, actingAs: ActingAs, organisation: Organisation, input: z.output<typeof inviteSchema>, now: Date): Promise<{ id: string }> {
  const actor = personOf(actingAs);
  const { token, tokenHash } = newLinkToken();
  // A new invitation to the same address replaces any open one of this organisation's.
  await tx.invitation.updateMany({ where: { organisationId: organisation.id, email: input.email, acceptedAt: null, revokedAt: null }, data: { revokedAt: now } });
  const invitation = await tx.invitation.create({
    data: {
      email: input.email,
      name: input.name,
      administrator: input.administrator,
      organisationId: organisation.id,
      tokenHash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_DAYS * 24 * 60 * 60_000),
      invitedById: actor?.userId ?? null,
    },
    select: { id: true },
  });
  const role = roleLabel({ role: organisation.kind === "HELPDESK" ? "HELPDESK" : "SUPPLIER_USER", administrator: input.administrator });
  await queueEmail(tx, {
    to: input.email,
    email: invitationEmail({ organisation: organisation.name, invitedBy: actor ? `${actor.name} (${actor.organisationName})` : null, role, url: invitationUrl(token), days: INVITATION_DAYS }),
    category: "INVITATION",
  });
  await recordAudit(tx, { type: "USER_INVITED", actor, subject: input.email, detail: `to ${organisation.name} as ${role.toLowerCase()}`, at: now });
  return invitation;
}

async function organisationToStaff(tx: Tx, actor: ActingAs, organisationId: string): Promise<Organisation> {
  if (actor !== OPERATOR) assertCanManage(actor, "people:invite", organisationId);
  if (!isUuid(organisationId)) throw AppError.notFound("Not found");
  const organisation = await tx.organisation.findUnique({ where: { id: organisationId }, select: { id: true, name: true, kind: true, suspendedAt: true } });
  if (!organisation) throw AppError.notFound("Not found");
  return organisation;
}

/** Invites one person to `organisationId` (the actor's own, or any for a helpdesk administrator). */
export async function invitePerson(actor: ActingAs, organisationId: string, input: InviteInput, options: { now?: Date } = {}): Promise<{ id: string }> {
  const invite = validate(inviteSchema, input);
  const now = options.now ?? clockNow();
  const result = await transaction(async (tx) => {
    const organisation = await organisationToStaff(tx, actor, organisationId);
    const problem = await invitationProblem(tx, organisation, invite.email);
    if (problem) throw AppError.validation({ email: [problem] }, problem);
    return inviteOne(tx, actor, organisation, invite, now);
  });
  kickDispatcher();
  return result;
}

export type InviteRowResult = { row: number; email: string; outcome: "invited" | "refused"; reason?: string };

const ROLE_WORDS = new Map<string, boolean>([
  ["", false],
  ["user", false],
  ["member", false],
  ["analyst", false],
  ["administrator", true],
  ["admin", true],
]);

/**
 * Invites from a CSV of email,name,role (role: "user" or "administrator", empty for user), header
 * first. Each row is answered on its own; good rows are invited even when others are refused.
 */
export async function invitePeopleFromCsv(actor: Actor, organisationId: string, csv: string, options: { now?: Date } = {}): Promise<InviteRowResult[]> {
  const now = options.now ?? clockNow();
  let records: string[][];
  try {
    records = parse(csv.replace(/^\uFEFF/, ""), { skip_empty_lines: true, trim: true, relax_column_count: true, relax_quotes: true }) as string[][];
  } catch {
    throw AppError.validation({ file: ["This is not a CSV file: save it from your spreadsheet as CSV UTF-8 and upload that"] });
  }
  const [header, ...rows] = records;
  const columns = (header ?? []).map((h) => h.trim().toLowerCase());
  if (columns[0] !== "email" || columns[1] !== "name" || (columns.length > 2 && columns[2] !== "role")) {
    throw AppError.validation({ file: ["The first line must be the header email,name,role (role: user or administrator)"] });
  }
  if (rows.length === 0) throw AppError.validation({ file: ["The file has a header but no people: one email,name,role a line"] });
  if (rows.length > INVITE_CSV_MAX_ROWS) throw AppError.validation({ file: [`At most ${INVITE_CSV_MAX_ROWS} people a file: this one has ${rows.length}`] });
  const results: InviteRowResult[] = [];
  const seen = new Set<string>();
  await transaction(async (tx) => {
    const organisation = await organisationToStaff(tx, actor, organisationId);
    for (const [index, record] of rows.entries()) {
      const row = index + 1;
      const [rawEmail = "", rawName = "", rawRole = ""] = record;
      const administrator = ROLE_WORDS.get(rawRole.trim().toLowerCase());
      const parsed = inviteSchema.safeParse({ email: rawEmail, name: rawName, administrator: administrator ?? false });
      const shown = rawEmail.trim().slice(0, 254);
      if (administrator === undefined) {
        results.push({ row, email: shown, outcome: "refused", reason: `The role must be user or administrator, not "${rawRole.slice(0, 40)}"` });
      } else if (!parsed.success) {
        results.push({ row, email: shown, outcome: "refused", reason: parsed.error.issues.map((i) => i.message).join("; ") });
      } else if (seen.has(parsed.data.email)) {
        results.push({ row, email: parsed.data.email, outcome: "refused", reason: "This address is on an earlier line of the file" });
      } else {
        seen.add(parsed.data.email);
        const problem = await invitationProblem(tx, organisation, parsed.data.email);
        if (problem) results.push({ row, email: parsed.data.email, outcome: "refused", reason: problem });
        else {
          await inviteOne(tx, actor, organisation, parsed.data, now);
          results.push({ row, email: parsed.data.email, outcome: "invited" });
        }
      }
    }
  }, { timeoutMs: 60_000 });
  if (results.some((r) => r.outcome === "invited")) kickDispatcher();
  return results;
}

/** Withdraws an open invitation (its link stops working). */
export async function withdrawInvitation(actor: Actor, input: { invitationId: string }, options: { now?: Date } = {}): Promise<void> {
  const id = String(input.invitationId ?? "");
  if (!isUuid(id)) throw AppError.notFound("No such invitation");
  await transaction(async (tx) => {
    const invitation = await tx.invitation.findUnique({ where: { id }, select: { id: true, organisationId: true, email: true, acceptedAt: true, revokedAt: true, organisation: { select: { name: true } } } });
    if (!invitation) throw AppError.notFound("No such invitation");
    try {
      assertCanManage(actor, "people:invite", invitation.organisationId);
    } catch {
      throw AppError.notFound("No such invitation");
    }
    if (invitation.acceptedAt || invitation.revokedAt) throw new AppError("CONFLICT", "This invitation was already accepted or withdrawn");
    const at = options.now ?? clockNow();
    await tx.invitation.update({ where: { id }, data: { revokedAt: at } });
    await recordAudit(tx, { type: "INVITATION_WITHDRAWN", actor, subject: invitation.email, detail: `to ${invitation.organisation.name}`, at });
  });
}

export type InvitationView =
  | { state: "open"; organisation: string; email: string; name: string; role: string }
  | { state: "accepted" | "expired" | "unknown"; message: string };

const UNKNOWN = "This invitation link is not valid: it may have been replaced by a newer invitation or withdrawn. Ask your administrator to invite you again";

/** What the invitation page shows for a token (nothing about anyone for an unknown one). */
export async function invitationByToken(token: string, options: { now?: Date } = {}): Promise<InvitationView> {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return { state: "unknown", message: UNKNOWN };
  const now = options.now ?? clockNow();
  const invitation = await db().invitation.findUnique({
    where: { tokenHash: hashLinkToken(token) },
    select: { email: true, name: true, administrator: true, expiresAt: true, acceptedAt: true, revokedAt: true, organisation: { select: { name: true, kind: true, suspendedAt: true } } },
  });
  if (!invitation || invitation.revokedAt || invitation.organisation.suspendedAt) return { state: "unknown", message: UNKNOWN };
  if (invitation.acceptedAt) return { state: "accepted", message: "This invitation has been accepted: sign in with your email address" };
  if (invitation.expiresAt <= now) return { state: "expired", message: `This invitation expired on ${invitation.expiresAt.toISOString().slice(0, 10)}. Ask your administrator to invite you again` };
  const role = roleLabel({ role: invitation.organisation.kind === "HELPDESK" ? "HELPDESK" : "SUPPLIER_USER", administrator: invitation.administrator });
  return { state: "open", organisation: invitation.organisation.name, email: invitation.email, name: invitation.name, role };
}

/**
 * Accepts an invitation: the account is created (or a removed person's account returns, in this
 * organisation), and the person then signs in with their address. Refused, changing nothing, when the
 * link is unknown, withdrawn, used, expired, or the address has meanwhile joined another organisation.
 */
export async function acceptInvitation(token: string, options: { now?: Date; clientAddress?: string | null } = {}): Promise<{ email: string }> {
  const now = options.now ?? clockNow();
  const view = await invitationByToken(token, { now });
  if (view.state !== "open") throw new AppError("CONFLICT", view.message);
  return transaction(async (tx) => {
    const [invitation] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Invitation" WHERE "tokenHash" = ${hashLinkToken(token)} AND "acceptedAt" IS NULL AND "revokedAt" IS NULL AND "expiresAt" > ${now}::timestamptz FOR UPDATE`;
    if (!invitation) throw new AppError("CONFLICT", "This invitation has just been used or withdrawn: sign in, or ask your administrator to invite you again");
    const row = await tx.invitation.findUniqueOrThrow({ where: { id: invitation.id }, select: { email: true, name: true, administrator: true, organisation: { select: { id: true, name: true, kind: true, suspendedAt: true } } } });
    const problem = await invitationProblem(tx, row.organisation, row.email);
    if (problem) throw new AppError("CONFLICT", problem);
    const role = row.organisation.kind === "HELPDESK" ? "HELPDESK" : "SUPPLIER_USER";
    const data = {
      name: row.name,
      role,
      administrator: row.administrator,
      organisationId: row.organisation.id,
      organisationKind: row.organisation.kind,
      removedAt: null,
      emailVerified: now,
    } as const;
    const user = await tx.user.upsert({ where: { email: row.email }, create: { email: row.email, ...data }, update: data, select: { id: true, email: true } });
    await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: now } });
    await recordAudit(tx, {
      type: "INVITATION_ACCEPTED",
      actor: null,
      clientAddress: options.clientAddress ?? null,
      subject: user.email,
      detail: `joined ${row.organisation.name}`,
      at: now,
    });
    return { email: user.email };
  });
}
