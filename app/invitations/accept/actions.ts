"use server";

import { requestClientAddress } from "@/lib/auth/session";
import { formStateFromError, type FormState } from "@/lib/errors";
import { acceptInvitation } from "@/lib/people/invitations";

// The invitation page's one action. Public: the invitee has no account yet. A POST, never a GET, so
// that a mail scanner opening the link accepts nothing.
export async function acceptInvitationAction(_prev: FormState, form: FormData): Promise<FormState> {
  const token = form.get("token");
  try {
    const { email } = await acceptInvitation(typeof token === "string" ? token : "", { clientAddress: await requestClientAddress() });
    return { ok: true, message: `Your account is ready: sign in with ${email}` };
  } catch (error) {
    return formStateFromError(error);
  }
}
