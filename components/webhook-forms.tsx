"use client";

import { useActionState, useEffect, useRef } from "react";
import { buttonClass, FormField, FormMessage, inputClass, secondaryButtonClass } from "./form-field";

// The webhook settings forms. Each takes its server action as a prop; the action calls one use case
// (lib/webhooks/endpoints.ts), which enforces the rules.

type FormState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]>; values?: Record<string, string> };
export type CreateWebhookState = FormState & { secret?: string; endpointUrl?: string };
type Action<S> = (state: S, form: FormData) => Promise<S>;

export type EventChoice = { wire: string; label: string; hint: string };

export function CreateWebhookEndpointForm({ action, events }: { action: Action<CreateWebhookState>; events: readonly EventChoice[] }) {
  const [state, formAction, pending] = useActionState(action, {});
  const form = useRef<HTMLFormElement>(null);
  const secret = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A refusal: the error summary at the top takes the focus (components/form-message.tsx).
    if (state.secret) secret.current?.focus();
  }, [state]);
  // After a refusal the boxes stay as they were ticked; otherwise every event is ticked.
  const chosen = state.ok === false && state.values ? new Set(state.values.events?.split(",").filter(Boolean)) : null;
  const eventErrors = state.fieldErrors?.events;
  return (
    <div className="space-y-4">
      {state.secret ? (
        <div ref={secret} tabIndex={-1} role="status" className="space-y-2 rounded border border-green-700 bg-green-50 p-4" data-testid="webhook-secret-box">
          <p className="font-medium text-green-900">Endpoint added for {state.endpointUrl}.</p>
          <p>
            Its signing secret is below. <strong>Copy it now: it is not shown again.</strong> Your system checks each delivery&apos;s
            webhook-signature header with it.
          </p>
          <p className="break-all rounded bg-white p-2 font-mono" data-testid="webhook-secret">
            {state.secret}
          </p>
        </div>
      ) : null}
      <form ref={form} action={formAction} noValidate className="space-y-5">
        <FormField id="url" label="Address" hint="Where to post events: https://, reachable over the internet, like https://hooks.example.com/install-codes" errors={state.fieldErrors?.url}>
          <input name="url" type="url" defaultValue={state.ok ? "" : state.values?.url} autoComplete="off" spellCheck={false} className={`${inputClass} font-mono`} />
        </FormField>
        <FormField id="description" label="Description" hint="Optional, up to 200 characters: which system this is, for your colleagues." errors={state.fieldErrors?.description}>
          <input name="description" defaultValue={state.ok ? "" : state.values?.description} className={inputClass} />
        </FormField>
        <fieldset className="space-y-2" aria-describedby={eventErrors ? "events-error" : undefined}>
          <legend className="font-medium">Events to send</legend>
          {eventErrors ? (
            <p id="events-error" className="text-sm font-medium text-red-700" data-testid="events-error">
              {eventErrors.join(" ")}
            </p>
          ) : null}
          {events.map((event, index) => (
            <div key={event.wire} className="flex items-start gap-2">
              <input
                id={`event-${event.wire}`}
                type="checkbox"
                name="events"
                value={event.wire}
                defaultChecked={chosen ? chosen.has(event.wire) : true}
                aria-describedby={`event-${event.wire}-hint`}
                aria-invalid={eventErrors && index === 0 ? true : undefined}
                className="mt-1"
              />
              <label htmlFor={`event-${event.wire}`}>
                <span className="font-medium">{event.label}</span> <code className="text-sm">{event.wire}</code>
                <span id={`event-${event.wire}-hint`} className="block text-sm text-slate-700">
                  {event.hint}
                </span>
              </label>
            </div>
          ))}
        </fieldset>
        <FormMessage state={state.secret ? {} : state} />
        <button type="submit" disabled={pending} className={buttonClass}>
          Add endpoint
        </button>
      </form>
    </div>
  );
}

export function DeleteWebhookEndpointForm({ action, endpointId, describedBy }: { action: Action<FormState>; endpointId: string; describedBy: string }) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="endpointId" value={endpointId} />
      <button type="submit" disabled={pending} aria-describedby={describedBy} className={secondaryButtonClass}>
        Delete endpoint
      </button>
      <FormMessage state={state} />
    </form>
  );
}
