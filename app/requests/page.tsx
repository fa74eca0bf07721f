import type { Metadata } from "next";
import Link from "next/link";
import { formatDueDay } from "@/components/format";
import { LIST_FILTER_FIELDS, PageLinks, RequestFilters, type ListFilterValues } from "@/components/request-list";
import { RequestTable } from "@/components/request-table";
import { isHelpdesk, isSupplierUser } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { isAppError, type FieldErrors } from "@/lib/errors";
import { listRequests, type RequestPage, type RequestSummary } from "@/lib/requests/list-requests";
import { REQUEST_STATUSES } from "@/lib/requests/schemas";

export const metadata: Metadata = { title: "Requests" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function otherParty(r: RequestSummary): string {
  if (r.role === "raised") return `Assigned to ${r.assignedOrganisation}`;
  if (r.role === "assigned") return `Raised by ${r.raisingOrganisation}`;
  return `${r.raisingOrganisation} → ${r.assignedOrganisation}`;
}

export default async function RequestsPage({ searchParams }: Props) {
  const actor = await requireActor();
  const params = await searchParams;
  // Own properties only, of the names the list knows: nothing from a prototype, nothing else.
  const input = Object.fromEntries(
    [...LIST_FILTER_FIELDS, "after", "before"].filter((k) => Object.hasOwn(params, k)).map((k) => [k, params[k]]),
  );
  const values: ListFilterValues = Object.fromEntries(
    LIST_FILTER_FIELDS.filter((k) => typeof input[k] === "string").map((k) => [k, input[k] as string]),
  );

  let page: RequestPage;
  let errors: FieldErrors = {};
  try {
    page = await listRequests(actor, input);
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    // A filter that cannot be applied is said so, and the whole list shown instead.
    errors = error.fieldErrors;
    page = await listRequests(actor);
  }
  const failed = Object.keys(errors).length > 0;
  const filtered = !failed && Object.keys(values).length > 0;

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
      <RequestFilters values={values} errors={errors} statuses={REQUEST_STATUSES} helpdesk={isHelpdesk(actor)} />
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
        <p>{filtered ? "No requests match these filters." : "No requests."}</p>
      ) : (
        <RequestTable
          rows={page.requests.map((r) => ({
            reference: r.reference,
            deviceId: r.deviceId,
            status: r.status,
            otherParty: otherParty(r),
            due: formatDueDay(r.dueAt),
            dueBadge: r.dueBadge?.text ?? null,
            dueTone: r.dueBadge?.tone ?? null,
          }))}
        />
      )}
      <PageLinks filters={failed ? {} : values} newer={page.newer} older={page.older} />
    </div>
  );
}
