import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { ObligationReportTable } from "@/components/obligation-report-table";
import { NOT_FOUND_TITLE } from "@/components/page-not-found";
import { PrintButton } from "@/components/print-button";
import { isHelpdesk } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { now } from "@/lib/clock";
import { isAppError } from "@/lib/errors";
import { dayLabel, monthLabel, monthPeriod, ordinal, parseMonth, reportDueDay, reportTable, viewMonthlyReport, type ReportView } from "@/lib/sla/report";
import { londonDay } from "@/lib/sla/working-days";

type Props = { params: Promise<{ month: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const actor = await currentActor();
  if (!actor || !isHelpdesk(actor)) return { title: NOT_FOUND_TITLE };
  const m = parseMonth((await params).month);
  return { title: m ? `Obligation report: ${monthLabel(m)}` : "Obligation report" };
}

const linkClass = "text-blue-700 underline";
const REPORTS_TRAIL = [
  { href: "/", label: "Home" },
  { href: "/helpdesk/reports", label: "Obligation reports" },
];

export default async function ObligationReportPage({ params }: Props) {
  const actor = await requireActor();
  if (!isHelpdesk(actor)) notFound();
  const { month } = await params;
  let view: ReportView;
  try {
    view = await viewMonthlyReport(actor, month, now());
  } catch (error) {
    // Not a month that has a report ("2026-13", "abc", next month): say so, and where the reports are.
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    return (
      <div className="max-w-prose space-y-4">
        <Breadcrumbs trail={REPORTS_TRAIL} />
        <h1 className="text-2xl font-bold">{error.message}</h1>
        <p data-testid="month-error">{error.fieldErrors.month?.join(" ")}</p>
        <p>
          <Link href="/helpdesk/reports" className={linkClass}>
            All obligation reports
          </Link>
        </p>
      </div>
    );
  }

  const { report, provisional } = view;
  const m = parseMonth(report.month)!;
  const label = monthLabel(m);
  const asOf = new Date(report.asOf);
  const complete = asOf >= monthPeriod(m).to;
  const lastDay = londonDay(new Date(asOf.getTime() - 1));

  return (
    <article className="obligation-report space-y-6 print:space-y-3">
      <Breadcrumbs trail={REPORTS_TRAIL} />
      <h1 className="text-2xl font-bold">Install Code obligation report: {label}</h1>
      <p data-testid="report-dates">
        Generated {formatDateTime(new Date(report.generatedAt))} (UK time).{" "}
        {complete ? `Figures as of the end of ${dayLabel(lastDay)} (UK time).` : `Figures as of ${formatDateTime(asOf)} (UK time).`}
      </p>
      {provisional ? (
        <p className="max-w-prose rounded border border-amber-700 bg-amber-50 p-3 print:border-black print:bg-white" data-testid="provisional-notice">
          <strong>Provisional.</strong>{" "}
          {provisional === "month-not-over"
            ? `${label} is not over yet: these figures will change. The report is kept on ${dayLabel(reportDueDay(report.month))}, the first Working Day after the month ends.`
            : `The report for ${label} has not been kept yet (it is generated on the first Working Day after the month ends): these figures are computed now, as of the end of the month.`}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center gap-4 print:hidden">
        <PrintButton />
        <a href={`/helpdesk/reports/${report.month}/csv`} className={linkClass} data-testid="report-csv">
          Download as CSV
        </a>
        <Link href="/helpdesk/reports" className={linkClass}>
          All obligation reports
        </Link>
      </div>
      {report.rows.length === 0 ? (
        <p data-testid="report-empty">No request was assigned to a Supplier in {label}.</p>
      ) : (
        <ObligationReportTable caption={`Install Code requests received in ${label}, per installing Supplier, and where they stood at the end of the month`} table={reportTable(report)} />
      )}
      <section className="max-w-prose space-y-2 text-sm print:max-w-none" aria-labelledby="how-counted">
        <h2 id="how-counted" className="text-lg font-semibold">
          How these figures are counted
        </h2>
        <p>
          A request counts once, in the month its clock started: when it was assigned to the Supplier on being raised, or reassigned
          to it by the DCC Helpdesk (a reassignment starts a new clock for the new Supplier, and the previous one&apos;s row shows it
          as reassigned away). The clock stops at the Supplier&apos;s first Install Code; a note is not a response. The response is due
          by the end of the {ordinal(report.responseWorkingDays)} Working Day after the day the clock started; Working Days exclude
          weekends and England and Wales bank holidays, in UK time.
        </p>
        <p>
          Each request is shown as it stood at the end of the month: an Install Code given after the month ended counts here as
          unanswered, and a request received late in the month may not yet be due. &ldquo;Deadline missed&rdquo; counts the requests
          whose due time passed by the end of the month with no Install Code by then: answered late, still unanswered, or reassigned
          or closed after it. The median counts the Working Days from the day the clock started to the day of the Install Code (0: the
          same day), over the requests answered by the end of the month. A kept report does not change afterwards.
        </p>
      </section>
    </article>
  );
}
