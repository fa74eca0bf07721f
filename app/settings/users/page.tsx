import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import Link from "next/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { titleOr404 } from "@/components/page-not-found";
import type { Actor } from "@/lib/auth/actor";
import { formatDateTime, formatDueDay } from "@/components/format";
import { InviteCsvForm, InvitePersonForm, PersonActionButton, PersonActionsProvider, RemovePersonForm } from "@/components/people-forms";
import { currentActor, requireActor } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { INVITE_CSV_MAX_ROWS } from "@/lib/people/invitations";
import { organisationFor } from "@/lib/people/organisations";
import { listPeople } from "@/lib/people/people";
import { changeRoleAction, invitePeopleFromCsvAction, invitePersonAction, removePersonAction, signOutPersonAction, withdrawInvitationAction } from "./actions";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The organisation (the actor's own, or ?organisation=<code>) and its people, once per request (the
 * title and the page both ask); null when the actor may not see them: the page's 404.
 */
const organisationPeople = cache(async (actor: Actor, code: string) => {
  try {
    const organisation = code ? await organisationFor(actor, code) : { id: actor.organisationId, code: actor.organisationCode, name: actor.organisationName };
    return { organisation, ...(await listPeople(actor, organisation.id)) };
  } catch (error) {
    if (isAppError(error) && error.code === "NOT_FOUND") return null;
    throw error;
  }
});

const codeOf = (params: Record<string, string | string[] | undefined>) => (typeof params.organisation === "string" ? params.organisation : "");

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const actor = await currentActor();
  if (!actor) return { title: "People" };
  const params = await searchParams;
  const loaded = await organisationPeople(actor, codeOf(params));
  const shown = loaded !== null && (params.remove === undefined || loaded.people.some((p) => p.id === params.remove));
  return titleOr404(shown, loaded ? `People of ${loaded.organisation.name}` : "People");
}

