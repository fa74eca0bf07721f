"use client";

import Link from "next/link";
import { useActionState, useRef, useState, type ReactNode } from "react";
import { ErrorSummary } from "./error-summary";
import { FEEDBACK_SLOT } from "./form-message";
import { buttonClass, FormField, FormMessage, inputClass, secondaryButtonClass, warningButtonClass } from "./form-field";

// The request forms. Each takes its server action as a prop (components never reach for data):
// the page passes the action, the action calls one use case, the use case enforces the rules.

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
type Action<S = FormState> = (state: S, form: FormData) => Promise<S>;

/** A form bound to a server action; after a refused submission the keyboard goes to the first field to fix. */
export function useActionForm(action: Action) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  return { state, formAction, pending, form };
}

export function RaiseRequestForm({ action }: { action: Action }) {
  const { state, formAction, pending, form } = useActionForm(action);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-5">
      <ErrorSummary state={state} slot={FEEDBACK_SLOT} />
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
      <button type="submit" disabled={pending} className={buttonClass}>
        Raise request
      </button>
    </form>
  );
}


type ActionFormProps = {
  action: Action;
  reference: string;
  submit: string;
  tone?: "primary" | "secondary" | "warning";
  /** Where "Cancel" goes (an action's own page): back to the request. */
  cancelHref?: string;
  fieldIds?: Record<string, string>;
  children: (state: FormState) => ReactNode;
};

/**
 * One form of a request: a refusal shows in the error summary at the top of the page (each message a
 * link to its field), success leads back to the request page with a banner at its top (the action
 * redirects: app/requests/actions.ts). One submit button, and "Cancel" on an action's own page.
 */
function RequestActionForm({ action, reference, submit, tone = "primary", cancelHref, fieldIds, children }: ActionFormProps) {
  const { state, formAction, pending, form } = useActionForm(action);
  const buttonStyle = tone === "warning" ? warningButtonClass : tone === "secondary" ? secondaryButtonClass : buttonClass;
  return (
    <form ref={form} action={formAction} noValidate className="space-y-4">
      <ErrorSummary state={state} fieldIds={fieldIds} slot={FEEDBACK_SLOT} />
      <input type="hidden" name="reference" value={reference} />
      {children(state)}
      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" disabled={pending} className={buttonStyle}>
          {submit}
        </button>
        {cancelHref ? (
          <Link href={cancelHref} className="text-blue-700 underline">
            Cancel
          </Link>
        ) : null}
      </div>
    </form>
  );
}

export function AddNoteForm({ action, reference }: { action: Action; reference: string }) {
  return (
    <RequestActionForm action={action} reference={reference} submit="Add note" tone="secondary">
      {(state) => (
        <FormField id="body" label="Note" hint="Plain text, up to 4,000 characters. Never write an Install Code in a note." errors={state.fieldErrors?.body}>
          <textarea name="body" rows={4} defaultValue={state.values?.body} className={inputClass} />
        </FormField>
      )}
    </RequestActionForm>
  );
}

const CODE_HINT =
  "12, 16, 24 or 32 hexadecimal digits, or as printed on the label with its 4-digit CRC at the end (the CRC is checked, then dropped)";

