import { randomUUID } from "node:crypto";
import { z } from "zod";
import { afterCommit, type Tx } from "../db/transaction";
import { env } from "../env";
import { kickWebhookDispatcher } from "./dispatcher";
import { WEBHOOK_EVENTS, wireType, type WebhookEventType } from "./events";

// The webhook outbox (docs/decisions/020-webhooks.md): a change to a request queues one delivery per
// endpoint of each organisation told about it, in the change's own transaction, so that an event is
// sent if and only if the change commits; lib/webhooks/dispatcher.ts posts them.

export type WebhookEvent = {
  /** The organisations to tell (their endpoints subscribed to this event each get a delivery). */
  organisationIds: readonly string[];
  event: WebhookEventType;
  /** The request's reference, RIC0000042. */
  reference: string;
  deviceId: string;
  /** When it happened, on the portal's clock. */
  at: Date;
};

/**
 * What the receiver gets: the event and the request it is about, never an Install Code, a note or a
 * reason (the receiver asks the API for what it may see). `id` is the delivery's, the same on every
 * attempt, for the receiver to ignore a repeat; it is also the webhook-id header.
 */
export const webhookPayloadSchema = z
  .object({
    id: z.uuid().describe("The delivery's id, also the webhook-id header: the same on every retry"),
    type: z.enum(WEBHOOK_EVENTS.map((e) => e.wire) as [string, ...string[]]),
    timestamp: z.iso.datetime().describe("When it happened"),
    data: z.strictObject({
      reference: z.string().regex(/^RIC\d{7,}$/),
      deviceId: z.string(),
      url: z.url().describe("The request's page in the portal"),
    }),
  })
  .strict();
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export function webhookPayload(id: string, event: Omit<WebhookEvent, "organisationIds">): WebhookPayload {
  return {
    id,
    type: wireType(event.event),
    timestamp: event.at.toISOString(),
    data: { reference: event.reference, deviceId: event.deviceId, url: `${env().appUrl}/requests/${event.reference}` },
  };
}

/**
 * Queues the event for every live endpoint of these organisations that takes it, in `tx`; returns how
 * many deliveries were queued. The dispatcher is kicked once `tx` commits (a transaction of
 * lib/db/transaction.ts); a caller with a bare `$transaction` kicks it itself after the commit.
 */
export async function queueWebhooks(tx: Tx, event: WebhookEvent): Promise<number> {
  return queueWebhookEvents(tx, [event]);
}

/** queueWebhooks for many events at once (a batch of requests): one look-up of the endpoints for all. */
export async function queueWebhookEvents(tx: Tx, events: readonly WebhookEvent[]): Promise<number> {
  const organisationIds = [...new Set(events.flatMap((e) => e.organisationIds))];
  if (organisationIds.length === 0) return 0;
  // The events are filtered here rather than with `has`: the driver adapters send an enum array's
  // element as a malformed array literal. An organisation has a handful of endpoints at most.
  const endpoints = await tx.webhookEndpoint.findMany({
    where: { organisationId: { in: organisationIds }, disabledAt: null },
    select: { id: true, organisationId: true, events: true },
  });
  if (endpoints.length === 0) return 0;
  const rows = events.flatMap((event) => {
    const told = new Set(event.organisationIds);
    return endpoints
      .filter((endpoint) => told.has(endpoint.organisationId) && endpoint.events.includes(event.event))
      .map((endpoint) => {
        const id = randomUUID();
        return { id, endpointId: endpoint.id, event: event.event, requestReference: event.reference, payload: JSON.stringify(webhookPayload(id, event)) };
      });
  });
  if (rows.length === 0) return 0;
  await tx.webhookDelivery.createMany({ data: rows });
  afterCommit(tx, kickWebhookDispatcher);
  return rows.length;
}
