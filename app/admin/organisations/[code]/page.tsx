import type { Metadata } from "next";
import Link from "next/link";
import { cache } from "react";
import type { Actor } from "@/lib/auth/actor";
import { notFound } from "next/navigation";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { formatDateTime } from "@/components/format";
import { NOT_FOUND_TITLE } from "@/components/page-not-found";
import { RenameOrganisationForm, SuspensionForm } from "@/components/organisation-forms";
import { secondaryButtonClass } from "@/components/form-field";
import { currentActor, requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { organisationFor, type OrganisationSummary } from "@/lib/people/organisations";
import { canManage } from "@/lib/people/permissions";
import { reinstateOrganisationAction, renameOrganisationAction, suspendOrganisationAction } from "../actions";

// The page's title names the organisation only when the page shows it.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const actor = await currentActor();
  const organisation = actor ? await manageableOrganisation(actor, (await params).code) : null;
  return { title: organisation ? `${organisation.name} · Organisations` : NOT_FOUND_TITLE };
}

/** The organisation if this actor may manage it; null (not found) otherwise. Once per request. */
const manageableOrganisation = cache(async (actor: Actor, code: string): Promise<OrganisationSummary | null> => {
  try {
    const organisation = await organisationFor(actor, code);
    return canManage(actor, "organisation:rename", organisation.id) ? organisation : null;
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") return null;
    throw error;
  }
});

type Props = {
  params: Promise<{ code: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
const linkClass = "text-blue-700 underline";

// One organisation, for the helpdesk's administrators: its facts, rename, suspend or reinstate.
// Anyone else, and a code that does not exist, is "not found". A Supplier's administrator manages
// its own people at /settings/users, not here.
export default async function OrganisationPage({ params, searchParams }: Props) {
  const actor = await requireActor();
  const { code } = await params;
  const organisation = await manageableOrganisation(actor, code);
  if (!organisation) notFound();

  const query = await searchParams;
  const o = organisation;
  const page = `/admin/organisations/${encodeURIComponent(o.code)}`;
  const people = `/settings/users?organisation=${encodeURIComponent(o.code)}`;
  const supplier = o.kind === "SUPPLIER";
  const confirming = supplier && !o.suspendedAt && one(query.suspend) === "1";
  // The action's redirect says what it did; shown only while it is still so.
  const done = one(query.suspended) === "1" && o.suspendedAt ? `${o.name} is suspended.` : one(query.reinstated) === "1" && !o.suspendedAt ? `${o.name} is reinstated: its people can sign in again.` : null;

  return (
    <div className="space-y-8">
      <Breadcrumbs
        trail={[
          { href: "/", label: "Home" },
          { href: "/admin/organisations", label: "Organisations" },
        ]}
      />
      {done ? (
        <p role="status" className="rounded border border-green-700 bg-green-50 p-4 font-medium text-green-900" data-testid="organisation-done">
          {done}
        </p>
      ) : null}

      <div className="space-y-3">
        <h1 className="text-2xl font-bold">{o.name}</h1>
        <dl className="grid max-w-prose grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="organisation-facts">
          <dt className="font-medium">{supplier ? "SEC Party code" : "Code"}</dt>
          <dd className="font-mono">{o.code}</dd>
          <dt className="font-medium">Kind</dt>
          <dd>{supplier ? "Supplier" : "Helpdesk (the DCC Service Desk)"}</dd>
          <dt className="font-medium">Team address</dt>
          <dd className="break-all">{o.teamEmail ?? "None"}</dd>
          <dt className="font-medium">People</dt>
          <dd>{o.people.toLocaleString("en-GB")}</dd>
          <dt className="font-medium">Administrators</dt>
          <dd>{o.administrators === 0 ? "None: invite one" : o.administrators.toLocaleString("en-GB")}</dd>
          <dt className="font-medium">Status</dt>
          <dd data-testid="organisation-status">{o.suspendedAt ? <strong className="text-red-800">Suspended since {formatDateTime(o.suspendedAt)}</strong> : "Active"}</dd>
        </dl>
        <p>
          <Link href={people} className={linkClass}>
            People of {o.name}
          </Link>
        </p>
      </div>

      <section aria-labelledby="rename-heading" className="space-y-3">
        <h2 id="rename-heading" className="text-xl font-semibold">
          Rename
        </h2>
        <RenameOrganisationForm action={renameOrganisationAction} code={o.code} name={o.name} />
      </section>

      <section aria-labelledby="suspension-heading" className="max-w-prose space-y-3">
        <h2 id="suspension-heading" className="text-xl font-semibold">
          {o.suspendedAt ? "Reinstate" : "Suspend"}
        </h2>
        {!supplier ? (
          <p>The DCC Service Desk is the helpdesk itself: it cannot be suspended.</p>
        ) : o.suspendedAt ? (
          <>
            <p>
              While suspended, {o.name}&apos;s people cannot sign in and its API keys are refused. Reinstating lets them sign in and use
              its keys again.
            </p>
            <SuspensionForm action={reinstateOrganisationAction} code={o.code} label={`Reinstate ${o.name}`} />
          </>
        ) : confirming ? (
          <div className="space-y-3 rounded border border-red-700 bg-red-50 p-4" data-testid="suspend-confirmation">
            <p className="font-medium">Suspend {o.name}? When you do:</p>
            <ul className="list-disc space-y-1 pl-6">
              <li>its people are signed out at once and cannot sign in;</li>
              <li>its API keys are refused;</li>
              <li>
                its open requests stay visible to the other party and the helpdesk, who can reassign them;
              </li>
              <li>no emails go to its people or its team address.</li>
            </ul>
            <p>You can reinstate it later.</p>
            <div className="flex flex-wrap items-start gap-4">
              <SuspensionForm action={suspendOrganisationAction} code={o.code} label={`Suspend ${o.name}`} danger />
              <Link href={page} className={secondaryButtonClass}>
                Cancel
              </Link>
            </div>
          </div>
        ) : (
          <>
            <p>Suspending {o.name} stops its people signing in and its API keys working, until it is reinstated.</p>
            <p>
              <Link href={`${page}?suspend=1`} className={linkClass}>
                Suspend {o.name}…
              </Link>
            </p>
          </>
        )}
      </section>
    </div>
  );
}
