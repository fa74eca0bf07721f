"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { InviteCsvState } from "@/components/people-forms";
import type { Actor } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { invitePeopleFromCsv, invitePerson, withdrawInvitation } from "@/lib/people/invitations";
import { organisationFor } from "@/lib/people/organisations";
import { changeRole, removePerson, signOutEverywhere } from "@/lib/people/people";

// Server actions of /settings/users: parse the form, call one use case, report. The rules (who may
// manage whom, the last administrator, one organisation a person) live in lib/people/.

const PATH = "/settings/users";
const CSV_MAX_BYTES = 1024 * 1024;

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/** The organisation the form is about: ?organisation=<code> (a helpdesk administrator's), or the actor's own. */
async function organisationIdOf(actor: Actor, form: FormData): Promise<string> {
  const code = field(form, "organisation").trim();
  return code ? (await organisationFor(actor, code)).id : actor.organisationId;
}

function pagePath(form: FormData, query: Record<string, string> = {}): string {
  const code = field(form, "organisation").trim();
  const params = new URLSearchParams({ ...(code ? { organisation: code.slice(0, 16) } : {}), ...query });
  const search = params.toString();
  return search ? `${PATH}?${search}` : PATH;
}

export async function invitePersonAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = { email: field(form, "email"), name: field(form, "name"), administrator: form.get("administrator") === "on" ? "on" : "" };
  try {
    const organisationId = await organisationIdOf(actor, form);
    await invitePerson(actor, organisationId, { email: values.email, name: values.name, administrator: values.administrator === "on" });
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath(PATH);
  return { ok: true, message: `Invitation sent to ${values.email.trim().toLowerCase()}` };
}

export async function invitePeopleFromCsvAction(_prev: InviteCsvState, form: FormData): Promise<InviteCsvState> {
  const actor = await requireActor();
  const file = form.get("file");
  const refused = (message: string): InviteCsvState => ({ ok: false, message, fieldErrors: { file: [message] } });
  if (!(file instanceof File) || (file.size === 0 && !file.name)) return refused("Choose a CSV file to upload");
  if (file.size > CSV_MAX_BYTES) return refused("The file is larger than 1 MB: split it into smaller files");
  try {
    const organisationId = await organisationIdOf(actor, form);
    const rows = await invitePeopleFromCsv(actor, organisationId, await file.text());
    revalidatePath(PATH);
    const invited = rows.filter((r) => r.outcome === "invited").length;
    return { ok: true, message: `${invited} invited, ${rows.length - invited} refused`, rows };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function changeRoleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    const person = await changeRole(actor, { userId: field(form, "userId"), administrator: field(form, "administrator") === "true" });
    revalidatePath(PATH);
    return { ok: true, message: `${person.name} is now ${person.administrator ? "an administrator" : "no longer an administrator"}: they were signed out and sign in again with their new role` };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function signOutPersonAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const userId = field(form, "userId");
  try {
    const count = await signOutEverywhere(actor, { userId: userId || "none" });
    revalidatePath(PATH);
    return { ok: true, message: `${count} session${count === 1 ? "" : "s"} ended: their browsers are signed out on their next request` };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function withdrawInvitationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await withdrawInvitation(actor, { invitationId: field(form, "invitationId") });
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath(PATH);
  return { ok: true, message: "Invitation withdrawn: its link no longer works" };
}

export async function removePersonAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const userId = field(form, "userId");
  try {
    await removePerson(actor, { userId });
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath(PATH);
  redirect(pagePath(form, { removed: userId }));
}
