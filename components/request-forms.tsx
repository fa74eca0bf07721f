"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { buttonClass, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";

// The request forms. Each takes its server action as a prop (components never reach for data):
// the page passes the action, the action calls one use case, the use case enforces the rules.

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
type Action<S = FormState> = (state: S, form: FormData) => Promise<S>;

/** A form bound to a server action; after a refused submission the keyboard goes to the first field to fix. */
export function useActionForm(action: Action) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.fieldErrors && Object.keys(state.fieldErrors).length > 0) {
      form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    }
  }, [state]);
  return { state, formAction, pending, form };
}

export function RaiseRequestForm({ action }: { action: Action }) {
  const { state, formAction, pending, form } = useActionForm(action);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-5">
      <FormField
        id="deviceId"
        label="Device ID"
        hint="16 hexadecimal digits, with or without hyphens, like 00-DB-12-34-56-78-90-A0"
        errors={state.fieldErrors?.deviceId}
      >
        <input name="deviceId" defaultValue={state.values?.deviceId} autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
      </FormField>
      <FormField
        id="note"
        label="Note"
        hint="Optional. Plain text, up to 4,000 characters. Never write an Install Code in a note."
        errors={state.fieldErrors?.note}
      >
        <textarea name="note" rows={4} defaultValue={state.values?.note} className={inputClass} />
      </FormField>
      {state.fieldErrors && Object.keys(state.fieldErrors).length > 0 ? null : <FormMessage state={state} />}
      <button type="submit" disabled={pending} className={buttonClass}>
        Raise request
      </button>
    </form>
  );
}

export function AddNoteForm({ action, reference }: { action: Action; reference: string }) {
  const { state, formAction, pending, form } = useActionForm(action);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-3">
      <input type="hidden" name="reference" value={reference} />
      <FormField id="body" label="Note" hint="Plain text, up to 4,000 characters. Never write an Install Code in a note." errors={state.fieldErrors?.body}>
        <textarea name="body" rows={4} defaultValue={state.ok ? "" : state.values?.body} className={inputClass} />
      </FormField>
      <FormMessage state={state.fieldErrors?.body ? {} : state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Add note
      </button>
    </form>
  );
}

export function ProvideInstallCodeForm({ action, reference, replacing }: { action: Action; reference: string; replacing: boolean }) {
  const { state, formAction, pending, form } = useActionForm(action);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-3">
      <input type="hidden" name="reference" value={reference} />
      <FormField
        id="installCode"
        label={replacing ? "Replacement Install Code" : "Install Code"}
        hint="12, 16, 24 or 32 hexadecimal digits, or as printed on the label with its 4-digit CRC at the end (the CRC is checked, then dropped)"
        errors={state.fieldErrors?.installCode}
      >
        <input
          name="installCode"
          autoComplete="off"
          spellCheck={false}
          defaultValue={state.ok ? "" : state.values?.installCode}
         
          className={`${inputClass} font-mono`}
        />
      </FormField>
      <FormMessage state={state.fieldErrors?.installCode ? {} : state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Provide install code
      </button>
    </form>
  );
}

type RevealState = FormState & { installCode?: string };

