"use client";

import { useActionState } from "react";
import { buttonClass, FormField, FormMessage, inputClass } from "./form-field";

// Settings → Email notifications. Each form takes its server action as a prop; the action calls one
// use case (lib/notifications/preferences.ts).

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
type Action = (state: FormState, form: FormData) => Promise<FormState>;

export type EmailChoice = { name: string; label: string; hint: string; checked: boolean };

/** `hiddenChecked`: switches not shown to this kind of organisation, kept on as they were. */
export function EmailPreferencesForm({ action, choices, digest, hiddenChecked }: { action: Action; choices: readonly EmailChoice[]; digest: EmailChoice; hiddenChecked: readonly string[] }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-5" data-testid="email-preferences-form">
      {hiddenChecked.map((name) => (
        <input key={name} type="hidden" name={name} value="on" />
      ))}
      <fieldset className="space-y-3">
        <legend className="font-medium">Emails I want</legend>
        {choices.map((choice) => (
          <Checkbox key={choice.name} choice={choice} />
        ))}
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="font-medium">How they come</legend>
        <Checkbox choice={digest} />
      </fieldset>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Save my email choices
      </button>
    </form>
  );
}

function Checkbox({ choice }: { choice: EmailChoice }) {
  return (
    <div className="flex items-start gap-2">
      <input id={choice.name} name={choice.name} type="checkbox" defaultChecked={choice.checked} aria-describedby={`${choice.name}-hint`} className="mt-1 h-4 w-4" />
      <label htmlFor={choice.name}>
        <span className="font-medium">{choice.label}</span>
        <span id={`${choice.name}-hint`} className="block text-sm text-slate-700">
          {choice.hint}
        </span>
      </label>
    </div>
  );
}

export function TeamEmailForm({ action, teamEmail, organisation }: { action: Action; teamEmail: string | null; organisation: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const value = state.values?.teamEmail ?? teamEmail ?? "";
  return (
    <form action={formAction} noValidate className="space-y-4" data-testid="team-email-form">
      <FormField
        id="teamEmail"
        label="Team email address"
        hint={`Optional. A shared mailbox that gets every email about ${organisation}'s requests, whatever each person chose. Leave it empty for none.`}
        errors={state.fieldErrors?.teamEmail}
      >
        <input name="teamEmail" type="email" key={value} defaultValue={value} autoComplete="off" spellCheck={false} className={inputClass} />
      </FormField>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Save team address
      </button>
    </form>
  );
}
