"use client";

// Shown when something unexpected fails while rendering a page. Rules refused by the portal never
// land here: they come back as messages beside the form.
export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p>The portal could not show this page. Nothing you entered has been lost: try again in a moment.</p>
      <button type="button" onClick={reset} className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
        Try again
      </button>
    </div>
  );
}
