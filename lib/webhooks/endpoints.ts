import { randomUUID } from "node:crypto";
import { z } from "zod";
import { isSupplierUser, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertCanManageSettings } from "../people/permissions";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import type { WebhookDeliveryStatus } from "../db/generated/client";
import { transaction } from "../db/transaction";
import { env } from "../env";
import { AppError, validate } from "../errors";
import { logger } from "../log";
import { WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES, wireType, type WebhookWireType } from "./events";
import { encryptSigningSecret, generateSigningSecret } from "./secret";
import { checkEndpointUrl, MAX_URL_LENGTH, type UrlPolicy } from "./url";

// An organisation's webhook endpoints: register (the secret is shown once), list with their recent
// deliveries, delete. Any user of a Supplier organisation may, for its own organisation only (issue 11
// will keep it to administrators); another organisation's endpoint is "not found". The DCC Helpdesk
// has no requests of its own (it is never the raiser or the assignee), so it has no endpoints.

/** At most this many endpoints per organisation: each event is posted to every one of them. */
export const MAX_ENDPOINTS = 10;
export const DESCRIPTION_MAX = 200;
/** Deliveries shown per endpoint. */
export const RECENT_DELIVERIES = 10;

const CONTROL = /[\u0000-\u001F\u007F]/;

export function urlPolicy(): UrlPolicy {
  return { allowHttp: env().webhooksAllowHttp, allowPrivateAddresses: env().webhooksAllowPrivateAddresses };
}

const wireTypes = WEBHOOK_EVENTS.map((e) => e.wire) as [WebhookWireType, ...WebhookWireType[]];

export const createWebhookEndpointSchema = z.object({
  url: z
    .string({ error: "Enter the address the portal should post events to, starting with https://" })
    .max(MAX_URL_LENGTH * 2, `The address can be at most ${MAX_URL_LENGTH.toLocaleString("en-GB")} characters`)
    .transform((value, ctx) => {
      const checked = checkEndpointUrl(value, urlPolicy());
      if ("problem" in checked) {
        ctx.addIssue({ code: "custom", message: checked.problem });
        return z.NEVER;
      }
      return checked.url;
    }),
  description: z
    .string()
    .optional()
    .transform((v) => (v ?? "").trim())
    .pipe(
      z
        .string()
        .max(DESCRIPTION_MAX, `A description can be at most ${DESCRIPTION_MAX} characters`)
        .refine((v) => !CONTROL.test(v), "Remove the invisible control characters from the description"),
    ),
  /** The events to send ("request.assigned" ...); all of them when absent. */
  events: z
    .array(z.enum(wireTypes, { error: `Each event must be one of ${wireTypes.join(", ")}` }))
    .min(1, "Choose at least one event to send")
    .optional()
    .transform((list) => (list ? WEBHOOK_EVENT_TYPES.filter((type) => list.includes(wireType(type))) : WEBHOOK_EVENT_TYPES)),
});
/** As a form or an API call gives it: the schema says what is acceptable. */
export type CreateWebhookEndpointInput = { url: string; description?: string; events?: string[] };

export const deleteWebhookEndpointSchema = z.object({
  endpointId: z.string({ error: "No endpoint given" }).trim().pipe(z.uuid({ error: "No such endpoint" })),
});
export type DeleteWebhookEndpointInput = z.input<typeof deleteWebhookEndpointSchema>;

export type WebhookDeliverySummary = {
  id: string;
  event: WebhookWireType;
  reference: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  /** The HTTP status of the last attempt, if it got one. */
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  /** PENDING: when it is tried (again). */
  nextAttemptAt: Date;
};

export type WebhookEndpointSummary = {
  id: string;
  url: string;
  description: string;
  events: WebhookWireType[];
  createdAt: Date;
  /** Newest first, at most RECENT_DELIVERIES. */
  recentDeliveries: WebhookDeliverySummary[];
};

/** Only a Supplier's users manage its endpoints (docs/decisions/020-webhooks.md). */
export function canManageWebhooks(actor: Actor): boolean {
  return isSupplierUser(actor);
}

function assertCanManage(actor: Actor): void {
  if (canManageWebhooks(actor)) return;
  throw new AppError("FORBIDDEN", "Webhooks tell a Supplier's systems about its own requests: the DCC Helpdesk has none to register");
}

/** The scheme, host and port of an endpoint: what the audit log and the logs name (a path can carry a token). */
export function endpointOrigin(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : "(unreadable address)";
}

