import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { notFound } from "next/navigation";
import { cache } from "react";
import { titleOr404 } from "@/components/page-not-found";
import { CreateApiKeyForm, RevokeApiKeyForm } from "@/components/api-key-forms";
import { ApiKeyTable } from "@/components/api-key-table";
import { formatDateTime } from "@/components/format";
import { listApiKeysFor } from "@/lib/api-keys/manage-keys";
import { isHelpdesk, type Actor } from "@/lib/auth/actor";
import { currentActor, requireActor } from "@/lib/auth/session";
import { canManageSettings } from "@/lib/people/permissions";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** The organisation's keys, once per request (the title and the page both ask). */
const keysOf = cache((actor: Actor) => listApiKeysFor(actor));

// ?revoke=<prefix> of a key that is not the organisation's is a 404: so is the title.
export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const actor = await currentActor();
  const { revoke } = await searchParams;
  const unknown = actor !== null && revoke !== undefined && canManageSettings(actor) && !(await keysOf(actor)).some((k) => k.prefix === revoke);
  return titleOr404(!unknown, "API keys");
}

// ?revoke=<prefix> asks to confirm revoking one of the organisation's keys (another's, or none, is a
// 404); ?revoked=<prefix> is where revoking lands. A new key is never in the address: it is only in
// the answer to the form's POST (app/settings/api-keys/actions.ts).
export default async function ApiKeysPage({ searchParams }: Props) {
  const actor = await requireActor();
  const params = await searchParams;
  const keys = await keysOf(actor);
  const manage = canManageSettings(actor);
  const confirming = params.revoke === undefined || !manage ? null : (keys.find((k) => k.prefix === params.revoke) ?? notFound());
  const revoked = keys.find((k) => k.prefix === params.revoked && k.revokedAt);
  const organisation = actor.organisationName;

  return (
    <div className="space-y-8">
      <Breadcrumbs
        trail={[
          { href: "/", label: "Home" },
          { href: "/settings", label: "Settings" },
        ]}
      />
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">API keys of {organisation}</h1>
        <p className="max-w-prose">
          An API key lets one of {organisation}&apos;s systems use the portal&apos;s API without a person.{" "}
          {isHelpdesk(actor)
            ? "A DCC key acts with the DCC Helpdesk's rights: it sees every request and can reassign them."
            : `A key acts as ${organisation}: it can raise, answer and close requests as any of its users can here.`}{" "}
          Give each system its own key, so that you can revoke one without stopping the others.
        </p>
        <p className="max-w-prose text-sm text-slate-700">
          {organisation}&apos;s administrators create and revoke its keys; everyone in it can see them. Each creation and revocation is recorded in the audit log, with who did it.
        </p>
      </div>

      {revoked ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-green-900" data-testid="api-key-revoked">
          API key <span className="font-mono">{revoked.prefix}</span> &ldquo;{revoked.name}&rdquo; is revoked: systems using it are refused from now on.
        </p>
      ) : null}

      {confirming ? (
        <section aria-labelledby="revoke-heading" className="space-y-3 rounded border border-red-300 bg-red-50 p-4">
          <h2 id="revoke-heading" className="text-xl font-semibold">
            Revoke an API key
          </h2>
          {confirming.revokedAt ? (
            <p>
              <span className="font-mono">{confirming.prefix}</span> &ldquo;{confirming.name}&rdquo; was revoked on {formatDateTime(confirming.revokedAt)}.{" "}
              <a href="/settings/api-keys" className="text-blue-700 underline">
                Back to the keys
              </a>
            </p>
          ) : (
            <RevokeApiKeyForm action={revokeApiKeyAction} prefix={confirming.prefix} name={confirming.name} />
          )}
        </section>
      ) : null}

      <section aria-labelledby="create-heading" className="space-y-3">
        <h2 id="create-heading" className="text-xl font-semibold">
          Create a key
        </h2>
        {manage ? (
          <CreateApiKeyForm action={createApiKeyAction} />
        ) : (
          <p data-testid="settings-administrators-only">Only {organisation}&apos;s administrators can create and revoke API keys: ask one of them.</p>
        )}
      </section>

      <section aria-labelledby="keys-heading" className="space-y-3">
        <h2 id="keys-heading" className="text-xl font-semibold">
          Keys
        </h2>
        <ApiKeyTable
          canRevoke={manage}
          organisationName={organisation}
          rows={keys.map((k) => ({
            name: k.name,
            prefix: k.prefix,
            createdAt: k.createdAt,
            createdBy: k.createdBy ? `${k.createdBy.name} (${k.createdBy.email})` : null,
            lastUsedAt: k.lastUsedAt,
            revokedAt: k.revokedAt,
          }))}
        />
      </section>
    </div>
  );
}
