"use client";

import { useActionState, useRef } from "react";
import { buttonClass, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";

// The helpdesk's organisation forms (/admin/organisations). Each takes its server action as a prop;
// the action calls one use case (lib/people/organisations.ts), which enforces the rules.

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
type Action = (state: FormState, form: FormData) => Promise<FormState>;




/** Onboards a Supplier; on success the action sends the page back with ?created=<code>. */
export function CreateOrganisationForm({ action }: { action: Action }) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-5" data-testid="create-organisation-form">
      <FormField
        id="code"
        label="SEC Party code"
        hint="As the Smart Metering Inventory names this Supplier (2 to 16 letters or digits, like NWE): its Devices become its own."
        errors={state.fieldErrors?.code}
      >
        <input name="code" defaultValue={state.values?.code} autoComplete="off" spellCheck={false} className={`${inputClass} max-w-xs font-mono uppercase`} />
      </FormField>
      <FormField id="name" label="Name" hint="The Supplier's name as its people and the other Suppliers know it, up to 100 characters." errors={state.fieldErrors?.name}>
        <input name="name" defaultValue={state.values?.name} autoComplete="off" className={inputClass} />
      </FormField>
      <FormField id="teamEmail" label="Team email (optional)" hint="A shared mailbox that gets every email about this Supplier's requests, like operations@example.co.uk." errors={state.fieldErrors?.teamEmail}>
        <input name="teamEmail" type="email" defaultValue={state.values?.teamEmail} autoComplete="off" spellCheck={false} className={inputClass} />
      </FormField>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Add Supplier
      </button>
    </form>
  );
}

export function RenameOrganisationForm({ action, code, name }: { action: Action; code: string; name: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-4" data-testid="rename-organisation-form">
      <input type="hidden" name="code" value={code} />
      <FormField id="rename-name" label="New name" hint="Up to 100 characters; no other organisation may have it." errors={state.fieldErrors?.name}>
        <input name="name" defaultValue={state.ok === false ? state.values?.name : name} key={state.ok ? name : "editing"} autoComplete="off" className={inputClass} />
      </FormField>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Rename
      </button>
    </form>
  );
}

/** One button that suspends or reinstates (the page asks for confirmation before offering Suspend). */
export function SuspensionForm({ action, code, label, danger }: { action: Action; code: string; label: string; danger?: boolean }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="code" value={code} />
      <button
        type="submit"
        disabled={pending}
        className={danger ? "rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-70" : buttonClass}
      >
        {label}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
