"use client";

import { createContext, useActionState, useContext, useEffect, useRef, type ReactNode } from "react";
import { buttonClass, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";

// The forms of /settings/users, /profile, /profile/confirm-email and /invitations/accept. Each takes its server action as a
// prop; the action calls one use case (lib/people/), which enforces the rules.

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
type Action<S> = (state: S, form: FormData) => Promise<S>;

export type InviteRow = { row: number; email: string; outcome: "invited" | "refused"; reason?: string };
export type InviteCsvState = FormState & { rows?: InviteRow[] };

/** The organisation a form on /settings/users is about (empty: the signed-in administrator's own). */
function OrganisationField({ code }: { code: string }) {
  return code ? <input type="hidden" name="organisation" value={code} /> : null;
}

export function InvitePersonForm({ action, organisation }: { action: Action<FormState>; organisation: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // A refusal: the error summary at the top takes the focus (components/form-message.tsx).
    if (state.ok) form.current?.reset();
  }, [state]);
  const keep = state.ok ? undefined : state.values;
  return (
    <form ref={form} action={formAction} noValidate className="space-y-4" data-testid="invite-form">
      <OrganisationField code={organisation} />
      {state.ok === false ? <FormMessage state={state} /> : null}
      <FormField id="invite-email" label="Email address" hint="The invitation is emailed here; it is the address they sign in with." errors={state.fieldErrors?.email}>
        <input name="email" type="email" autoComplete="off" spellCheck={false} defaultValue={keep?.email} className={inputClass} />
      </FormField>
      <FormField id="invite-name" label="Name" errors={state.fieldErrors?.name}>
        <input name="name" autoComplete="off" defaultValue={keep?.name} className={inputClass} />
      </FormField>
      <div className="flex items-start gap-2">
        <input id="invite-administrator" type="checkbox" name="administrator" defaultChecked={keep?.administrator === "on"} className="mt-1" aria-describedby="invite-administrator-hint" />
        <label htmlFor="invite-administrator">
          <span className="font-medium">Administrator</span>
          <span id="invite-administrator-hint" className="block text-sm text-slate-700">
            Can invite and remove people and change their roles.
          </span>
        </label>
      </div>
      {state.ok ? <FormMessage state={state} /> : null}
      <button type="submit" disabled={pending} className={buttonClass}>
        Send invitation
      </button>
    </form>
  );
}

