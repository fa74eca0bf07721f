import type { Metadata } from "next";
import { titleOr404 } from "@/components/page-not-found";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime, statusLabel } from "@/components/format";
import { CsvLink, DueListTable, linkClass, PeriodForm, SupplierTable, WeeklyFigures } from "@/components/sla-dashboard";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { isAppError, type FieldErrors } from "@/lib/errors";
import { DUE_LIST_LIMIT, helpdeskDashboard, type HelpdeskDashboard } from "@/lib/sla/dashboard";
import { periodInput, periodQuery } from "@/lib/sla/period";

export async function generateMetadata(): Promise<Metadata> {
  const actor = await currentActor();
  return titleOr404(!actor || isHelpdesk(actor), "Helpdesk dashboard");
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const count = (n: number) => n.toLocaleString("en-GB");
const STATUS_MEANING: Record<string, string> = {
  ASSIGNED: "awaiting the installing Supplier's Install Code",
  RESPONDED: "answered, awaiting the raiser's check and close",
  DECLINED: "unassignable: declined by the assigned Supplier, awaiting your reassignment or closing as not possible",
};

export default async function HelpdeskPage({ searchParams }: Props) {
  const actor = await requireActor();
  if (!isHelpdesk(actor)) notFound();
  const input = periodInput(await searchParams);
  let data: HelpdeskDashboard;
  let errors: FieldErrors = {};
  try {
    data = await helpdeskDashboard(actor, input);
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    // A period that cannot be read is said so, and this month shown instead.
    errors = error.fieldErrors;
    data = await helpdeskDashboard(actor, {});
  }
  const open = data.open.reduce((n, s) => n + s.count, 0);
  const exportHref = (table: string) => `/helpdesk/export?${periodQuery(data.period, { table })}`;

  return (
    <div className="space-y-10">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Helpdesk dashboard</h1>
        <p className="max-w-prose">
          The {data.workingDays}-Working-Day obligation across every Supplier, as at {formatDateTime(data.now)} (UK time). A request is
          breached once its due time passes without an Install Code from the Supplier it is assigned to.
        </p>
        <p>
          <Link href="/helpdesk/reports" className="text-blue-700 underline">
            Monthly obligation reports for the SEC Panel
          </Link>
        </p>
        <p>
          <Link href="/helpdesk/emails" className="text-blue-700 underline">
            Emails waiting or failed
          </Link>
        </p>
      </div>

      <section aria-labelledby="open-heading" className="space-y-3">
        <h2 id="open-heading" className="text-xl font-semibold">
          Open requests: {count(open)}
        </h2>
        <ul className="space-y-1" data-testid="open-by-status">
          {data.open.map((s) => (
            <li key={s.status}>
              <Link href={s.status === "DECLINED" ? "/requests?queue=unassignable" : `/requests?status=${s.status}`} className={linkClass}>
                {statusLabel(s.status)}
              </Link>
              : <strong>{count(s.count)}</strong> ({STATUS_MEANING[s.status]})
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="breached-heading" className="space-y-3">
        <h2 id="breached-heading" className="text-xl font-semibold">
          Breached: {count(data.breached.total)}
        </h2>
        <p className="max-w-prose">
          Awaiting a response past the due time, most overdue first. Work through them in the{" "}
          <Link href="/requests?queue=breached" className={linkClass}>
            Breached queue
          </Link>
          .
        </p>
        <DueListTable id="breached" caption="Breached requests, most overdue first" list={data.breached} limit={DUE_LIST_LIMIT} />
        <CsvLink href={exportHref("breached")} testId="export-breached">
          Download the breached list as CSV
        </CsvLink>
      </section>

      <section aria-labelledby="at-risk-heading" className="space-y-3">
        <h2 id="at-risk-heading" className="text-xl font-semibold">
          At risk: {count(data.atRisk.total)}
        </h2>
        <p className="max-w-prose">
          Awaiting a response and due by the end of the next Working Day, soonest first. Work through them in the{" "}
          <Link href="/requests?queue=at-risk" className={linkClass}>
            At risk queue
          </Link>
          .
        </p>
        <DueListTable id="at-risk" caption="Requests at risk, due soonest first" list={data.atRisk} limit={DUE_LIST_LIMIT} />
        <CsvLink href={exportHref("at-risk")} testId="export-at-risk">
          Download the at-risk list as CSV
        </CsvLink>
      </section>

      <section aria-labelledby="period-heading" className="space-y-6">
        <div className="space-y-3">
          <h2 id="period-heading" className="text-xl font-semibold">
            Over a period
          </h2>
          <PeriodForm action="/helpdesk" period={data.period} values={input} errors={errors} />
        </div>

        <section aria-labelledby="suppliers-heading" className="space-y-3">
          <h3 id="suppliers-heading" className="text-lg font-semibold">
            Installing Suppliers
          </h3>
          <p className="max-w-prose text-sm">
            Requests assigned or reassigned to each Supplier in the period. Working Days to first response count from the day after
            assignment to the day of its first Install Code. The percentage is of the requests whose outcome is known (answered, or
            past due); &quot;breached now&quot; counts every request awaiting its response past the due time today, whenever raised.
          </p>
          <SupplierTable rows={data.suppliers} workingDays={data.workingDays} caption={`Installing Suppliers, ${data.period.label}`} />
          <CsvLink href={exportHref("suppliers")} testId="export-suppliers">
            Download the Supplier table as CSV
          </CsvLink>
        </section>

        <section aria-labelledby="weekly-heading" className="space-y-3">
          <h3 id="weekly-heading" className="text-lg font-semibold">
            Raised and answered per week
          </h3>
          <WeeklyFigures weeks={data.weekly} />
          <CsvLink href={exportHref("weekly")} testId="export-weekly">
            Download the weekly figures as CSV
          </CsvLink>
        </section>
      </section>
    </div>
  );
}
