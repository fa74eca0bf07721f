"use client";

import { createPortal } from "react-dom";
import { ErrorSummary, useSlot, type SummaryState } from "./error-summary";
import { NotificationBanner } from "./notification-banner";

// Every form's answer in one place, the top of the page (issue 13): a refusal as the error summary
// (each field's message a link to it), success as a notification banner. Both go into the page's
// feedback slot (app/layout.tsx) once the page is in the browser; before that, where the form is.

export const FEEDBACK_SLOT = "action-feedback";

export function FormMessage({ state, fieldIds }: { state: SummaryState; fieldIds?: Record<string, string> }) {
  const slot = useSlot(FEEDBACK_SLOT);
  if (!state.ok) return <ErrorSummary state={state} fieldIds={fieldIds} slot={FEEDBACK_SLOT} />;
  if (!state.message) return null;
  const banner = <NotificationBanner>{state.message}</NotificationBanner>;
  return slot ? createPortal(banner, slot) : banner;
}