// An organisation's people, for its administrators; a helpdesk administrator manages any
// organisation's with ?organisation=<code>. ?remove=<userId> asks to confirm a removal; ?removed=<userId>
// is where one lands.
export default async function PeoplePage({ searchParams }: Props) {
  const actor = await requireActor();
  const params = await searchParams;
  const code = codeOf(params);
  const loaded = await organisationPeople(actor, code);
  if (!loaded) notFound();
  const { organisation, people, removed, invitations } = loaded;
  const formCode = code ? organisation.code : "";
  const here = (query: Record<string, string> = {}) => {
    const search = new URLSearchParams({ ...(formCode ? { organisation: formCode } : {}), ...query }).toString();
    return search ? `/settings/users?${search}` : "/settings/users";
  };
  const confirming = params.remove === undefined ? null : (people.find((p) => p.id === params.remove) ?? notFound());
  const justRemoved = removed.find((p) => p.id === params.removed);

  return (
    <div className="space-y-8">
      <Breadcrumbs
        trail={
          code && organisation.code !== actor.organisationCode
            ? [
                { href: "/", label: "Home" },
                { href: "/admin/organisations", label: "Organisations" },
                { href: `/admin/organisations/${encodeURIComponent(organisation.code)}`, label: organisation.name },
              ]
            : [
                { href: "/", label: "Home" },
                { href: "/settings", label: "Settings" },
              ]
        }
      />
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">People of {organisation.name}</h1>
        <p className="max-w-prose">
          Everyone who signs in to the portal for {organisation.name}. Administrators invite people, make others administrators and remove
          people; {organisation.name} always keeps at least one administrator. Each change is recorded in the audit log, with who made it.
        </p>
      </div>

      {justRemoved ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-900" data-testid="person-removed">
          {justRemoved.name} ({justRemoved.email}) has been removed: they are signed out and cannot sign in.
        </p>
      ) : null}

      {confirming ? (
        <section aria-labelledby="remove-heading" className="space-y-3 rounded border border-red-300 bg-red-50 p-4">
          <h2 id="remove-heading" className="text-xl font-semibold">
            Remove {confirming.name} from {organisation.name}
          </h2>
          <ul className="list-disc space-y-1 pl-6">
            <li>
              {confirming.name} ({confirming.email}) is signed out at once, on every device, and cannot sign in again.
            </li>
            <li>They are not emailed about it, nor about requests from now on.</li>
            <li>The requests, notes and Install Codes they handled stay with {organisation.name}.</li>
            <li>They can be invited again later.</li>
          </ul>
          <RemovePersonForm action={removePersonAction} userId={confirming.id} organisation={formCode} name={confirming.name} />
          <p>
            <Link href={here()} className="text-blue-700 underline">
              Cancel
            </Link>
          </p>
        </section>
      ) : null}

      <PersonActionsProvider actions={{ changeRole: changeRoleAction, signOut: signOutPersonAction, withdraw: withdrawInvitationAction }}>
        <section aria-labelledby="people-heading" className="space-y-3">
          <h2 id="people-heading" className="text-xl font-semibold">
            People
          </h2>
          <div className="table-scroll" tabIndex={0}>
            <table className="w-full border-collapse bg-white text-left text-sm [&_td]:p-2 [&_th]:p-2 [&_tbody_tr]:border-b [&_tbody_tr]:border-slate-200">
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col">Name</th>
                  <th scope="col">Email address</th>
                  <th scope="col">Role</th>
                  <th scope="col">Open sessions</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {people.map((person) => (
                  <tr key={person.id} data-testid="person-row">
                    <td id={`person-${person.id}`} className="font-medium">
                      {person.name}
                      {person.id === actor.userId ? " (you)" : ""}
                    </td>
                    <td className="break-all">{person.email}</td>
                    <td>{person.role}</td>
                    <td>{person.sessions}</td>
                    <td>
                      <div className="flex flex-wrap gap-2">
                        <PersonActionButton
                          intent="changeRole"
                          fields={{ userId: person.id, administrator: person.administrator ? "false" : "true" }}
                          label={person.administrator ? "No longer administrator" : "Make administrator"}
                          describedBy={`person-${person.id}`}
                        />
                        <PersonActionButton intent="signOut" fields={{ userId: person.id }} label="Sign out everywhere" describedBy={`person-${person.id}`} />
                        <Link href={here({ remove: person.id })} aria-describedby={`person-${person.id}`} className={`rounded border border-red-700 px-3 py-1 text-red-800 hover:bg-red-50`}>
                          Remove
                        </Link>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section aria-labelledby="invitations-heading" className="space-y-3">
          <h2 id="invitations-heading" className="text-xl font-semibold">
            Open invitations
          </h2>
          {invitations.length === 0 ? (
            <p>No invitations waiting to be accepted.</p>
          ) : (
            <ul className="space-y-2">
              {invitations.map((invitation) => (
                <li key={invitation.id} className="flex flex-wrap items-center gap-3" data-testid="invitation-row">
                  <span id={`invitation-${invitation.id}`}>
                    {invitation.name} ({invitation.email}){invitation.administrator ? ", as an administrator" : ""}: sent {formatDateTime(invitation.createdAt)}, expires{" "}
                    {formatDateTime(invitation.expiresAt)}
                  </span>
                  <PersonActionButton intent="withdraw" fields={{ invitationId: invitation.id }} label="Withdraw" describedBy={`invitation-${invitation.id}`} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </PersonActionsProvider>

      <section aria-labelledby="invite-heading" className="space-y-3">
        <h2 id="invite-heading" className="text-xl font-semibold">
          Invite a person
        </h2>
        <p className="max-w-prose">They get an email with a link that works for a few days; their account exists once they accept. A person belongs to one organisation.</p>
        <InvitePersonForm action={invitePersonAction} organisation={formCode} />
      </section>

      <section aria-labelledby="invite-csv-heading" className="space-y-3">
        <h2 id="invite-csv-heading" className="text-xl font-semibold">
          Invite people from a CSV file
        </h2>
        <pre className="w-fit max-w-full overflow-x-auto rounded bg-slate-100 p-3 text-sm" aria-label="An example file" tabIndex={0}>
          {"email,name,role\nsam@example.co.uk,Sam Patel,user\nkim@example.co.uk,Kim Lee,administrator"}
        </pre>
        <InviteCsvForm action={invitePeopleFromCsvAction} organisation={formCode} maxRows={INVITE_CSV_MAX_ROWS} />
      </section>

      {removed.length > 0 ? (
        <section aria-labelledby="removed-heading" className="space-y-3">
          <h2 id="removed-heading" className="text-xl font-semibold">
            Removed people
          </h2>
          <ul className="space-y-1">
            {removed.map((person) => (
              <li key={person.id} data-testid="removed-person">
                {person.name} ({person.email}): Left the organisation on {formatDueDay(person.removedAt!)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