export function RevealInstallCode({
  action,
  reference,
  codeId,
  masked,
  canReveal,
  describedBy,
}: {
  action: Action<RevealState>;
  reference: string;
  codeId: string;
  masked: string;
  canReveal: boolean;
  /** The id of the line saying who gave this code: with two codes listed, the buttons say which is which. */
  describedBy?: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [hidden, setHidden] = useState(false);
  const shown = state.installCode && !hidden;
  return (
    <div className="space-y-2">
      <p className="font-mono text-lg" data-testid="install-code" aria-live="polite" data-secret>
        {shown ? groups(state.installCode!) : masked}
      </p>
      <p className="hidden print:block">The Install Code is not printed.</p>
      {canReveal ? (
        shown ? (
          <button type="button" onClick={() => setHidden(true)} aria-describedby={describedBy} className={secondaryButtonClass}>
            Hide install code
          </button>
        ) : (
          <form action={formAction} onSubmit={() => setHidden(false)}>
            <input type="hidden" name="reference" value={reference} />
            <input type="hidden" name="codeId" value={codeId} />
            <button type="submit" disabled={pending} aria-describedby={describedBy} className={secondaryButtonClass}>
              Reveal install code
            </button>
            <p className="mt-1 text-sm text-slate-700">Each reveal is recorded on the timeline.</p>
          </form>
        )
      ) : null}
      <FormMessage state={state.ok ? {} : state} />
      {shown ? <span className="sr-only" data-testid="install-code-value" data-secret>{state.installCode}</span> : null}
    </div>
  );
}

/** Groups of four digits, easier to read aloud and to type. */
function groups(code: string): string {
  return code.match(/.{1,4}/g)!.join(" ");
}

export function CloseRequestForm({ action, reference }: { action: Action; reference: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="reference" value={reference} />
      <p className="text-sm text-slate-700">Close the request once you have verified the Install Code on the Device. A closed request cannot be changed.</p>
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Close request
      </button>
      <FormMessage state={state} />
    </form>
  );
}

export function ReassignForm({ action, reference, preNotifiedBy }: { action: Action; reference: string; preNotifiedBy: { code: string; name: string } | null }) {
  const { state, formAction, pending, form } = useActionForm(action);
  const hint = preNotifiedBy
    ? `The Supplier's SEC Party code or full name. The Smart Metering Inventory says ${preNotifiedBy.name} (${preNotifiedBy.code}) pre-notified this Device.`
    : "The Supplier's SEC Party code or full name, for example EGP.";
  return (
    <form ref={form} action={formAction} noValidate className="space-y-3">
      <input type="hidden" name="reference" value={reference} />
      <FormField id="organisationCode" label="Assign to" hint={hint} errors={state.fieldErrors?.organisationCode}>
        <input name="organisationCode" defaultValue={state.ok ? "" : state.values?.organisationCode} autoComplete="off" spellCheck={false} className={inputClass} />
      </FormField>
      <FormField id="reason" label="Reason" hint="Shown on the request's timeline to both Suppliers." errors={state.fieldErrors?.reason}>
        <input name="reason" defaultValue={state.ok ? "" : state.values?.reason} className={inputClass} />
      </FormField>
      <FormMessage state={state.fieldErrors?.organisationCode || state.fieldErrors?.reason ? {} : state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Reassign
      </button>
    </form>
  );
}

/**
 * The assigned Supplier's "not our Device": a reason from the list, and a few words for "other".
 * `reasons`: the list's codes and the words people read (lib/requests/schemas.ts DECLINE_REASONS).
 */
export function DeclineRequestForm({ action, reference, reasons, detailMax }: { action: Action; reference: string; reasons: [string, string][]; detailMax: number }) {
  const { state, formAction, pending, form } = useActionForm(action);
  const reasonError = state.fieldErrors?.reason;
  const kept = state.ok ? undefined : state.values?.reason;
  return (
    <form ref={form} action={formAction} noValidate className="space-y-3">
      <input type="hidden" name="reference" value={reference} />
      <p className="text-sm text-slate-700">
        If your organisation does not hold this Device&apos;s Install Code, decline the request instead of answering it. That is your
        response: the DCC Helpdesk then reassigns the request to the right Supplier or closes it, and the raising Supplier is told.
      </p>
      <fieldset className="space-y-2" aria-describedby={reasonError ? "reason-error" : undefined}>
        <legend className="font-medium">Why are you declining?</legend>
        {reasonError ? (
          <p id="reason-error" className="text-sm font-medium text-red-700" data-testid="reason-error">
            {reasonError.join(" ")}
          </p>
        ) : null}
        {reasons.map(([code, label], i) => (
          <label key={code} className="flex items-center gap-2">
            <input type="radio" name="reason" value={code} defaultChecked={kept === code} aria-invalid={reasonError && i === 0 ? true : undefined} />
            {label}
          </label>
        ))}
      </fieldset>
      <FormField
        id="detail"
        label="Your reason, if other"
        hint={`Needed for "Other": plain text, up to ${detailMax} characters. The raising Supplier and the helpdesk read it on this page; it is not emailed.`}
        errors={state.fieldErrors?.detail}
      >
        <textarea name="detail" rows={2} defaultValue={state.ok ? "" : state.values?.detail} className={inputClass} />
      </FormField>
      <FormMessage state={reasonError || state.fieldErrors?.detail ? {} : state} />
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Decline request
      </button>
    </form>
  );
}

/** The helpdesk closes a declined request that nobody can answer, saying why (the raiser reads it). */
export function CloseNotPossibleForm({ action, reference }: { action: Action; reference: string }) {
  const { state, formAction, pending, form } = useActionForm(action);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-3">
      <input type="hidden" name="reference" value={reference} />
      <FormField
        id="notPossibleReason"
        label="Why it cannot be answered"
        hint="Shown on the request to the raising Supplier, who is emailed that it was closed. Plain text, up to 500 characters."
        errors={state.fieldErrors?.reason}
      >
        <textarea name="reason" rows={3} defaultValue={state.ok ? "" : state.values?.reason} className={inputClass} />
      </FormField>
      <FormMessage state={state.fieldErrors?.reason ? {} : state} />
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Close as not possible
      </button>
    </form>
  );
}
