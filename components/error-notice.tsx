"use client";

import { useEffect, useRef } from "react";

/**
 * What a person sees when a page fails unexpectedly. `errorId` is Next's digest of a server error,
 * the same id the server logs the detail under (instrumentation.ts); errors raised in the browser
 * have none.
 */
export function ErrorNotice({ errorId, onRetry }: { errorId?: string; onRetry: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The page was replaced under the reader: move focus to the news so a screen reader announces it.
  useEffect(() => heading.current?.focus(), []);

  return (
    <section aria-labelledby="error-heading" className="max-w-xl space-y-4">
      <h1 id="error-heading" ref={heading} tabIndex={-1} className="text-2xl font-bold focus:outline-none">
        Something went wrong
      </h1>
      <p>The portal could not show this page. If you had just saved a change, check whether it was saved before you make it again.</p>
      <h2 className="text-lg font-semibold">What you can do</h2>
      <ul className="list-disc space-y-1 pl-6">
        <li>Try again in a moment.</li>
        {errorId ? (
          <li>If it keeps happening, contact the DCC Helpdesk and quote the error id below: it lets them find out what went wrong.</li>
        ) : (
          <li>If it keeps happening, contact the DCC Helpdesk and say which page you were on and what you were doing.</li>
        )}
      </ul>
      {errorId ? (
        <p data-testid="error-id">
          Error id: <code className="rounded bg-slate-200 px-1 font-mono">{errorId}</code>
        </p>
      ) : null}
      <button type="button" onClick={onRetry} className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
        Try again
      </button>
    </section>
  );
}
