import Link from "next/link";
import type { DueListRow, SupplierRow, WeekRow } from "@/lib/sla/dashboard";
import type { ReportingPeriod } from "@/lib/sla/period";
import { DeviceId } from "./device-id";
import { DueBadge } from "./due-badge";
import { FormField, secondaryButtonClass } from "./form-field";
import { formatDateTime, formatDueDay } from "./format";
import { WeeklyChart } from "./weekly-chart";

// The parts of /helpdesk and /performance: the period form, the lists, the per-Supplier table and the
// weekly figures. Props in, markup out.

const count = (n: number) => n.toLocaleString("en-GB");

/** Working Days to a response: "2", "2.5"; a dash when there is nothing to measure. */
export function formatWorkingDays(n: number | null): string {
  return n === null ? "—" : (Math.round(n * 10) / 10).toLocaleString("en-GB");
}

export function formatPercent(n: number | null): string {
  return n === null ? "—" : `${(Math.round(n * 10) / 10).toLocaleString("en-GB")}%`;
}

// Every week starts on a Monday: the day, month and year say which.
const weekDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const weekShort = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const utcDay = (iso: string) => new Date(`${iso}T00:00:00Z`);

const control = "rounded border border-slate-500 bg-white px-3 py-2 aria-[invalid=true]:border-red-700";
export const linkClass = "text-blue-700 underline";

/** The period form: a GET form, so a period is a link. */
export function PeriodForm({
  action,
  period,
  values,
  errors,
}: {
  action: string;
  period: ReportingPeriod;
  values: Record<string, string>;
  errors: Record<string, string[]>;
}) {
  const failed = Object.keys(errors).length > 0;
  const kind = errors.period ? "this-month" : (values.period ?? (values.from || values.to ? "custom" : period.kind));
  return (
    <div className="space-y-2">
      <form method="get" action={action} className="flex flex-wrap items-end gap-3" aria-label="Choose a period" noValidate>
        <FormField id="period" label="Period" errors={errors.period}>
          <select name="period" defaultValue={kind} className={control}>
            <option value="this-month">This month</option>
            <option value="last-month">Last month</option>
            <option value="custom">Custom range</option>
          </select>
        </FormField>
        <FormField id="from" label="From (UK date)" errors={errors.from}>
          <input name="from" type="date" defaultValue={values.from ?? ""} className={control} />
        </FormField>
        <FormField id="to" label="To (UK date)" errors={errors.to}>
          <input name="to" type="date" defaultValue={values.to ?? ""} className={control} />
        </FormField>
        <button type="submit" className={secondaryButtonClass}>
          Show
        </button>
      </form>
      <p className="text-sm">
        <Link href={`${action}?period=this-month`} className={linkClass}>
          This month
        </Link>
        <span aria-hidden="true"> · </span>
        <Link href={`${action}?period=last-month`} className={linkClass}>
          Last month
        </Link>
      </p>
      {failed ? (
        <p className="font-medium text-red-700" data-testid="period-error">
          {Object.values(errors).flat().join(" ")} Showing this month instead.
        </p>
      ) : null}
      <p data-testid="period-label">
        Period: <strong>{period.label}</strong> ({formatDueDay(utcDay(period.firstDay))} to {formatDueDay(utcDay(period.lastDay))}, UK time)
      </p>
    </div>
  );
}

