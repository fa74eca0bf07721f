import type { Metadata } from "next";
import Link from "next/link";
import { formatDueDay, statusLabel } from "@/components/format";
import { OverdueBadge, StatusBadge } from "@/components/status-badge";
import { isSupplierUser } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { listRequests, LIST_LIMIT, type RequestSummary } from "@/lib/requests/list-requests";
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
  const raw = (await searchParams).status;
  const status = typeof raw === "string" && raw !== "" ? raw : undefined;
  let requests: RequestSummary[];
  let filterError: string | null = null;
  try {
    requests = await listRequests(actor, { status });
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    filterError = `There is no status "${status}": showing every request.`;
    requests = await listRequests(actor);
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h1 className="text-2xl font-bold">Requests</h1>
        {isSupplierUser(actor) ? (
          <Link href="/requests/new" className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800">
            Raise a request
          </Link>
        ) : null}
      </div>
      <form method="get" className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="status" className="block font-medium">
            Status
          </label>
          <select id="status" name="status" defaultValue={filterError ? "" : (status ?? "")} className="rounded border border-slate-500 bg-white px-3 py-2">
            <option value="">All</option>
            {REQUEST_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100">
          Filter
        </button>
      </form>
      {filterError ? <p className="text-red-700">{filterError}</p> : null}
      {requests.length === 0 ? (
        <p>No requests{status && !filterError ? ` with status ${statusLabel(status)}` : ""}.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse bg-white text-left text-sm">
            <caption className="sr-only">Requests you can see, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">Reference</th>
                <th scope="col" className="p-2">Device ID</th>
                <th scope="col" className="p-2">Status</th>
                <th scope="col" className="p-2">Other party</th>
                <th scope="col" className="p-2">Due</th>
              </tr>
            </thead>
            <tbody>
              {requests.map((r) => (
                <tr key={r.reference} className="border-b border-slate-200">
                  <td className="p-2">
                    <Link href={`/requests/${r.reference}`} className="font-mono text-blue-700 underline">
                      {r.reference}
                    </Link>
                  </td>
                  <td className="p-2 font-mono">{r.deviceId}</td>
                  <td className="p-2">
                    <StatusBadge status={r.status} />
                    {r.overdue ? <OverdueBadge /> : null}
                  </td>
                  <td className="p-2">{otherParty(r)}</td>
                  <td className="p-2">{formatDueDay(r.dueAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {requests.length === LIST_LIMIT ? <p className="mt-2 text-sm">Showing the newest {LIST_LIMIT}. Filter by status to see others.</p> : null}
        </div>
      )}
    </div>
  );
}
