"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { createOrganisation, renameOrganisation, setOrganisationSuspended } from "@/lib/people/organisations";

// Server actions of /admin/organisations: parse the form, call one use case, report. The rules (only
// the helpdesk's administrators; "not found" for anyone else) live in lib/people.

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

const pageOf = (code: string) => `/admin/organisations/${encodeURIComponent(code)}`;

/** Onboards a Supplier, then back to the list, which names it and says to invite its first administrator. */
export async function createOrganisationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = { code: field(form, "code"), name: field(form, "name"), teamEmail: field(form, "teamEmail") };
  let code: string;
  try {
    code = (await createOrganisation(actor, values)).code;
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath("/admin/organisations");
  redirect(`/admin/organisations?created=${encodeURIComponent(code)}`);
}

export async function renameOrganisationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = { code: field(form, "code"), name: field(form, "name") };
  try {
    const renamed = await renameOrganisation(actor, values);
    revalidatePath("/admin/organisations");
    revalidatePath(pageOf(renamed.code));
    return { ok: true, message: `Renamed to ${renamed.name}` };
  } catch (error) {
    return formStateFromError(error, values);
  }
}

async function setSuspended(form: FormData, suspended: boolean): Promise<FormState> {
  const actor = await requireActor();
  let code: string;
  try {
    code = (await setOrganisationSuspended(actor, { code: field(form, "code"), suspended })).code;
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath("/admin/organisations");
  redirect(`${pageOf(code)}?${suspended ? "suspended" : "reinstated"}=1`);
}

/** Suspends a Supplier: offered only after the page's confirmation (?suspend=1) has said what follows. */
export async function suspendOrganisationAction(_prev: FormState, form: FormData): Promise<FormState> {
  return setSuspended(form, true);
}

export async function reinstateOrganisationAction(_prev: FormState, form: FormData): Promise<FormState> {
  return setSuspended(form, false);
}
