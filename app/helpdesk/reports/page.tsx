import type { Metadata } from "next";
import { titleOr404 } from "@/components/page-not-found";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { FormField } from "@/components/form-field";
import { formatDateTime } from "@/components/format";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { isAppError } from "@/lib/errors";
import { formatMonth, listObligationReports, londonMonth, monthLabel, parseMonth, reportMonth } from "@/lib/sla/report";

export async function generateMetadata(): Promise<Metadata> {
  const actor = await currentActor();
  return titleOr404(!actor || isHelpdesk(actor), "Obligation reports");
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const inputClass = "rounded border border-slate-500 bg-white px-3 py-2 font-mono aria-[invalid=true]:border-red-700";

export default async function ObligationReportsPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!isHelpdesk(actor)) notFound();
  const at = now();
  const params = await searchParams;
  const asked = typeof params.month === "string" ? params.month : undefined;
  let monthErrors: string[] | undefined;
  if (asked !== undefined) {
    let month: string | undefined;
    try {
      month = reportMonth(asked, at);
    } catch (error) {
      if (!isAppError(error)) throw error;
      monthErrors = error.fieldErrors.month ?? [error.message];
    }
    if (month) redirect(`/helpdesk/reports/${month}`);
  }
  const reports = await listObligationReports(actor);
  const current = londonMonth(at);

  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Install Code obligation reports</h1>
      <p className="max-w-prose">
        For the SEC Panel: per installing Supplier, the requests received in a month and how they stood at its end. Each month&apos;s
        report is generated on the first Working Day of the next month and kept unchanged; the helpdesk is emailed a link.
      </p>
      <p>
        <Link href={`/helpdesk/reports/${formatMonth(current)}`} className="text-blue-700 underline" data-testid="current-month-report">
          {monthLabel(current)} so far (provisional)
        </Link>
      </p>
      <h2 className="text-xl font-semibold">Kept reports</h2>
      {reports.length === 0 ? (
        <p>No report has been kept yet: the first is generated on the first Working Day after a month ends.</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="w-full border-collapse bg-white text-left text-sm" data-testid="reports-table">
            <caption className="sr-only">Kept obligation reports, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">Month</th>
                <th scope="col" className="p-2">Generated</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.month} className="border-b border-slate-200">
                  <td className="p-2">
                    <Link href={`/helpdesk/reports/${r.month}`} className="text-blue-700 underline">
                      {monthLabel(parseMonth(r.month)!)}
                    </Link>
                  </td>
                  <td className="p-2 whitespace-nowrap">{formatDateTime(r.generatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form method="get" className="flex flex-wrap items-end gap-3" noValidate>
        <FormField id="month" label="Another month (YYYY-MM)" errors={monthErrors}>
          <input name="month" defaultValue={asked ?? ""} placeholder="2026-11" autoComplete="off" className={inputClass} />
        </FormField>
        <button type="submit" className="rounded border border-slate-500 bg-white px-4 py-2 font-medium hover:bg-slate-100">
          Open
        </button>
      </form>
    </div>
  );
}
