import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { formatDateTime } from "@/components/format";
import { EarlierClocks, ObligationDue } from "@/components/obligation";
import {
  AddNoteForm,
  CloseNotPossibleForm,
  CloseRequestForm,
  DeclineRequestForm,
  ProvideInstallCodeForm,
  ReassignForm,
  RevealInstallCode,
} from "@/components/request-forms";
import { RequestTimeline } from "@/components/request-timeline";
import { OverdueBadge, StatusBadge } from "@/components/status-badge";
import { currentActor, requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { NOT_FOUND_TITLE } from "@/components/page-not-found";
import { visibleReference } from "@/lib/requests/find";
import { DECLINE_DETAIL_MAX, DECLINE_REASONS } from "@/lib/requests/schemas";
import { viewRequest, type RequestView } from "@/lib/requests/view-request";
import {
  addNoteAction,
  closeNotPossibleAction,
  closeRequestAction,
  declineRequestAction,
  provideInstallCodeAction,
  reassignRequestAction,
  revealInstallCodeAction,
} from "../actions";

type Props = {
  params: Promise<{ reference: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

// The title names the request only when the page will show it: a 404 says "Page not found", never
// the reference that was asked for.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const actor = await currentActor();
  const reference = actor ? await visibleReference(actor, (await params).reference) : null;
  return { title: reference ? `Request ${reference}` : NOT_FOUND_TITLE };
}

export default async function RequestPage({ params, searchParams }: Props) {
  const actor = await requireActor();
  const { reference } = await params;
  const flags = await searchParams;
  let request: RequestView;
  try {
    request = await viewRequest(actor, reference);
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  const { allowed } = request;

  return (
    <div className="space-y-8">
      <p>
        <Link href="/requests" className="text-blue-700 underline">
          Back to requests
        </Link>
      </p>
      {flags.raised ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-900">
          {request.status === "RESPONDED" && request.respondedAt?.getTime() === request.raisedAt.getTime()
            ? `Request raised and answered at once: ${request.assignedOrganisation.name} had lodged the Install Code in advance.`
            : `Request raised and assigned to ${request.assignedOrganisation.name}, who has been emailed.`}
        </p>
      ) : null}
      {flags.existing ? (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-900">
          Your organisation already has an open request for this Device: here it is. No new request was raised
          {flags.noteAdded ? "; your note was added to this one." : "."}
        </p>
      ) : null}

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
            <dd className="font-mono" data-testid="device-id">{request.device.deviceId}</dd>
            <dt className="font-medium">Type</dt>
            <dd>{request.device.deviceType}</dd>
            <dt className="font-medium">SMI status</dt>
            <dd>{request.device.status ?? "None (Type 2 Device)"}</dd>
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
        <h2 id="install-code-heading" className="text-lg font-semibold">
          Install code
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
        {allowed["install-code:provide"] && !request.installCodes.some((c) => c.canReveal && !c.beforeReassignment) ? (
          <p className="font-medium" data-testid="code-wanted">
            {request.reassigned
              ? "The request has been reassigned to your organisation: provide the Install Code you hold for this Device."
              : "Provide the Install Code for this Device."}
          </p>
        ) : null}
        {allowed["install-code:provide"] ? (
          <ProvideInstallCodeForm action={provideInstallCodeAction} reference={request.reference} replacing={request.installCodes.some((c) => c.canReveal && !c.beforeReassignment)} />
        ) : null}
      </section>

      {allowed["request:decline"] ? (
        <section aria-labelledby="decline-heading" className="space-y-2 rounded border border-slate-300 bg-white p-4">
          <h2 id="decline-heading" className="text-lg font-semibold">
            Not your Device?
          </h2>
          <DeclineRequestForm
            action={declineRequestAction}
            reference={request.reference}
            reasons={Object.entries(DECLINE_REASONS)}
            detailMax={DECLINE_DETAIL_MAX}
          />
        </section>
      ) : null}

      {allowed["request:close"] ? (
        <section aria-labelledby="close-heading" className="space-y-2 rounded border border-slate-300 bg-white p-4">
          <h2 id="close-heading" className="text-lg font-semibold">
            Close
          </h2>
          <CloseRequestForm action={closeRequestAction} reference={request.reference} />
        </section>
      ) : null}

      {allowed["request:reassign"] ? (
        <section aria-labelledby="reassign-heading" className="space-y-2 rounded border border-slate-300 bg-white p-4">
          <h2 id="reassign-heading" className="text-lg font-semibold">
            Reassign
          </h2>
          <ReassignForm action={reassignRequestAction} reference={request.reference} preNotifiedBy={request.preNotifiedBy} />
        </section>
      ) : null}

      {allowed["request:close-not-possible"] ? (
        <section aria-labelledby="close-not-possible-heading" className="space-y-2 rounded border border-slate-300 bg-white p-4">
          <h2 id="close-not-possible-heading" className="text-lg font-semibold">
            Close as not possible
          </h2>
          <CloseNotPossibleForm action={closeNotPossibleAction} reference={request.reference} />
        </section>
      ) : null}

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
