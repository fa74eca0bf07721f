"use server";

import { revalidatePath } from "next/cache";
import type { CreateWebhookState } from "@/components/webhook-forms";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { createWebhookEndpoint, deleteWebhookEndpoint } from "@/lib/webhooks/endpoints";

// Server actions of /settings/webhooks: parse the form, call one use case, report. The rules live in
// lib/webhooks/endpoints.ts, whose zod schemas the REST API can share.

function field(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function createWebhookEndpointAction(_prev: CreateWebhookState, form: FormData): Promise<CreateWebhookState> {
  const actor = await requireActor();
  const events = form.getAll("events").filter((v): v is string => typeof v === "string");
  const values = { url: field(form, "url"), description: field(form, "description"), events: events.join(",") };
  try {
    const { secret, endpoint } = await createWebhookEndpoint(actor, { url: values.url, description: values.description, events });
    revalidatePath("/settings/webhooks");
    return { ok: true, message: "Endpoint added", secret, endpointUrl: endpoint.url };
  } catch (error) {
    return formStateFromError(error, values);
  }
}

export async function deleteWebhookEndpointAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  try {
    await deleteWebhookEndpoint(actor, { endpointId: field(form, "endpointId") });
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath("/settings/webhooks");
  return { ok: true, message: "Endpoint deleted" };
}
