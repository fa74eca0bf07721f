"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { requestEmailChange } from "@/lib/people/email-change";
import { signOutEverywhere, updateOwnName } from "@/lib/people/people";

// Server actions of /profile: the signed-in person's own name, email address and sessions.

export async function updateOwnNameAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const name = form.get("name");
  const values = { name: typeof name === "string" ? name : "" };
  try {
    await updateOwnName(actor, values);
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath("/", "layout");
  return { ok: true, message: "Your name is saved" };
}

export async function requestEmailChangeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const newEmail = form.get("newEmail");
  const values = { newEmail: typeof newEmail === "string" ? newEmail : "" };
  try {
    const requested = await requestEmailChange(actor, values);
    return { ok: true, message: `We have sent a link to ${requested.newEmail}: open it to confirm. Until then you sign in with ${actor.email}.` };
  } catch (error) {
    return formStateFromError(error, values);
  }
}

export async function signOutEverywhereAction(): Promise<FormState> {
  const actor = await requireActor();
  try {
    await signOutEverywhere(actor);
  } catch (error) {
    return formStateFromError(error);
  }
  redirect("/sign-in?signedOut=1");
}
