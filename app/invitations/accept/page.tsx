import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvitationForm } from "@/components/people-forms";
import { invitationByToken } from "@/lib/people/invitations";
import { acceptInvitationAction } from "./actions";

export const metadata: Metadata = { title: "Accept an invitation" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// Public: the invitee has no account yet. Opening the link only shows the invitation (mail scanners
// open links); accepting is the button's POST (./actions.ts).
export default async function AcceptInvitationPage({ searchParams }: Props) {
  const params = await searchParams;
  const token = typeof params.token === "string" ? params.token : "";
  const invitation = await invitationByToken(token);
  return (
    <div className="max-w-xl space-y-6">
      <h1 className="text-2xl font-bold">Accept an invitation</h1>
      {invitation.state === "open" ? (
        <>
          <p>You have been invited to the Install Code Request portal.</p>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="invitation-details">
            <dt className="font-medium">Organisation</dt>
            <dd>{invitation.organisation}</dd>
            <dt className="font-medium">Name</dt>
            <dd>{invitation.name}</dd>
            <dt className="font-medium">Email address</dt>
            <dd className="break-all">{invitation.email}</dd>
            <dt className="font-medium">Role</dt>
            <dd>{invitation.role}</dd>
          </dl>
          <p className="text-sm text-slate-700">After accepting you sign in with this email address: the portal emails you a link each time. No password.</p>
          <AcceptInvitationForm action={acceptInvitationAction} token={token} />
        </>
      ) : (
        <>
          <p className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="invitation-problem">
            {invitation.message}.
          </p>
          <p>
            <Link href="/sign-in" className="text-blue-700 underline">
              Sign in
            </Link>
          </p>
        </>
      )}
    </div>
  );
}
