import Link from "next/link";
import { FormField, inputClass, secondaryButtonClass, selectClass } from "./form-field";
import { statusLabel } from "./format";

// The request list's parts: the filter form (a plain GET form, so a filtered page is a link), the
// table and the page links. Props in, markup out.

export const LIST_FILTER_FIELDS = ["status", "needsResponse", "overdue", "party", "organisation", "q"] as const;
export type ListFilterField = (typeof LIST_FILTER_FIELDS)[number];
export type ListFilterValues = Partial<Record<ListFilterField, string>>;

/** What the list shows, apart from the page: the queue (tab), the order and the filters under them. */
export type ListView = { queue?: string; sort?: string; filters: ListFilterValues };

/** The list's address for this view, and a page cursor. */
export function listHref(view: ListView, page?: { after?: string; before?: string }): string {
  const params = new URLSearchParams();
  if (view.queue) params.set("queue", view.queue);
  if (view.sort) params.set("sort", view.sort);
  for (const field of LIST_FILTER_FIELDS) {
    const value = view.filters[field];
    if (value) params.set(field, value);
  }
  if (page?.after) params.set("after", page.after);
  if (page?.before) params.set("before", page.before);
  const query = params.toString();
  return query ? `/requests?${query}` : "/requests";
}

export function RequestFilters({
  values,
  errors,
  statuses,
  helpdesk,
  keep,
}: {
  values: ListFilterValues;
  errors: Partial<Record<ListFilterField, string[]>>;
  statuses: readonly string[];
  helpdesk: boolean;
  /** The queue and order the filters apply within: filtering keeps them. */
  keep: { queue?: string; sort?: string };
}) {
  const whose = helpdesk ? "that organisation" : "us";
  return (
    <form method="get" action="/requests" className="flex flex-wrap items-end gap-3" aria-label="Filter requests" noValidate>
      {keep.queue ? <input type="hidden" name="queue" value={keep.queue} /> : null}
      {keep.sort ? <input type="hidden" name="sort" value={keep.sort} /> : null}
      <FormField id="q" label="Search" hint="A reference like RIC0000042 or a Device ID" errors={errors.q}>
        <input name="q" type="search" defaultValue={values.q ?? ""} className={inputClass} />
      </FormField>
      <FormField id="status" label="Status" errors={errors.status}>
        <select name="status" defaultValue={errors.status ? "" : (values.status ?? "")} className={selectClass}>
          <option value="">All</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </FormField>
      {helpdesk ? (
        <FormField id="organisation" label="Organisation code" hint="Raised by or assigned to it" errors={errors.organisation}>
          <input name="organisation" defaultValue={values.organisation ?? ""} className={inputClass} autoCapitalize="characters" />
        </FormField>
      ) : null}
      <FormField id="party" label={helpdesk ? "Organisation's part" : "Our part"} errors={errors.party}>
        <select name="party" defaultValue={errors.party ? "" : (values.party ?? "")} className={selectClass}>
          <option value="">Raised by or assigned to {whose}</option>
          <option value="raised">Raised by {whose}</option>
          <option value="assigned">Assigned to {whose}</option>
        </select>
      </FormField>
      <div className="space-y-1">
        <label className="flex items-center gap-2">
          <input type="checkbox" name="needsResponse" value="1" defaultChecked={!errors.needsResponse && Boolean(values.needsResponse)} />
          {helpdesk ? "Awaiting a response" : "Needs our response"}
        </label>
        <label className="flex items-center gap-2">
          <input type="checkbox" name="overdue" value="1" defaultChecked={!errors.overdue && Boolean(values.overdue)} />
          Overdue
        </label>
      </div>
      <button type="submit" className={secondaryButtonClass}>
        Filter
      </button>
    </form>
  );
}

/** The pages before and after this one, keeping the queue, the order and the filters. */
export function PageLinks({ view, newer, older, newestFirst }: { view: ListView; newer: string | null; older: string | null; newestFirst: boolean }) {
  if (!newer && !older) return null;
  return (
    <nav aria-label="Pages" className="flex gap-4">
      {newer ? (
        <Link href={listHref(view, { before: newer })} rel="prev" className="text-blue-700 underline">
          {newestFirst ? "Newer requests" : "Previous page"}
        </Link>
      ) : null}
      {older ? (
        <Link href={listHref(view, { after: older })} rel="next" className="text-blue-700 underline">
          {newestFirst ? "Older requests" : "Next page"}
        </Link>
      ) : null}
    </nav>
  );
}
