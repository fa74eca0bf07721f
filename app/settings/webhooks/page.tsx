import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { CreateWebhookEndpointForm, DeleteWebhookEndpointForm } from "@/components/webhook-forms";
import { WebhookEndpointList } from "@/components/webhook-endpoints";
import { requireActor } from "@/lib/auth/session";
import { canManageSettings } from "@/lib/people/permissions";
import { canManageWebhooks, listWebhookEndpoints, MAX_ENDPOINTS } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { createWebhookEndpointAction, deleteWebhookEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

const SETTINGS_TRAIL = [
  { href: "/", label: "Home" },
  { href: "/settings", label: "Settings" },
];

export default async function WebhooksPage() {
  const actor = await requireActor();
  if (!canManageWebhooks(actor)) {
    return (
      <div className="max-w-2xl space-y-4">
        <Breadcrumbs trail={SETTINGS_TRAIL} />
        <h1 className="text-2xl font-bold">Webhooks</h1>
        <p>
          Webhooks tell a Supplier&apos;s own systems about the requests it raised or is assigned. The DCC Helpdesk is neither, so it has no
          webhooks.
        </p>
      </div>
    );
  }
  const endpoints = await listWebhookEndpoints(actor);
  const manage = canManageSettings(actor);
  return (
    <div className="max-w-4xl space-y-8">
      <Breadcrumbs trail={SETTINGS_TRAIL} />
      <div className="space-y-2">
        <h1 className="text-2xl font-bold">Webhooks</h1>
        <p className="max-w-prose">
          The portal posts a short JSON message to your endpoints when something happens to a request {actor.organisationName} raised or is
          assigned: the event, the request&apos;s reference and Device ID, and a link. Never an Install Code or a note: your system reads
          those through the API. Up to {MAX_ENDPOINTS} endpoints.
        </p>
      </div>

      <section aria-labelledby="add-heading" className="space-y-3">
        <h2 id="add-heading" className="text-xl font-semibold">
          Add an endpoint
        </h2>
        {manage ? (
          <CreateWebhookEndpointForm action={createWebhookEndpointAction} events={WEBHOOK_EVENTS.map(({ wire, label, hint }) => ({ wire, label, hint }))} />
        ) : (
          <p data-testid="settings-administrators-only">Only {actor.organisationName}&apos;s administrators can add and delete endpoints: ask one of them.</p>
        )}
      </section>

      <section aria-labelledby="endpoints-heading" className="space-y-3">
        <h2 id="endpoints-heading" className="text-xl font-semibold">
          Your endpoints
        </h2>
        <WebhookEndpointList
          endpoints={endpoints}
          deleteForm={(endpoint, describedBy) => (manage ? <DeleteWebhookEndpointForm action={deleteWebhookEndpointAction} endpointId={endpoint.id} describedBy={describedBy} /> : null)}
        />
      </section>

      <section aria-labelledby="checking-heading" className="max-w-prose space-y-2">
        <h2 id="checking-heading" className="text-xl font-semibold">
          Checking a delivery
        </h2>
        <p>
          Deliveries follow the Standard Webhooks specification (standardwebhooks.com), so its libraries can check them. Each POST carries
          a <code>webhook-id</code> (the same on every retry: ignore one you have seen), a <code>webhook-timestamp</code> (seconds since
          1970: refuse one more than five minutes away from your clock) and a <code>webhook-signature</code>: <code>v1,</code> then the
          base64 HMAC-SHA256 of <code>id.timestamp.body</code>, keyed with the base64-decoded part of your secret after{" "}
          <code>whsec_</code>.
        </p>
        <p>
          Answer with any 2xx status within 10 seconds. Anything else, a redirect or no answer is tried again later, with growing pauses,
          up to 12 times over about half a day.
        </p>
      </section>
    </div>
  );
}