export function InviteCsvForm({ action, organisation, maxRows }: { action: Action<InviteCsvState>; organisation: string; maxRows: number }) {
  const [state, formAction, pending] = useActionState(action, {});
  const errors = state.fieldErrors?.file;
  return (
    <div className="space-y-6">
      <form action={formAction} noValidate className="space-y-4">
        <OrganisationField code={organisation} />
        <FormField
          id="invite-file"
          label="CSV file"
          hint={`The first line is the header email,name,role; then one person a line, role user or administrator (empty: user). At most ${maxRows} people.`}
          errors={errors}
        >
          <input type="file" name="file" accept=".csv,text/csv" className={inputClass} />
        </FormField>
        <FormMessage state={state} />
        <button type="submit" disabled={pending} className={buttonClass}>
          {pending ? "Sending invitations…" : "Invite from file"}
        </button>
      </form>
      {state.rows && !pending ? (
        <div className="table-scroll" tabIndex={0}>
          <table className="w-full border-collapse bg-white text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-200">
            <caption className="sr-only">Every row of the file and its answer, in the file&apos;s order</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col">Row</th>
                <th scope="col">Email address</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {state.rows.map((r) => (
                <tr key={r.row} data-testid="invite-row">
                  <td>{r.row}</td>
                  <td className="break-all">{r.email}</td>
                  <td>
                    <span className={`rounded px-2 py-0.5 text-xs font-medium ${r.outcome === "invited" ? "bg-green-100 text-green-900" : "bg-red-100 text-red-900"}`}>{r.outcome}</span>
                  </td>
                  <td>{r.reason ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}

type PersonActions = { changeRole: Action<FormState>; signOut: Action<FormState>; withdraw: Action<FormState> };
type Intent = keyof PersonActions;
const PersonActionContext = createContext<{ formAction: (form: FormData) => void; pending: boolean } | null>(null);

/**
 * The buttons in the people table share one answer, shown above the table: a refusal (the last
 * administrator) is read where the page starts, not beside one row of many.
 */
export function PersonActionsProvider({ actions, children }: { actions: PersonActions; children: ReactNode }) {
  const [state, formAction, pending] = useActionState(async (previous: FormState, form: FormData) => {
    const intent = form.get("intent") as Intent;
    const action = actions[intent];
    return action ? action(previous, form) : previous;
  }, {});
  const message = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.message) message.current?.focus();
  }, [state]);
  return (
    <PersonActionContext.Provider value={{ formAction, pending }}>
      <div ref={message} tabIndex={-1} data-testid="people-action-message">
        <FormMessage state={state} />
      </div>
      {children}
    </PersonActionContext.Provider>
  );
}

export function PersonActionButton({ intent, fields, label, describedBy }: { intent: Intent; fields: Record<string, string>; label: string; describedBy?: string }) {
  const context = useContext(PersonActionContext);
  if (!context) throw new Error("PersonActionButton outside PersonActionsProvider");
  return (
    <form action={context.formAction}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" disabled={context.pending} aria-describedby={describedBy} className={`${secondaryButtonClass} text-sm`}>
        {label}
      </button>
    </form>
  );
}

export function RemovePersonForm({ action, userId, organisation, name }: { action: Action<FormState>; userId: string; organisation: string; name: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="userId" value={userId} />
      <OrganisationField code={organisation} />
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-70">
        Remove {name}
      </button>
    </form>
  );
}

export function OwnNameForm({ action, name }: { action: Action<FormState>; name: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} noValidate className="space-y-3">
      <FormField id="profile-name" label="Your name" hint="How colleagues and other organisations see you on requests, up to 100 characters." errors={state.fieldErrors?.name}>
        <input name="name" autoComplete="name" defaultValue={state.ok === false ? state.values?.name : name} className={inputClass} />
      </FormField>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Save name
      </button>
    </form>
  );
}

export function ChangeEmailForm({ action }: { action: Action<FormState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={formAction} noValidate className="space-y-3" data-testid="change-email-form">
      <FormField id="profile-new-email" label="New email address" hint="The link to confirm it is emailed here. It works for 24 hours." errors={state.fieldErrors?.newEmail}>
        <input name="newEmail" type="email" autoComplete="email" spellCheck={false} defaultValue={state.ok === false ? state.values?.newEmail : undefined} className={inputClass} />
      </FormField>
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Change email address
      </button>
    </form>
  );
}

export function ConfirmEmailChangeForm({ action, token }: { action: Action<FormState>; token: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.ok) {
    return (
      <div role="status" className="space-y-2 rounded border border-green-700 bg-green-50 p-4">
        <h2 className="text-xl font-semibold">Your email address has changed</h2>
        <p>{state.message}</p>
        <p>
          <a href="/sign-in" className="text-blue-700 underline">
            Sign in
          </a>
        </p>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Confirm new email address
      </button>
    </form>
  );
}

export function SignOutEverywhereForm({ action }: { action: Action<FormState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-2">
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={secondaryButtonClass}>
        Sign out everywhere
      </button>
    </form>
  );
}

export function AcceptInvitationForm({ action, token }: { action: Action<FormState>; token: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  if (state.ok) {
    return (
      <div role="status" className="space-y-2 rounded border border-green-700 bg-green-50 p-4">
        <h2 className="text-xl font-semibold">Your account is ready</h2>
        <p>{state.message}.</p>
        <p>
          <a href="/sign-in" className="text-blue-700 underline">
            Sign in
          </a>
        </p>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <button type="submit" disabled={pending} className={buttonClass}>
        Accept invitation
      </button>
    </form>
  );
}