/** The at-risk or breached list (its first rows), with how many there are in all. */
export function DueListTable({ id, caption, list, limit }: { id: string; caption: string; list: { rows: DueListRow[]; total: number }; limit: number }) {
  if (list.total === 0) return <p>None.</p>;
  return (
    <div className="space-y-2">
      {list.total > list.rows.length ? (
        <p data-testid={`${id}-shown`}>
          Showing the first {count(list.rows.length)} of {count(list.total)}; the CSV has all of them.
        </p>
      ) : null}
      <div className="table-scroll" tabIndex={0}>
        <table className="w-full border-collapse bg-white text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-200" data-testid={`${id}-table`}>
          <caption className="sr-only">
            {caption}
            {list.total > limit ? `, the first ${limit}` : ""}
          </caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col">Reference</th>
              <th scope="col">Device ID</th>
              <th scope="col">Raised by</th>
              <th scope="col">Assigned to</th>
              <th scope="col">Raised</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((r) => (
              <tr key={r.reference}>
                <td>
                  <a href={`/requests/${r.reference}`} className="font-mono text-blue-700 underline">
                    {r.reference}
                  </a>
                </td>
                <td>
                  <DeviceId value={r.deviceId} />
                </td>
                <td>{r.raisingOrganisation.name}</td>
                <td>
                  {r.assignedOrganisation.name} <span className="text-slate-700">({r.assignedOrganisation.code})</span>
                </td>
                <td className="whitespace-nowrap">{formatDateTime(r.raisedAt)}</td>
                <td>
                  <span className="block whitespace-nowrap">{formatDueDay(r.dueAt)}</span>
                  <DueBadge text={r.due} tone={r.dueTone} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Per installing Supplier over the period. */
export function SupplierTable({ rows, workingDays, caption }: { rows: SupplierRow[]; workingDays: number; caption: string }) {
  if (rows.length === 0) return <p>No requests were assigned in this period, and none is breached now.</p>;
  return (
    <div className="table-scroll" tabIndex={0}>
      <table className="w-full border-collapse bg-white text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-200" data-testid="supplier-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300 align-bottom">
            <th scope="col">Installing Supplier</th>
            <th scope="col" className="text-right">Received</th>
            <th scope="col" className="text-right">Answered</th>
            <th scope="col" className="text-right">Median Working Days to first response</th>
            <th scope="col" className="text-right">90th percentile</th>
            <th scope="col" className="text-right">% answered within {workingDays} Working Days</th>
            <th scope="col" className="text-right">Breached in period</th>
            <th scope="col" className="text-right">Breached now</th>
            <th scope="col" className="text-right">Reassigned away</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.organisationId} data-testid={`supplier-${r.code}`}>
              <th scope="row" className="font-normal">
                {r.name} <span className="text-slate-700">({r.code})</span>
              </th>
              <td className="text-right">{count(r.received)}</td>
              <td className="text-right">{count(r.answered)}</td>
              <td className="text-right">{formatWorkingDays(r.medianWorkingDays)}</td>
              <td className="text-right">{formatWorkingDays(r.p90WorkingDays)}</td>
              <td className="text-right">{formatPercent(r.percentInTime)}</td>
              <td className="text-right">{count(r.breached)}</td>
              <td className="text-right">{count(r.currentlyBreached)}</td>
              <td className="text-right">{count(r.reassignedAway)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The weekly chart, a summary of it in words, and the same figures as a table. */
export function WeeklyFigures({ weeks }: { weeks: WeekRow[] }) {
  const raised = weeks.reduce((n, w) => n + w.raised, 0);
  const answered = weeks.reduce((n, w) => n + w.answered, 0);
  const first = weeks[0]!;
  const last = weeks[weeks.length - 1]!;
  return (
    <figure className="space-y-3">
      <figcaption data-testid="weekly-summary">
        Requests raised and answered (first responses) per week, weeks starting on Monday, UK time, from the week of{" "}
        {weekDay.format(utcDay(first.weekStart))} to the week of {weekDay.format(utcDay(last.weekStart))}: {count(raised)} raised and{" "}
        {count(answered)} answered in all.
      </figcaption>
      <WeeklyChart weeks={weeks.map((w) => ({ label: weekShort.format(utcDay(w.weekStart)), raised: w.raised, answered: w.answered }))} />
      <details>
        <summary className="cursor-pointer text-blue-700 underline">The chart&apos;s figures as a table</summary>
        <table className="mt-2 border-collapse bg-white text-left text-sm [&_td]:px-3 [&_td]:py-1 [&_th]:px-3 [&_th]:py-1" data-testid="weekly-table">
          <caption className="sr-only">Requests raised and answered per week</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col">Week starting (Monday)</th>
              <th scope="col" className="text-right">Raised</th>
              <th scope="col" className="text-right">Answered</th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.weekStart} className="border-b border-slate-200">
                <th scope="row" className="font-normal whitespace-nowrap">
                  {weekDay.format(utcDay(w.weekStart))}
                </th>
                <td className="text-right">{count(w.raised)}</td>
                <td className="text-right">{count(w.answered)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** A link to one table's CSV. */
export function CsvLink({ href, children, testId }: { href: string; children: string; testId: string }) {
  return (
    <p>
      <a href={href} className={linkClass} data-testid={testId} download>
        {children}
      </a>
    </p>
  );
}
