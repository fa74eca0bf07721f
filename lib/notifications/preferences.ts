import { z } from "zod";
import type { Actor } from "../auth/actor";
import { setAuditActor } from "../audit/record";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { validate } from "../errors";
import { assertCanManageSettings } from "../people/permissions";
import { EMAIL_PREFERENCE_FIELDS, type EmailPreferences } from "./categories";

// Settings → Email notifications (/settings/notifications): a person's own switches, and their
// organisation's team address. Any person of the organisation may set the team address for now
// (issue 11 keeps it to administrators); the change is in the audit log (the Organisation trigger).

export type EmailSettings = EmailPreferences & { teamEmail: string | null; helpdesk: boolean };

export async function emailSettingsFor(actor: Actor): Promise<EmailSettings> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { emailAnswers: true, emailNotes: true, emailReminders: true, emailReports: true, emailDigest: true, organisation: { select: { teamEmail: true, kind: true } } },
  });
  const { organisation, ...preferences } = user;
  return { ...preferences, teamEmail: organisation.teamEmail, helpdesk: organisation.kind === "HELPDESK" };
}

/** A form's checkbox: present ("on") or absent; the API may send booleans. */
const checkbox = z.union([z.boolean(), z.literal("on"), z.literal("true"), z.literal("false"), z.literal("")]).optional().transform((v) => v === true || v === "on" || v === "true");

export const emailPreferencesSchema = z.object(Object.fromEntries(EMAIL_PREFERENCE_FIELDS.map((f) => [f, checkbox])) as Record<keyof EmailPreferences, typeof checkbox>);
export type EmailPreferencesInput = z.input<typeof emailPreferencesSchema>;

/** Saves the person's switches (every one of them: an absent checkbox is off). */
export async function updateEmailPreferences(actor: Actor, input: EmailPreferencesInput): Promise<EmailPreferences> {
  const preferences = validate(emailPreferencesSchema, input);
  await db().user.update({ where: { id: actor.userId }, data: preferences });
  return preferences;
}

export const TEAM_EMAIL_MAX = 254;

export const teamEmailSchema = z.object({
  teamEmail: z
    .string({ error: "Enter the team's email address, or leave it empty for none" })
    .trim()
    .max(TEAM_EMAIL_MAX, `The address can be at most ${TEAM_EMAIL_MAX} characters`)
    .transform((v) => v.toLowerCase())
    .refine((v) => v === "" || z.email().safeParse(v).success, "Enter an email address like operations@example.co.uk, or leave it empty for none")
    .transform((v) => (v === "" ? null : v)),
});

/** Sets (or, empty, removes) the organisation's team address. */
export async function setTeamEmail(actor: Actor, input: { teamEmail?: unknown }): Promise<{ teamEmail: string | null }> {
  assertCanManageSettings(actor, "change the team address");
  const { teamEmail } = validate(teamEmailSchema, input);
  await transaction(async (tx) => {
    await setAuditActor(tx, actor);
    await tx.organisation.update({ where: { id: actor.organisationId }, data: { teamEmail } });
  });
  return { teamEmail };
}
