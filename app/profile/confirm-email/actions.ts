"use server";

import { requestClientAddress } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { confirmEmailChange } from "@/lib/people/email-change";

// The confirmation page's one action. Public: the link is opened from the new address's mailbox,
// often in a browser that is not signed in. A POST, never a GET, so that a mail scanner opening the
// link changes nothing.
export async function confirmEmailChangeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = form.get("token");
  try {
    const { email } = await confirmEmailChange(typeof token === "string" ? token : "", { clientAddress: await requestClientAddress() });
    return { ok: true, message: `Your email address is now ${email}. Sign in again with it.` };
  } catch (error) {
    return formStateFromError(error);
  }
}
