"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { signOutEverywhere, updateOwnName } from "@/lib/people/people";

// Server actions of /profile: the signed-in person's own name and sessions.

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

export async function signOutEverywhereAction(): Promise<FormState> {
  const actor = await requireActor();
  try {
    await signOutEverywhere(actor);
  } catch (error) {
    return formStateFromError(error);
  }
  redirect("/sign-in?signedOut=1");
}
