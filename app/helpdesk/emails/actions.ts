"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { retryEmail } from "@/lib/notifications/email-problems";

// Server action of /helpdesk/emails: the rules (helpdesk only, FAILED emails only) live in
// lib/notifications/email-problems.ts.

export async function retryEmailAction(_prev: FormState, form: FormData): Promise<FormState> {
  const actor = await requireActor();
  const emailId = form.get("emailId");
  try {
    await retryEmail(actor, { emailId: typeof emailId === "string" ? emailId : "" });
  } catch (error) {
    return formStateFromError(error);
  }
  revalidatePath("/helpdesk/emails");
  return { ok: true, message: "Back in the queue: the portal is sending it now" };
}
