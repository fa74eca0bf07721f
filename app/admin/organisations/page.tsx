import type { Metadata } from "next";
import { titleOr404 } from "@/components/page-not-found";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CreateOrganisationForm } from "@/components/organisation-forms";
import { buttonClass, inputClass } from "@/components/form-field";
import { currentActor, requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { listOrganisations, ORGANISATIONS_PAGE_SIZE, organisationFor, type OrganisationSummary } from "@/lib/people/organisations";
import { canManageOrganisations } from "@/lib/people/permissions";
import { createOrganisationAction } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  const actor = await currentActor();
  return titleOr404(!actor || canManageOrganisations(actor, "organisation:list"), "Organisations");
}

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
const linkClass = "text-blue-700 underline";

/** "Not found" from a use case is the page's 404; anything else is a defect. */
async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

function orNull(error: unknown): null {
  if (isAppError(error) && error.code === "NOT_FOUND") return null;
  throw error;
}

// The DCC's helpdesk administrators onboard, rename, suspend and reinstate Suppliers. Anyone else
// gets "not found": listOrganisations refuses them.
export default async function OrganisationsPage({ searchParams }: Props) {
  const actor = await requireActor();
  const params = await searchParams;
  const search = (one(params.search) ?? "").slice(0, 100);
  const organisations = await orNotFound(listOrganisations(actor, { search }));
  const createdCode = one(params.created);
  // ?created= only names an organisation that exists (the action sends it; a stale or typed one says nothing).
  const created: OrganisationSummary | null = createdCode ? await organisationFor(actor, createdCode).catch(orNull) : null;

  return (
    <div className="space-y-8">
      {created ? (
        <div role="status" className="space-y-1 rounded border border-green-700 bg-green-50 p-4" data-testid="organisation-created">
          <p className="font-medium text-green-900">
            {created.name} ({created.code}) has been added.
          </p>
          <p>
            It has nobody yet:{" "}
            <Link href={`/settings/users?organisation=${encodeURIComponent(created.code)}`} className={linkClass}>
              invite its first administrator
            </Link>
            , who can then invite the rest of its people.
          </p>
        </div>
      ) : null}

      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Organisations</h1>
        <p className="max-w-prose">
          The Suppliers that use the portal, and the DCC Service Desk. A suspended Supplier&apos;s people cannot sign in and its API keys are
          refused; its requests stay visible to the other party and the helpdesk.
        </p>
      </div>

      <section aria-labelledby="list-heading" className="space-y-3">
        <h2 id="list-heading" className="text-xl font-semibold">
          {search ? `Organisations matching "${search}"` : "All organisations"}
        </h2>
        <form method="get" action="/admin/organisations" role="search" className="flex flex-wrap items-end gap-2">
          <div className="space-y-1">
            <label htmlFor="search" className="block font-medium">
              Search by code or name
            </label>
            <input id="search" name="search" type="search" defaultValue={search} className={`${inputClass} max-w-sm`} />
          </div>
          <button type="submit" className={buttonClass}>
            Search
          </button>
          {search ? (
            <Link href="/admin/organisations" className={`${linkClass} py-2`}>
              Show all
            </Link>
          ) : null}
        </form>
        {organisations.length === 0 ? (
          <p data-testid="no-organisations">{search ? `No organisation's code or name contains "${search}".` : "No organisations yet."}</p>
        ) : (
          <div className="table-scroll" tabIndex={0}>
            <table className="w-full border-collapse bg-white text-left text-sm" data-testid="organisations">
              <caption className="sr-only">Organisations, by name</caption>
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="p-2">Code</th>
                  <th scope="col" className="p-2">Name</th>
                  <th scope="col" className="p-2">Team address</th>
                  <th scope="col" className="p-2">People</th>
                  <th scope="col" className="p-2">Administrators</th>
                  <th scope="col" className="p-2">Status</th>
                </tr>
              </thead>
              <tbody>
                {organisations.map((o) => (
                  <tr key={o.id} className="border-b border-slate-200 align-top" data-testid="organisation-row" data-code={o.code}>
                    <td className="p-2 font-mono">
                      <Link href={`/admin/organisations/${encodeURIComponent(o.code)}`} className={linkClass}>
                        {o.code}
                      </Link>
                    </td>
                    <td className="p-2">
                      {o.name}
                      {o.kind === "HELPDESK" ? <span className="block text-slate-700">Helpdesk</span> : null}
                    </td>
                    <td className="p-2 break-all">{o.teamEmail ?? <span className="text-slate-700">None</span>}</td>
                    <td className="p-2">{o.people.toLocaleString("en-GB")}</td>
                    <td className="p-2">{o.administrators === 0 ? <strong className="text-amber-900">None</strong> : o.administrators.toLocaleString("en-GB")}</td>
                    <td className="p-2" data-testid="organisation-status">
                      {o.suspendedAt ? <strong className="text-red-800">Suspended</strong> : "Active"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {organisations.length === ORGANISATIONS_PAGE_SIZE ? (
          <p>Showing the first {ORGANISATIONS_PAGE_SIZE} by name: search to find the others.</p>
        ) : null}
      </section>

      <section aria-labelledby="add-heading" className="space-y-3">
        <h2 id="add-heading" className="text-xl font-semibold">
          Add a Supplier
        </h2>
        <p className="max-w-prose">
          A Supplier starts with nobody in it: once it is added, invite its first administrator, who invites the rest.
        </p>
        <CreateOrganisationForm action={createOrganisationAction} />
      </section>
    </div>
  );
}
