import type { Metadata } from "next";
import Link from "next/link";

/** The title of every "not found" answer: a page that names what was asked for would confirm it exists. */
export const NOT_FOUND_TITLE = "Page not found";

/**
 * A page's metadata: its title, or "Page not found" when the page will answer this visitor with the
 * 404 page (a page's own title would otherwise stay on the 404).
 */
export function titleOr404(shown: boolean, title: string): Metadata {
  return { title: shown ? title : NOT_FOUND_TITLE };
}

/** The 404 page's content (app/not-found.tsx). */
export function PageNotFound() {
  return (
    <div className="max-w-xl space-y-4">
      <h1 className="text-2xl font-bold">{NOT_FOUND_TITLE}</h1>
      <p>If you typed the address or a reference, check it is correct.</p>
      <p>
        A request is shown only to the Supplier that raised it, the Supplier it is assigned to and the DCC Helpdesk: to anyone else it is not
        found, like one that does not exist.
      </p>
      <ul className="list-disc space-y-1 pl-6">
        <li>
          <Link href="/requests" className="text-blue-700 underline">
            Go to your requests
          </Link>
        </li>
        <li>
          <Link href="/help" className="text-blue-700 underline">
            Read the help
          </Link>
        </li>
      </ul>
    </div>
  );
}
