import Link from "next/link";
import type { ReactNode } from "react";
import { Breadcrumbs } from "./breadcrumbs";

// The confirmation page pattern (GOV.UK "check before you do it"): an action that cannot be undone
// has a page of its own that says what will happen, then one button and "Cancel". A refusal shows
// in the error summary at its top (FEEDBACK_SLOT); success leads back to the request.

export function RequestActionPage({
  reference,
  title,
  consequences,
  unavailable,
  children,
}: {
  reference: string;
  title: string;
  /** What will happen, each a sentence. */
  consequences: string[];
  /** Why the action is not open to this reader on this request now; the form is not shown. */
  unavailable?: string | null;
  children: ReactNode;
}) {
  return (
    <div className="max-w-2xl space-y-6">
      <Breadcrumbs
        trail={[
          { href: "/requests", label: "Requests" },
          { href: `/requests/${reference}`, label: `Request ${reference}` },
        ]}
      />
      <div className="space-y-1">
        <p className="text-slate-700">
          Request <span className="font-mono">{reference}</span>
        </p>
        <h1 className="text-2xl font-bold">{title}</h1>
      </div>
      {unavailable ? (
        <>
          <p data-testid="action-unavailable">{unavailable}</p>
          <p>
            <Link href={`/requests/${reference}`} className="text-blue-700 underline">
              Back to request {reference}
            </Link>
          </p>
        </>
      ) : (
        <>
          <section aria-labelledby="what-happens" className="space-y-2">
            <h2 id="what-happens" className="text-lg font-semibold">
              What will happen
            </h2>
            <ul className="list-disc space-y-1 pl-6">
              {consequences.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          </section>
          {children}
        </>
      )}
    </div>
  );
}