/** The assignee's answer. Replacing a code already given is its own page, with a reason. */
export function ProvideInstallCodeForm({ action, reference, replacing = false }: { action: Action; reference: string; replacing?: boolean }) {
  return (
    <RequestActionForm
      action={action}
      reference={reference}
      submit={replacing ? "Replace the Install Code" : "Provide the Install Code"}
      cancelHref={replacing ? `/requests/${reference}` : undefined}
    >
      {(state) => (
        <>
          <FormField id="installCode" label={replacing ? "New Install Code" : "Install Code"} hint={CODE_HINT} errors={state.fieldErrors?.installCode}>
            <input name="installCode" autoComplete="off" spellCheck={false} defaultValue={state.values?.installCode} className={`${inputClass} font-mono`} />
          </FormField>
          {replacing ? (
            <FormField
              id="reason"
              label="Why are you replacing it?"
              hint="The raising Supplier reads this on the request page, for example “The first code was mistyped”. Plain text, up to 300 characters."
              errors={state.fieldErrors?.reason}
            >
              <textarea name="reason" rows={2} defaultValue={state.values?.reason} className={inputClass} />
            </FormField>
          ) : null}
        </>
      )}
    </RequestActionForm>
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
            Hide Install Code
          </button>
        ) : (
          <form action={formAction} onSubmit={() => setHidden(false)}>
            <input type="hidden" name="reference" value={reference} />
            <input type="hidden" name="codeId" value={codeId} />
            <button type="submit" disabled={pending} aria-describedby={describedBy} className={secondaryButtonClass}>
              Reveal Install Code
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

/** The raiser's close, on its confirmation page (app/requests/[reference]/close). */
export function CloseRequestForm({ action, reference }: { action: Action; reference: string }) {
  return (
    <RequestActionForm action={action} reference={reference} submit="Close request" tone="warning" cancelHref={`/requests/${reference}`}>
      {() => null}
    </RequestActionForm>
  );
}

export function ReassignForm({ action, reference, preNotifiedBy }: { action: Action; reference: string; preNotifiedBy: { code: string; name: string } | null }) {
  const hint = preNotifiedBy
    ? `The Supplier's SEC Party code or full name. The Smart Metering Inventory says ${preNotifiedBy.name} (${preNotifiedBy.code}) pre-notified this Device.`
    : "The Supplier's SEC Party code or full name, for example EGP.";
  return (
    <RequestActionForm action={action} reference={reference} submit="Reassign request" cancelHref={`/requests/${reference}`}>
      {(state) => (
        <>
          <FormField id="organisationCode" label="Assign to" hint={hint} errors={state.fieldErrors?.organisationCode}>
            <input name="organisationCode" defaultValue={state.values?.organisationCode} autoComplete="off" spellCheck={false} className={inputClass} />
          </FormField>
          <FormField id="reason" label="Reason" hint="Shown on the request's timeline to both Suppliers." errors={state.fieldErrors?.reason}>
            <input name="reason" defaultValue={state.values?.reason} className={inputClass} />
          </FormField>
        </>
      )}
    </RequestActionForm>
  );
}

/** Radios for a reason from a short list, and a few words for "other" (a decline's, a withdrawal's). */
function ListedReason({
  state,
  legend,
  reasons,
  detailLabel,
  detailHint,
}: {
  state: FormState;
  legend: string;
  reasons: [string, string][];
  detailLabel: string;
  detailHint: string;
}) {
  const reasonError = state.fieldErrors?.reason;
  const kept = state.values?.reason;
  return (
    <>
      <fieldset className="space-y-2" aria-describedby={reasonError ? "reason-error" : undefined}>
        <legend className="font-medium">{legend}</legend>
        {reasonError ? (
          <p id="reason-error" className="text-sm font-medium text-red-700" data-testid="reason-error">
            {reasonError.join(" ")}
          </p>
        ) : null}
        {reasons.map(([code, label], i) => (
          <label key={code} className="flex items-center gap-2">
            <input type="radio" name="reason" value={code} id={i === 0 ? "reason" : undefined} defaultChecked={kept === code} aria-invalid={reasonError && i === 0 ? true : undefined} />
            {label}
          </label>
        ))}
      </fieldset>
      <FormField id="detail" label={detailLabel} hint={detailHint} errors={state.fieldErrors?.detail}>
        <textarea name="detail" rows={2} defaultValue={state.values?.detail} className={inputClass} />
      </FormField>
    </>
  );
}

/**
 * A reason from a short list, and a few words for "other", then one button: the assigned Supplier's
 * decline ("not our Device", DECLINE_REASONS) and the raiser's withdrawal (WITHDRAW_REASONS).
 * `reasons`: the list's codes and the words people read (lib/requests/schemas.ts); `readers`: who
 * reads the words for "other" on the request page (they are never emailed).
 */
export function ListedReasonForm({
  action,
  reference,
  submit,
  legend,
  reasons,
  detailMax,
  readers,
}: {
  action: Action;
  reference: string;
  submit: string;
  legend: string;
  reasons: [string, string][];
  detailMax: number;
  readers: string;
}) {
  return (
    <RequestActionForm action={action} reference={reference} submit={submit} tone="warning" cancelHref={`/requests/${reference}`}>
      {(state) => (
        <ListedReason
          state={state}
          legend={legend}
          reasons={reasons}
          detailLabel="Your reason, if other"
          detailHint={`Needed for "Other": plain text, up to ${detailMax} characters. ${readers} read it on the request page; it is not emailed.`}
        />
      )}
    </RequestActionForm>
  );
}

/** The helpdesk closes a declined request that nobody can answer, saying why (the raiser reads it). */
export function CloseNotPossibleForm({ action, reference }: { action: Action; reference: string }) {
  return (
    <RequestActionForm action={action} reference={reference} submit="Close as not possible" tone="warning" cancelHref={`/requests/${reference}`} fieldIds={{ reason: "notPossibleReason" }}>
      {(state) => (
        <FormField
          id="notPossibleReason"
          label="Why it cannot be answered"
          hint="Shown on the request to the raising Supplier, who is emailed that it was closed. Plain text, up to 500 characters."
          errors={state.fieldErrors?.reason}
        >
          <textarea name="reason" rows={3} defaultValue={state.values?.reason} className={inputClass} />
        </FormField>
      )}
    </RequestActionForm>
  );
}
