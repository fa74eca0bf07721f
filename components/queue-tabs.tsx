import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "./empty-state";

// The queues of /requests as tabs: plain links (a queue is an address, so it can be bookmarked and
// opened in a new tab), the current one marked aria-current="page", each with its count; plain <a>,
// not next/link, which would prefetch every queue whenever the list shows. And what an empty queue
// says to do next. Props in, markup out.

export type QueueTab = {
  id: string;
  label: string;
  /** "3", "1,000+", or null for a tab without a count ("All"). */
  count: string | null;
  href: string;
  current: boolean;
};

// Tabs from 640 px; under it a list, one queue a line, the current one marked by a bar and bold.
const TAB = "block px-3 py-2 max-sm:border-l-4 sm:rounded-t sm:border";
const CURRENT = `${TAB} bg-white font-semibold text-slate-900 max-sm:border-blue-700 sm:border-slate-300 sm:border-b-white`;
const OTHER = `${TAB} text-blue-700 underline hover:bg-slate-100 max-sm:border-transparent sm:border-transparent`;

export function QueueTabs({ tabs }: { tabs: QueueTab[] }) {
  return (
    <nav aria-label="Queues" className="sm:border-b sm:border-slate-300">
      <ul className="flex flex-col gap-1 sm:-mb-px sm:flex-row sm:flex-wrap">
        {tabs.map((tab) => (
          <li key={tab.id}>
            <a href={tab.href} aria-current={tab.current ? "page" : undefined} data-testid={`queue-${tab.id}`} className={tab.current ? CURRENT : OTHER}>
              {tab.label}
              {tab.count !== null ? ` (${tab.count})` : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

const link = "text-blue-700 underline";

/** What each queue says when it is empty: what it is for, and what to do next. */
const EMPTY: Record<string, { title: string; next: ReactNode }> = {
  "needs-response": {
    title: "Nothing needs your response",
    next: (
      <p>
        When another Supplier asks for the Install Code of a Device you pre-notified, the request appears here and your organisation is
        emailed. You can also{" "}
        <Link href="/devices/lodge" prefetch={false} className={link}>
          lodge Install Codes in advance
        </Link>{" "}
        so that requests are answered at once.
      </p>
    ),
  },
  waiting: {
    title: "You are not waiting for any answers",
    next: (
      <p>
        <Link href="/requests/new" prefetch={false} className={link}>
          Raise a request
        </Link>{" "}
        when you need the Install Code of a Device another Supplier installed.
      </p>
    ),
  },
  answered: {
    title: "No answers to check",
    next: <p>When an installing Supplier gives an Install Code, the request appears here: check the code on the Device, then close the request.</p>,
  },
  closed: {
    title: "No closed requests yet",
    next: <p>Requests closed after checking the code, withdrawn, or closed by the DCC Helpdesk as not possible appear here.</p>,
  },
  "at-risk": {
    title: "Nothing at risk",
    next: (
      <p>
        No request awaiting an Install Code falls due by the end of the next Working Day. Requests already past their due time are in{" "}
        <Link href="/requests?queue=breached" prefetch={false} className={link}>
          Breached
        </Link>
        .
      </p>
    ),
  },
  breached: {
    title: "Nothing breached",
    next: <p>Every request awaiting an Install Code is still within its Working Days.</p>,
  },
  unassignable: {
    title: "No unassignable requests",
    next: <p>When an installing Supplier declines a request as not their Device, it appears here for you to reassign or close as not possible.</p>,
  },
};

/**
 * An empty list: with filters, that nothing matches and how to see the queue whole; without, what
 * the queue is for and what to do next.
 */
export function QueueEmptyState({
  queue,
  filtered,
  clearHref,
  allHref,
  supplier,
}: {
  queue: string | null;
  filtered: boolean;
  /** The queue without the filters. */
  clearHref: string;
  /** The filters over every request. */
  allHref: string;
  supplier: boolean;
}) {
  if (filtered) {
    return (
      <EmptyState title={queue && queue !== "all" ? "No requests in this queue match these filters" : "No requests match these filters"}>
        <p>
          <Link href={clearHref} prefetch={false} className={link}>
            Clear the filters
          </Link>
          {queue && queue !== "all" ? (
            <>
              {" "}
              or{" "}
              <Link href={allHref} prefetch={false} className={link}>
                search every request
              </Link>
            </>
          ) : null}
          .
        </p>
      </EmptyState>
    );
  }
  const empty = queue && Object.hasOwn(EMPTY, queue) ? EMPTY[queue] : undefined;
  if (empty) return <EmptyState title={empty.title}>{empty.next}</EmptyState>;
  return (
    <EmptyState title="No requests yet">
      {supplier ? (
        <p>
          <Link href="/requests/new" prefetch={false} className={link}>
            Raise a request
          </Link>{" "}
          for a Device&apos;s Install Code, or wait for one assigned to you.
        </p>
      ) : (
        <p>Requests appear here as Suppliers raise them.</p>
      )}
    </EmptyState>
  );
}
