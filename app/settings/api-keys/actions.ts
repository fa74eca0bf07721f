"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { createApiKeyFor, revokeApiKeyFor } from "@/lib/api-keys/manage-keys";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";

// The API keys page's actions: parse the form, call one use case (lib/api-keys/manage-keys.ts).
// A new key travels only in the answer to the POST that created it (Next sends server actions'
// answers with Cache-Control: no-store): never in a URL, a redirect, a log line or the page's cache.

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export type CreateApiKeyState = FormState & { created?: { key: string; prefix: string; name: string } };

export async function createApiKeyAction(_prev: CreateApiKeyState, form: FormData): Promise<CreateApiKeyState> {
  const actor = await requireActor();
  const values = { name: field(form, "name") };
  try {
    const { key, summary } = await createApiKeyFor(actor, values);
    revalidatePath("/settings/api-keys");
    return { ok: true, message: `API key ${summary.prefix} created`, created: { key, prefix: summary.prefix, name: summary.name } };
  } catch (error) {
    return formStateFromError(error, values);
  }
}

export async function revokeApiKeyAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  let prefix: string;
  try {
    prefix = (await revokeApiKeyFor(actor, { prefix: field(form, "prefix") })).prefix;
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath("/settings/api-keys");
  redirect(`/settings/api-keys?revoked=${prefix}`);
}
