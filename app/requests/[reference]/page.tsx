import type { Metadata } from "next";
import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { primaryLinkClass, secondaryLinkClass } from "@/components/form-field";
import { formatDateTime } from "@/components/format";
import { NotificationBanner } from "@/components/notification-banner";
import { DeviceId } from "@/components/device-id";
import { EarlierClocks, ObligationDue } from "@/components/obligation";
import { doneMessage } from "@/components/request-done";
import { AddNoteForm, ProvideInstallCodeForm, RevealInstallCode } from "@/components/request-forms";
import { RequestTimeline } from "@/components/request-timeline";
import { OverdueBadge, StatusBadge } from "@/components/status-badge";
import { deviceStatusLabel, deviceTypeLabel } from "@/lib/inventory/labels";
import type { RequestView } from "@/lib/requests/view-request";
import { addNoteAction, provideInstallCodeAction, revealInstallCodeAction } from "../actions";
import { loadRequest, requestTitle } from "./load";

type Props = {
  params: Promise<{ reference: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// The title names the request only when the page will show it: a 404 says "Page not found", never
// the reference that was asked for.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return requestTitle((await params).reference);
}

export default async function RequestPage({ params, searchParams }: Props) {
  const { reference } = await params;
  const flags = await searchParams;
  const { request } = await loadRequest(reference);
  const { allowed } = request;
  const done = doneMessage(flags.done, request);
  const ownCode = request.installCodes.some((c) => c.canReveal && !c.beforeReassignment);

  return (
    <div className="space-y-8">
      <Breadcrumbs trail={[{ href: "/requests", label: "Requests" }]} />
      {flags.raised ? (
        <NotificationBanner>
          {request.status === "RESPONDED" && request.respondedAt?.getTime() === request.raisedAt.getTime()
            ? `Request raised and answered at once: ${request.assignedOrganisation.name} had lodged the Install Code in advance.`
            : `Request raised and assigned to ${request.assignedOrganisation.name}, who has been emailed.`}
        </NotificationBanner>
      ) : null}
      {flags.existing ? (
        <NotificationBanner tone="important">
          Your organisation already has an open request for this Device: here it is. No new request was raised
          {flags.noteAdded ? "; your note was added to this one." : "."}
        </NotificationBanner>
      ) : null}
      {done ? <NotificationBanner>{done}</NotificationBanner> : null}

      <div className="space-y-2">
        <h1 className="text-2xl font-bold">
          Request <span className="font-mono">{request.reference}</span>
        </h1>
        <p data-testid="request-status">
          <StatusBadge status={request.status} />
          {request.overdue ? <OverdueBadge /> : null}
        </p>
      </div>
      {request.decline ? (
        <section aria-labelledby="declined-heading" className="space-y-1 rounded border border-purple-300 bg-purple-50 p-4 text-purple-950" data-testid="declined">
          <h2 id="declined-heading" className="text-lg font-semibold">
            Declined by {request.assignedOrganisation.name}
          </h2>
          <p>
            {formatDateTime(request.decline.at)}. Reason: <span data-testid="decline-reason">{request.decline.reasonText}</span>
          </p>
          <p>
            {allowed["request:close-not-possible"]
              ? "This request is in the Unassignable queue: reassign it to the Supplier that holds the Install Code, or close it as not possible."
              : "The DCC Helpdesk will reassign the request to another Supplier or close it as not possible."}
          </p>
        </section>
      ) : null}
      {request.notPossibleReason ? (
        <section aria-labelledby="not-possible-heading" className="space-y-1 rounded border border-slate-400 bg-slate-50 p-4" data-testid="not-possible">
          <h2 id="not-possible-heading" className="text-lg font-semibold">
            Closed as not possible by the DCC Helpdesk
          </h2>
          <p className="whitespace-pre-wrap" data-testid="not-possible-reason">
            {request.notPossibleReason}
          </p>
        </section>
      ) : null}
      {request.withdrawal ? (
        <section aria-labelledby="withdrawn-heading" className="space-y-1 rounded border border-slate-400 bg-slate-50 p-4" data-testid="withdrawn">
          <h2 id="withdrawn-heading" className="text-lg font-semibold">
            Withdrawn by {request.raisingOrganisation.name}
          </h2>
          <p>
            {request.closedAt ? `${formatDateTime(request.closedAt)}. ` : null}Reason: <span className="whitespace-pre-wrap" data-testid="withdraw-reason">{request.withdrawal.reasonText}</span>
          </p>
        </section>
      ) : null}
      <NextSteps request={request} ownCode={ownCode} />
      {request.undeliveredEmails.map((u) => (
        <p key={u.organisation} role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900" data-testid="undelivered-email">
          We could not deliver the email about this request to {u.organisation} ({formatDateTime(u.failedAt)}). The DCC Service Desk
          has been told and can send it again.
        </p>
      ))}

      <div className="grid gap-6 md:grid-cols-2">
        <section aria-labelledby="device-heading" className="rounded border border-slate-300 bg-white p-4">
          <h2 id="device-heading" className="mb-2 text-lg font-semibold">
            Device
          </h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="font-medium">Device ID</dt>
            <dd>
              <DeviceId value={request.device.deviceId} copy testId="device-id" />
            </dd>
            <dt className="font-medium">Type</dt>
            <dd data-testid="device-type">{deviceTypeLabel(request.device.deviceType)}</dd>
            <dt className="font-medium">SMI status</dt>
            <dd data-testid="smi-status">{deviceStatusLabel(request.device.status)}</dd>
            <dt className="font-medium">Manufacturer</dt>
            <dd>{request.device.manufacturer}</dd>
            <dt className="font-medium">Model</dt>
            <dd>{request.device.model}</dd>
          </dl>
        </section>
        <section aria-labelledby="parties-heading" className="rounded border border-slate-300 bg-white p-4">
          <h2 id="parties-heading" className="mb-2 text-lg font-semibold">
            Parties and dates
          </h2>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
            <dt className="font-medium">Raised by</dt>
            <dd data-testid="raising-organisation">
              {request.raisingOrganisation.name} ({request.raisedBy}
              {request.raiserHasLeft ? <span data-testid="raiser-left">, who has since left {request.raisingOrganisation.name}</span> : null})
            </dd>
            <dt className="font-medium">Assigned to</dt>
            <dd data-testid="assigned-organisation">{request.assignedOrganisation.name}</dd>
            <dt className="font-medium">Raised</dt>
            <dd>{formatDateTime(request.raisedAt)}</dd>
            <dt className="font-medium">Response due</dt>
            <dd>
              <ObligationDue request={request} />
            </dd>
            {request.respondedAt ? (
              <>
                <dt className="font-medium">Responded</dt>
                <dd>{formatDateTime(request.respondedAt)}</dd>
              </>
            ) : null}
            {request.clocks.length > 1 ? (
              <>
                <dt className="sr-only">Earlier assignees</dt>
                <dd className="col-span-2">
                  <EarlierClocks clocks={request.clocks} />
                </dd>
              </>
            ) : null}
            {request.closedAt ? (
              <>
                <dt className="font-medium">Closed</dt>
                <dd>{formatDateTime(request.closedAt)}</dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <section aria-labelledby="install-code-heading" className="space-y-3 rounded border border-slate-300 bg-white p-4">
        {/* Not just "Install Code": that is the field's label, and a region named the same would be a second match for it. */}
        <h2 id="install-code-heading" className="text-lg font-semibold">
          Install Code for this Device
        </h2>
        {request.installCodes.length === 0 ? <p data-testid="install-code">Not provided yet.</p> : null}
        {request.installCodes.length > 0 ? (
          <ul className="space-y-4">
            {request.installCodes.map((code) => (
              <li key={code.id} className="space-y-1" data-testid="install-code-item">
                <p className="text-sm text-slate-700" id={`install-code-${code.id}-given`}>
                  Given by {code.providedBy} on {formatDateTime(code.providedAt)}
                  {code.beforeReassignment ? <strong className="font-semibold">, before the request was reassigned</strong> : null}
                </p>
                <RevealInstallCode
                  action={revealInstallCodeAction}
                  reference={request.reference}
                  codeId={code.id}
                  masked={code.masked}
                  canReveal={code.canReveal}
                  describedBy={`install-code-${code.id}-given`}
                />
              </li>
            ))}
          </ul>
        ) : null}
        {allowed["install-code:provide"] && !ownCode ? (
          <>
            <p className="font-medium" data-testid="code-wanted">
              {request.reassigned
                ? "The request has been reassigned to your organisation: provide the Install Code you hold for this Device."
                : "Provide the Install Code for this Device."}
            </p>
            <ProvideInstallCodeForm action={provideInstallCodeAction} reference={request.reference} />
          </>
        ) : null}
        {allowed["install-code:provide"] && ownCode ? (
          <p>
            <Link href={`/requests/${request.reference}/replace-code`} className="text-blue-700 underline" data-testid="replace-code-link">
              Replace the Install Code
            </Link>{" "}
            <span className="text-sm text-slate-700">if the one you gave was wrong (you will be asked why).</span>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="timeline-heading" className="space-y-3">
        <h2 id="timeline-heading" className="text-lg font-semibold">
          Timeline
        </h2>
        <RequestTimeline events={request.timeline} />
      </section>

      {allowed["request:add-note"] ? (
        <section aria-labelledby="add-note-heading" className="space-y-2 rounded border border-slate-300 bg-white p-4">
          <h2 id="add-note-heading" className="text-lg font-semibold">
            Add note
          </h2>
          <AddNoteForm action={addNoteAction} reference={request.reference} />
        </section>
      ) : null}
      {request.status === "CLOSED" ? <p>This request is closed and can no longer be changed.</p> : null}
    </div>
  );
}

/**
 * What this reader can do next, most important first: one primary button (the action the request
 * waits for from them), the rest secondary. Each leads to the action's own page, which says what
 * will happen and asks to confirm.
 */
function NextSteps({ request, ownCode }: { request: RequestView; ownCode: boolean }) {
  const { allowed, reference } = request;
  const steps: { href: string; label: string; primary: boolean; testId: string }[] = [];
  if (allowed["request:close"]) steps.push({ href: `/requests/${reference}/close`, label: "Close request", primary: true, testId: "close-link" });
  if (allowed["request:withdraw"]) steps.push({ href: `/requests/${reference}/withdraw`, label: "Withdraw request", primary: false, testId: "withdraw-link" });
  if (allowed["request:decline"] && !ownCode) steps.push({ href: `/requests/${reference}/decline`, label: "Not your Device? Decline the request", primary: false, testId: "decline-link" });
  if (allowed["request:reassign"]) steps.push({ href: `/requests/${reference}/reassign`, label: "Reassign request", primary: request.status === "DECLINED", testId: "reassign-link" });
  if (allowed["request:close-not-possible"]) steps.push({ href: `/requests/${reference}/close-not-possible`, label: "Close as not possible", primary: false, testId: "close-not-possible-link" });
  if (steps.length === 0) return null;
  return (
    <section aria-labelledby="next-steps-heading" className="space-y-3">
      <h2 id="next-steps-heading" className="sr-only">
        What you can do
      </h2>
      {allowed["request:close"] ? <p>An Install Code has been given: once you have verified it on the Device, close the request.</p> : null}
      <ul className="flex flex-wrap gap-3">
        {steps.map((s) => (
          <li key={s.href}>
            <Link href={s.href} className={s.primary ? primaryLinkClass : secondaryLinkClass} data-testid={s.testId}>
              {s.label}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
