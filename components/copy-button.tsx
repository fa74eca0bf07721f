"use client";

import { useEffect, useRef, useState, useSyncExternalStore } from "react";

// A small "Copy" button for a value people paste elsewhere (a Device ID into their own systems). It
// exists only where it can work: not without JavaScript (the server renders nothing) nor where the
// browser offers no clipboard (an insecure origin). What happened is said in words, in a polite live
// region, so a screen reader hears "Copied" too.

type Outcome = "idle" | "copied" | "failed";

const noSubscription = () => () => {};
const clipboardWorks = () => typeof navigator.clipboard?.writeText === "function";
/** On the server, and while hydrating, there is no clipboard: the button appears once the browser has taken over. */
const onServer = () => false;

export function CopyButton({ text, label }: { text: string; /** The accessible name: "Copy Device ID 00-DB-…". */ label: string }) {
  const available = useSyncExternalStore(noSubscription, clipboardWorks, onServer);
  const [outcome, setOutcome] = useState<Outcome>("idle");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  if (!available) return null;

  async function copy() {
    clearTimeout(timer.current);
    try {
      await navigator.clipboard.writeText(text);
      setOutcome("copied");
    } catch {
      setOutcome("failed");
    }
    timer.current = setTimeout(() => setOutcome("idle"), 5_000);
  }

  return (
    <span className="inline-flex items-center gap-2 print:hidden">
      <button
        type="button"
        onClick={copy}
        aria-label={label}
        className="inline-flex min-h-6 min-w-6 items-center rounded border border-slate-500 bg-white px-2 py-0.5 text-sm font-medium text-slate-900 hover:bg-slate-100"
      >
        Copy
      </button>
      <span aria-live="polite" role="status" className="text-sm text-slate-700" data-testid="copy-status">
        {outcome === "copied" ? "Copied" : outcome === "failed" ? "Could not copy: select it and copy it instead" : ""}
      </span>
    </span>
  );
}
