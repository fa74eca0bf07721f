"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { buttonClass, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";

// The API keys page's forms. A new key lives only in this component's state, from the answer to the
// POST that created it: a reload, or leaving the page, forgets it for good.

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
type CreateState = FormState & { created?: { key: string; prefix: string; name: string } };
type Action<S> = (state: S, form: FormData) => Promise<S>;

export function CreateApiKeyForm({ action }: { action: Action<CreateState> }) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  const shown = useRef<HTMLElement>(null);
  const [hidden, setHidden] = useState<string | null>(null);
  const created = state.created && state.created.prefix !== hidden ? state.created : null;

  useEffect(() => {
    // A refusal: the error summary at the top takes the focus (components/form-message.tsx).
    if (state.created) shown.current?.focus();
  }, [state]);

  return (
    <div className="space-y-6">
      {created ? (
        <section ref={shown} tabIndex={-1} aria-labelledby="new-api-key-heading" className="space-y-3 rounded border border-amber-400 bg-amber-50 p-4" data-testid="new-api-key">
          <h3 id="new-api-key-heading" className="text-lg font-semibold">
            Copy your new key &ldquo;{created.name}&rdquo; now
          </h3>
          <p className="font-medium text-amber-950">
            You will not see it again. The portal keeps only a fingerprint of it: if you lose it, revoke it and create another.
          </p>
          <label htmlFor="new-api-key-value" className="block text-sm font-medium">
            API key {created.prefix}
          </label>
          <input
            id="new-api-key-value"
            readOnly
            value={created.key}
            autoComplete="off"
            spellCheck={false}
            onFocus={(e) => e.currentTarget.select()}
            className={`${inputClass} font-mono text-sm`}
            data-testid="new-api-key-value"
          />
          <div className="flex flex-wrap gap-3">
            <CopyButton text={created.key} />
            <button type="button" onClick={() => setHidden(created.prefix)} className={secondaryButtonClass}>
              I have stored it: hide the key
            </button>
          </div>
          <p className="text-sm text-slate-700">
            Systems send it in the <code>Authorization: Bearer &lt;key&gt;</code> header.
          </p>
        </section>
      ) : null}
      <form ref={form} action={formAction} noValidate className="space-y-3">
        <FormField id="name" label="Name" hint={'What will use the key, for example "billing system". Up to 100 characters.'} errors={state.fieldErrors?.name}>
          <input name="name" defaultValue={state.ok ? "" : state.values?.name} autoComplete="off" className={inputClass} />
        </FormField>
        {state.ok ? null : <FormMessage state={state} />}
        <button type="submit" disabled={pending} className={buttonClass}>
          Create API key
        </button>
      </form>
    </div>
  );
}

function CopyButton({ text }: { text: string }) {
  const [result, setResult] = useState<"copied" | "failed" | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setResult("copied");
    } catch {
      setResult("failed");
    }
  }
  return (
    <>
      <button type="button" onClick={copy} className={buttonClass}>
        Copy key
      </button>
      <span aria-live="polite" className="self-center text-sm font-medium" data-testid="copy-result">
        {result === "copied" ? "Copied to the clipboard." : result === "failed" ? "Could not copy: select the key and copy it yourself." : ""}
      </span>
    </>
  );
}

/** The second step of revoking: the key is named, the consequence said, and one button does it. */
export function RevokeApiKeyForm({ action, prefix, name }: { action: Action<FormState>; prefix: string; name: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-3">
      <input type="hidden" name="prefix" value={prefix} />
      <p>
        Revoke <strong>{name}</strong> (<span className="font-mono">{prefix}</span>)? Every system using it is refused from the moment you do. This cannot
        be undone: to give a system access again, create a new key.
      </p>
      <FormMessage state={state} />
      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" disabled={pending} className="rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-70">
          Revoke this key
        </button>
        <a href="/settings/api-keys" className="text-blue-700 underline">
          Cancel
        </a>
      </div>
    </form>
  );
}
