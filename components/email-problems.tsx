"use client";

import { useActionState } from "react";
import { FormMessage, secondaryButtonClass } from "./form-field";

type FormState = { ok?: boolean; message?: string };
type Action = (state: FormState, form: FormData) => Promise<FormState>;

/** The "Retry" button of a failed email on /helpdesk/emails. */
export function RetryEmailForm({ action, emailId, describedBy }: { action: Action; emailId: string; describedBy: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="emailId" value={emailId} />
      <button type="submit" disabled={pending || state.ok === true} aria-describedby={describedBy} className={secondaryButtonClass}>
        Retry
      </button>
      <FormMessage state={state} />
    </form>
  );
}
