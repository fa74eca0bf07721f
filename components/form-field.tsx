import type { ReactElement } from "react";
import { cloneElement } from "react";

/** A labelled control with its hint and error, wired for assistive technology. */
export function FormField({
  id,
  label,
  hint,
  errors,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  children: ReactElement<Record<string, unknown>>;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="max-w-full min-w-0 space-y-1">
      <label htmlFor={id} className="block font-medium">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
      {errorId ? (
        <p id={errorId} className="text-sm font-medium text-red-700" data-testid={`${id}-error`}>
          {errors!.join(" ")}
        </p>
      ) : null}
      {cloneElement(children, {
        id,
        "aria-describedby": describedBy,
        "aria-invalid": errorId ? true : undefined,
      })}
    </div>
  );
}

export const inputClass = "block w-full max-w-xl rounded border border-slate-500 bg-white px-3 py-2 aria-[invalid=true]:border-red-700";
/** A select shrinks to the window (its longest option would otherwise set its width, at 320 px too). */
export const selectClass = "block max-w-full rounded border border-slate-500 bg-white px-3 py-2 aria-[invalid=true]:border-red-700";
export const buttonClass = "rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-70";
export const secondaryButtonClass = "rounded border border-slate-500 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-70";
/** For an action that cannot be undone (close, withdraw, decline): on its confirmation page only. */
export const warningButtonClass = "rounded bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-70";
/** A link that leads to an action's own page, looking like the button it stands for. */
export const primaryLinkClass = `inline-block no-underline ${buttonClass}`;
export const secondaryLinkClass = `inline-block no-underline ${secondaryButtonClass}`;

/** Every form's answer, at the top of the page (components/form-message.tsx). */
export { FormMessage } from "./form-message";
