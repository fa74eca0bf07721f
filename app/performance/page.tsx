import type { Metadata } from "next";
import { titleOr404 } from "@/components/page-not-found";
import { notFound, redirect } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { formatWorkingDays, PeriodForm, SupplierTable } from "@/components/sla-dashboard";
import { isHelpdesk, isSupplierUser } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { isAppError, type FieldErrors } from "@/lib/errors";
import { supplierPerformance, type SupplierPerformance } from "@/lib/sla/dashboard";
import { periodInput } from "@/lib/sla/period";

export async function generateMetadata(): Promise<Metadata> {
  const actor = await currentActor();
  return titleOr404(!actor || isSupplierUser(actor), "Performance");
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const count = (n: number) => n.toLocaleString("en-GB");

export default async function PerformancePage({ searchParams }: Props) {
  const actor = await requireActor();
  // The helpdesk has every Supplier's figures on its dashboard.
  if (isHelpdesk(actor)) redirect("/helpdesk");
  if (!isSupplierUser(actor)) notFound();
  const input = periodInput(await searchParams);
  let data: SupplierPerformance;
  let errors: FieldErrors = {};
  try {
    data = await supplierPerformance(actor, input);
  } catch (error) {
    if (!isAppError(error) || error.code !== "VALIDATION") throw error;
    errors = error.fieldErrors;
    data = await supplierPerformance(actor, {});
  }
  const raiser = data.asRaiser;

  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Performance of {data.organisation.name}</h1>
        <p className="max-w-prose">
          How quickly {data.organisation.name} answers the requests assigned to it, and how quickly its own requests are answered, as at{" "}
          {formatDateTime(data.now)} (UK time). An installing Supplier must give the Install Code within {data.workingDays} Working Days.
        </p>
      </div>
      <PeriodForm action="/performance" period={data.period} values={input} errors={errors} />

      <section aria-labelledby="installer-heading" className="space-y-3">
        <h2 id="installer-heading" className="text-xl font-semibold">
          As installing Supplier
        </h2>
        <p className="max-w-prose text-sm">
          Requests assigned or reassigned to you in the period. Working Days to first response count from the day after assignment to
          the day of your first Install Code. &quot;Breached now&quot; counts every request awaiting your response past its due time today,
          whenever it was raised.
        </p>
        <SupplierTable rows={[data.asInstaller]} workingDays={data.workingDays} caption={`${data.organisation.name} as installing Supplier, ${data.period.label}`} />
      </section>

      <section aria-labelledby="raiser-heading" className="space-y-3">
        <h2 id="raiser-heading" className="text-xl font-semibold">
          As raiser
        </h2>
        <p className="max-w-prose text-sm">Requests you raised in the period, and how long you waited for an Install Code.</p>
        <dl className="grid max-w-xl grid-cols-[1fr_auto] gap-x-6 gap-y-1" data-testid="raiser-figures">
          <dt>Raised</dt>
          <dd className="text-right font-semibold">{count(raiser.raised)}</dd>
          <dt>Answered</dt>
          <dd className="text-right font-semibold">{count(raiser.answered)}</dd>
          <dt>Median Working Days to an answer</dt>
          <dd className="text-right font-semibold">{formatWorkingDays(raiser.medianWorkingDaysToAnswer)}</dd>
          <dt>Waiting for an answer now</dt>
          <dd className="text-right font-semibold">{count(raiser.waiting)}</dd>
          <dt>Of which overdue</dt>
          <dd className="text-right font-semibold">{count(raiser.overdue)}</dd>
        </dl>
      </section>
    </div>
  );
}
