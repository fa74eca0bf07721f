"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { EMAIL_PREFERENCE_FIELDS } from "@/lib/notifications/categories";
import { setTeamEmail, updateEmailPreferences } from "@/lib/notifications/preferences";

// Server actions of /settings/notifications: parse the form, call one use case, report.

export async function updateEmailPreferencesAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const input = Object.fromEntries(EMAIL_PREFERENCE_FIELDS.map((f) => [f, form.get(f) === "on"]));
  try {
    await updateEmailPreferences(actor, input);
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath("/settings/notifications");
  return { ok: true, message: "Your email choices are saved" };
}

export async function setTeamEmailAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const value = form.get("teamEmail");
  const teamEmail = typeof value === "string" ? value : "";
  try {
    const saved = await setTeamEmail(actor, { teamEmail });
    revalidatePath("/settings/notifications");
    return { ok: true, message: saved.teamEmail ? `Team address saved: ${saved.teamEmail}` : "Team address removed", values: { teamEmail: saved.teamEmail ?? "" } };
  } catch (error) {
    return formStateFromError(error, { teamEmail });
  }
}