/** Registers an endpoint for the actor's organisation; the secret in the answer is never shown again. */
export async function createWebhookEndpoint(
  actor: Actor,
  input: CreateWebhookEndpointInput,
  options: { now?: Date } = {},
): Promise<{ secret: string; endpoint: WebhookEndpointSummary }> {
  assertCanManage(actor);
  assertCanManageSettings(actor, "register webhook endpoints");
  const { url, description, events } = validate(createWebhookEndpointSchema, input);
  const at = options.now ?? clockNow();
  const id = randomUUID();
  const secret = generateSigningSecret();
  await transaction(async (tx) => {
    // One registration at a time per organisation, so that the limit below holds.
    await tx.$queryRaw`SELECT id FROM "Organisation" WHERE id = ${actor.organisationId}::uuid FOR UPDATE`;
    const existing = await tx.webhookEndpoint.findMany({ where: { organisationId: actor.organisationId, disabledAt: null }, select: { url: true } });
    if (existing.some((e) => e.url === url)) {
      throw AppError.validation({ url: ["Your organisation already has an endpoint at this address"] }, "Your organisation already has an endpoint at this address");
    }
    if (existing.length >= MAX_ENDPOINTS) {
      throw new AppError("CONFLICT", `Your organisation has ${MAX_ENDPOINTS} endpoints, the most allowed: delete one before adding another`);
    }
    await tx.webhookEndpoint.create({
      data: { id, organisationId: actor.organisationId, url, description, events, encryptedSecret: encryptSigningSecret(secret, id), createdAt: at, createdById: actor.userId },
    });
    await recordAudit(tx, { type: "WEBHOOK_ENDPOINT_CREATED", actor, subject: actor.organisationCode, detail: `${endpointOrigin(url)} (endpoint ${id})`, at });
  });
  logger().info({ endpointId: id, organisation: actor.organisationCode, origin: endpointOrigin(url) }, "webhook endpoint registered");
  return { secret, endpoint: { id, url, description, events: events.map(wireType), createdAt: at, recentDeliveries: [] } };
}

/** The organisation's endpoints, oldest first, each with its most recent deliveries. */
export async function listWebhookEndpoints(actor: Actor): Promise<WebhookEndpointSummary[]> {
  assertCanManage(actor);
  const rows = await db().webhookEndpoint.findMany({
    where: { organisationId: actor.organisationId, disabledAt: null },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      url: true,
      description: true,
      events: true,
      createdAt: true,
      deliveries: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: RECENT_DELIVERIES,
        select: {
          id: true,
          event: true,
          requestReference: true,
          status: true,
          attempts: true,
          lastStatus: true,
          lastError: true,
          createdAt: true,
          lastAttemptAt: true,
          deliveredAt: true,
          nextAttemptAt: true,
        },
      },
    },
  });
  return rows.map(({ deliveries, events, ...endpoint }) => ({
    ...endpoint,
    events: WEBHOOK_EVENT_TYPES.filter((t) => events.includes(t)).map(wireType),
    recentDeliveries: deliveries.map(({ event, requestReference, ...d }) => ({ ...d, event: wireType(event), reference: requestReference })),
  }));
}

/**
 * Deletes an endpoint: nothing more is sent to it, its pending deliveries fail ("the endpoint was
 * deleted"), and its secret is forgotten. Its deliveries stay in the database; the page no longer lists it.
 */
export async function deleteWebhookEndpoint(actor: Actor, input: DeleteWebhookEndpointInput, options: { now?: Date } = {}): Promise<void> {
  assertCanManage(actor);
  assertCanManageSettings(actor, "delete webhook endpoints");
  const { endpointId } = validate(deleteWebhookEndpointSchema, input);
  const at = options.now ?? clockNow();
  await transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "WebhookEndpoint" WHERE id = ${endpointId}::uuid FOR UPDATE`;
    const endpoint = await tx.webhookEndpoint.findFirst({
      where: { id: endpointId, organisationId: actor.organisationId, disabledAt: null },
      select: { id: true, url: true },
    });
    if (!endpoint) throw AppError.notFound("No such endpoint: it may have been deleted already");
    await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { disabledAt: at, encryptedSecret: null } });
    await tx.webhookDelivery.updateMany({
      where: { endpointId: endpoint.id, status: "PENDING" },
      data: { status: "FAILED", lastError: "Not sent: the endpoint was deleted" },
    });
    await recordAudit(tx, { type: "WEBHOOK_ENDPOINT_DELETED", actor, subject: actor.organisationCode, detail: `${endpointOrigin(endpoint.url)} (endpoint ${endpoint.id})`, at });
  });
}
