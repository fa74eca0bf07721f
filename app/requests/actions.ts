"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { addNote } from "@/lib/requests/add-note";
import { closeRequest } from "@/lib/requests/close-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";

// Server actions: parse the form, call one use case, report. The rules live in lib/requests; the
// same zod schemas validate here and in the REST API to come.

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function refresh(reference: string) {
  revalidatePath(`/requests/${reference}`);
  revalidatePath("/requests");
}

export async function raiseRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const values = { deviceId: field(form, "deviceId"), note: field(form, "note") };
  let destination: string;
  try {
    const result = await raiseRequest(actor, values);
    destination = `/requests/${result.reference}?${result.created ? "raised" : result.noteAdded ? "existing=1&noteAdded" : "existing"}=1`;
  } catch (error) {
    return formStateFromError(error, values);
  }
  revalidatePath("/requests");
  redirect(destination);
}

export async function addNoteAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { body: field(form, "body") };
  try {
    await addNote(actor, { reference, body: values.body });
  } catch (error) {
    return formStateFromError(error, values);
  }
  refresh(reference);
  return { ok: true, message: "Note added" };
}

export async function provideInstallCodeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  try {
    await provideInstallCode(actor, { reference, installCode: field(form, "installCode") });
  } catch (error) {
    // The typed value is kept only on the user's own screen (it never leaves the form state).
    return formStateFromError(error, { installCode: field(form, "installCode") });
  }
  refresh(reference);
  return { ok: true, message: "Install Code saved. The raising Supplier has been told by email (without the code)." };
}

export type RevealState = FormState & { installCode?: string };

export async function revealInstallCodeAction(_prev: RevealState, form: FormData): Promise<RevealState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  try {
    const { installCode } = await revealInstallCode(actor, { reference, codeId: field(form, "codeId") });
    refresh(reference);
    return { ok: true, installCode };
  } catch (error) {
    return formStateFromError(error);
  }
}

export async function closeRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  try {
    await closeRequest(actor, { reference });
  } catch (error) {
    return formStateFromError(error);
  }
  refresh(reference);
  return { ok: true, message: "Request closed" };
}

export async function reassignRequestAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const reference = field(form, "reference");
  const values = { organisationCode: field(form, "organisationCode"), reason: field(form, "reason") };
  try {
    await reassignRequest(actor, { reference, ...values });
  } catch (error) {
    return formStateFromError(error, values);
  }
  refresh(reference);
  return { ok: true, message: "Request reassigned" };
}
