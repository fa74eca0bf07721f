"use client";

import { useEffect, useRef, useSyncExternalStore } from "react";
import { createPortal } from "react-dom";

// The GOV.UK error summary: at the top of a refused form (or of the page, into `slot`), "There is a
// problem" and one link per field to fix, focused so that a screen reader reads it first; the page's
// title starts "Error: " while it shows (WCAG 3.3.1, GOV.UK's pattern).

const noSubscription = () => () => {};

/**
 * The element with this id once the page is in the browser; null while rendering on the server (a
 * portal's content then shows in place). The feedback slot's look-up, for the summary and the banner.
 */
export function useSlot(id: string | undefined): HTMLElement | null {
  return useSyncExternalStore(
    noSubscription,
    () => (id ? document.getElementById(id) : null),
    () => null,
  );
}

export type SummaryState = { ok?: boolean; message?: string; fieldErrors?: Record<string, string[]> };

/** `fieldIds`: the id of the control of each field name, where it is not the name itself. */
export function ErrorSummary({ state, fieldIds = {}, slot }: { state: SummaryState; fieldIds?: Record<string, string>; slot?: string }) {
  const box = useRef<HTMLDivElement>(null);
  // The slot, once in the browser (null while rendering on the server: the summary then shows in place).
  const target = useSlot(slot);
  const refused = state.ok === false || Boolean(state.fieldErrors && Object.keys(state.fieldErrors).length > 0) || (!state.ok && Boolean(state.message));
  useEffect(() => {
    if (!refused) return;
    box.current?.focus();
    const title = document.title;
    if (!title.startsWith("Error: ")) document.title = `Error: ${title}`;
    return () => {
      document.title = document.title.replace(/^Error: /, "");
    };
  }, [refused, state]);
  if (!refused) return null;
  const fields = Object.entries(state.fieldErrors ?? {}).filter(([, messages]) => messages.length > 0);
  const summary = (
    <div ref={box} tabIndex={-1} role="alert" aria-labelledby="error-summary-title" className="space-y-2 rounded border-4 border-red-700 bg-white p-4 focus:outline-offset-4" data-testid="error-summary">
      <h2 id="error-summary-title" className="text-lg font-bold">
        There is a problem
      </h2>
      {fields.length > 0 ? (
        <ul className="space-y-1">
          {fields.map(([name, messages]) => (
            <li key={name}>
              <a href={`#${fieldIds[name] ?? name}`} className="font-medium text-red-700 underline" data-testid="form-error">
                {messages.join(" ")}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p className="font-medium text-red-700" data-testid="form-error">
          {state.message}
        </p>
      )}
    </div>
  );
  return target ? createPortal(summary, target) : summary;
}
