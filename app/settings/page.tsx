import type { Metadata } from "next";
import Link from "next/link";
import { isHelpdesk } from "@/lib/auth/actor";
import { requireActor } from "@/lib/auth/session";
import { canManage } from "@/lib/people/permissions";

export const metadata: Metadata = { title: "Settings" };

// The signed-in person's organisation's settings: everyone in it sees them; its administrators change
// them (lib/people/permissions.ts "settings:manage").
export default async function SettingsPage() {
  const actor = await requireActor();
  return (
    <div className="space-y-8">
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Settings of {actor.organisationName}</h1>
        <dl className="grid max-w-prose grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="font-medium">Organisation</dt>
          <dd data-testid="settings-organisation-name">{actor.organisationName}</dd>
          <dt className="font-medium">{isHelpdesk(actor) ? "Code" : "SEC Party code"}</dt>
          <dd className="font-mono" data-testid="settings-organisation-code">
            {actor.organisationCode}
          </dd>
        </dl>
      </div>
      <ul className="max-w-prose space-y-4">
        {canManage(actor, "people:list", actor.organisationId) ? (
          <li>
            <Link href="/settings/users" className="text-lg font-medium text-blue-700 underline">
              People
            </Link>
            <p className="text-sm text-slate-700">Who signs in for {actor.organisationName}: invite people, make them administrators, remove them.</p>
          </li>
        ) : null}
        <li>
          <Link href="/settings/notifications" className="text-lg font-medium text-blue-700 underline">
            Email notifications
          </Link>
          <p className="text-sm text-slate-700">Which emails you get, one by one or in a daily digest, and {actor.organisationName}&apos;s team address.</p>
        </li>
        <li>
          <Link href="/settings/api-keys" className="text-lg font-medium text-blue-700 underline">
            API keys
          </Link>
          <p className="text-sm text-slate-700">Keys that let {actor.organisationName}&apos;s systems use the portal&apos;s API: create, name, see when each was last used, revoke.</p>
        </li>
        <li>
          <Link href="/settings/webhooks" className="text-lg font-medium text-blue-700 underline">
            Webhooks
          </Link>
          <p className="text-sm text-slate-700">Addresses where the portal tells {actor.organisationName}&apos;s systems about its requests as they change.</p>
        </li>
      </ul>
    </div>
  );
}
