import type { Metadata } from "next";
import Link from "next/link";
import { formatDueDay } from "@/components/format";
import { QueueEmptyState, QueueTabs } from "@/components/queue-tabs";
import { LIST_FILTER_FIELDS, listHref, PageLinks, RequestFilters, type ListFilterValues, type ListView } from "@/components/request-list";
import { RequestTable, type SortableColumn } from "@/components/request-table";
import { isHelpdesk, isSupplierUser } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { isAppError, type FieldErrors } from "@/lib/errors";
import { listRequests, type RequestPage, type RequestSummary } from "@/lib/requests/list-requests";
import { QUEUE_COUNT_CAP, queueCounts } from "@/lib/requests/queue-counts";
import { defaultQueueId, queuesFor, sortDescending, sortKey, type ListSort } from "@/lib/requests/queues";
import { REQUEST_STATUSES } from "@/lib/requests/schemas";

export const metadata: Metadata = { title: "Requests" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function otherParty(r: RequestSummary): string {
  if (r.role === "raised") return `Assigned to ${r.assignedOrganisation}`;
  if (r.role === "assigned") return `Raised by ${r.raisingOrganisation}`;
  return `${r.raisingOrganisation} → ${r.assignedOrganisation}`;
}

const SORT_WORDS: Record<ListSort, string> = {
  "raised-desc": "newest first",
  "raised-asc": "oldest first",
  "due-asc": "soonest due first",
  "due-desc": "latest due first",
};

/** A column heading's link: the other way round if the list is sorted by it, else its usual way. */
function sortColumn(view: ListView, current: ListSort, key: "raised" | "due"): SortableColumn {
  const sorted = sortKey(current) === key ? (sortDescending(current) ? "descending" : "ascending") : null;
  const usual: ListSort = key === "raised" ? "raised-desc" : "due-asc";
  const next: ListSort = sorted === null ? usual : sorted === "descending" ? `${key}-asc` : `${key}-desc`;
  return { href: listHref({ ...view, sort: next }), sorted };
}

export default async function RequestsPage({ searchParams }: Props) {
  const actor = await requireActor();
  const params = await searchParams;
  // Own properties only, of the names the list knows: nothing from a prototype, nothing else.
  const input: Record<string, unknown> = Object.fromEntries(
    [...LIST_FILTER_FIELDS, "queue", "sort", "after", "before"].filter((k) => Object.hasOwn(params, k)).map((k) => [k, params[k]]),
  );
  const values: ListFilterValues = Object.fromEntries(
    LIST_FILTER_FIELDS.filter((k) => typeof input[k] === "string" && input[k] !== "").map((k) => [k, input[k] as string]),
  );
  // No queue named: the person's first queue, or every request when the address carries filters.
  if (input.queue === undefined || input.queue === "") input.queue = defaultQueueId(actor, Object.keys(values).length > 0);

  let page: RequestPage;
  let errors: FieldErrors = {};
  const counting = queueCounts(actor);
  counting.catch(() => {}); // awaited below; a failed list must not leave its rejection unhandled
  try {
    page = await listRequests(actor, input);
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    // A queue, order or filter that cannot be applied is said so, and every request shown instead.
    errors = error.fieldErrors;
    page = await listRequests(actor, { queue: "all" });
  }
  const counts = await counting;
  const failed = Object.keys(errors).length > 0;
  const filtered = !failed && Object.keys(values).length > 0;

  const queues = queuesFor(actor);
  const queue = failed ? queues.find((q) => q.id === "all") : queues.find((q) => q.id === input.queue);
  const view: ListView = { queue: queue?.id, sort: failed ? undefined : (input.sort as string | undefined) || undefined, filters: failed ? {} : values };
  const tabs = queues.map((q) => {
    const count = counts.find((c) => c.id === q.id);
    return {
      id: q.id,
      label: q.label,
      count: count ? (count.more ? `${QUEUE_COUNT_CAP.toLocaleString("en-GB")}+` : count.count.toLocaleString("en-GB")) : null,
      href: listHref({ queue: q.id, filters: {} }),
      current: q.id === queue?.id,
    };
  });
  const helpdesk = isHelpdesk(actor);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-bold">Requests</h1>
        {isSupplierUser(actor) ? (
          <div className="flex flex-wrap items-center gap-4">
            <Link href="/requests/bulk" className="text-blue-700 underline">
              Raise from a CSV file
            </Link>
            <Link href="/requests/new" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
              Raise a request
            </Link>
          </div>
        ) : null}
      </div>
      {tabs.length > 0 ? <QueueTabs tabs={tabs} /> : null}
      <RequestFilters values={values} errors={errors} statuses={REQUEST_STATUSES} helpdesk={helpdesk} keep={{ queue: view.queue, sort: view.sort }} />
      {failed ? (
        <div className="text-red-700" data-testid="filter-error">
          {Object.values(errors)
            .flat()
            .map((message) => (
              <p key={message}>{message}: showing every request.</p>
            ))}
        </div>
      ) : null}
      {page.requests.length === 0 ? (
        <QueueEmptyState
          queue={queue?.id ?? null}
          filtered={filtered}
          clearHref={listHref({ queue: view.queue, filters: {} })}
          allHref={listHref({ queue: "all", filters: view.filters })}
          supplier={isSupplierUser(actor)}
        />
      ) : (
        <RequestTable
          caption={`${queue?.label ?? "Requests"}: requests ${SORT_WORDS[page.sort]}`}
          bothParties={helpdesk}
          sort={{ raised: sortColumn(view, page.sort, "raised"), due: sortColumn(view, page.sort, "due") }}
          rows={page.requests.map((r) => ({
            reference: r.reference,
            deviceId: r.deviceId,
            status: r.status,
            ...(helpdesk ? { raisedBy: r.raisingOrganisation, assignedTo: r.assignedOrganisation } : { otherParty: otherParty(r) }),
            raised: formatDueDay(r.raisedAt),
            due: formatDueDay(r.dueAt),
            dueBadge: r.dueBadge?.text ?? null,
            dueTone: r.dueBadge?.tone ?? null,
          }))}
        />
      )}
      <PageLinks view={view} newer={page.newer} older={page.older} newestFirst={page.sort === "raised-desc"} />
    </div>
  );
}
