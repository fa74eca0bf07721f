import type { Metadata } from "next";
import Link from "next/link";
import { ChangeEmailForm, OwnNameForm, SignOutEverywhereForm } from "@/components/people-forms";
import { requireActor } from "@/lib/auth/session";
import { ownProfile } from "@/lib/people/people";
import { requestEmailChangeAction, signOutEverywhereAction, updateOwnNameAction } from "./actions";

export const metadata: Metadata = { title: "Your profile" };

export default async function ProfilePage() {
  const actor = await requireActor();
  const profile = await ownProfile(actor);
  return (
    <div className="max-w-2xl space-y-8">
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Your profile</h1>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1" data-testid="profile-details">
          <dt className="font-medium">Name</dt>
          <dd>{profile.name}</dd>
          <dt className="font-medium">Email address</dt>
          <dd className="break-all">{profile.email}</dd>
          <dt className="font-medium">Role</dt>
          <dd>{profile.role}</dd>
          <dt className="font-medium">Organisation</dt>
          <dd>
            {profile.organisationName} (<span className="font-mono">{profile.organisationCode}</span>)
          </dd>
        </dl>
      </div>

      <section aria-labelledby="name-heading" className="space-y-3">
        <h2 id="name-heading" className="text-xl font-semibold">
          Your name
        </h2>
        <OwnNameForm action={updateOwnNameAction} name={profile.name} />
      </section>

      <section aria-labelledby="change-email-heading" className="space-y-3">
        <h2 id="change-email-heading" className="text-xl font-semibold">
          Change email address
        </h2>
        <p>We email a link to the new address; your address changes when you open it and confirm. Then every browser signs out, and you sign in with the new address.</p>
        <ChangeEmailForm action={requestEmailChangeAction} />
      </section>

      <section aria-labelledby="email-heading" className="space-y-2">
        <h2 id="email-heading" className="text-xl font-semibold">
          Emails
        </h2>
        <p>
          Which emails you get, one by one or in a daily digest: <Link href="/settings/notifications" className="text-blue-700 underline">Settings → Email notifications</Link>.
        </p>
      </section>

      <section aria-labelledby="sessions-heading" className="space-y-3">
        <h2 id="sessions-heading" className="text-xl font-semibold">
          Where you are signed in
        </h2>
        <p data-testid="profile-sessions">
          You have {profile.sessions} open session{profile.sessions === 1 ? "" : "s"}, this browser included. Signing out everywhere ends them all: every
          browser, this one too, must sign in again.
        </p>
        <SignOutEverywhereForm action={signOutEverywhereAction} />
      </section>
    </div>
  );
}
