import { z } from "zod";
import type { Actor } from "../auth/actor";
import { db } from "../db/client";
import { assertCanManageSettings } from "../people/permissions";
import { AppError, validate } from "../errors";
import { apiKeyNameSchema, createApiKey, revokeApiKey, type ApiKeySummary } from "./keys";

// The organisation settings page's use cases (issue 9): a person signed in to the portal manages
// their own organisation's keys. Any user of the organisation may, for now (issue 11 will keep it to
// administrators); the helpdesk manages the DCC's keys, which act with helpdesk rights. Another
// organisation's key is "not found", never "forbidden", so prefixes cannot be probed.

export const createApiKeyInput = z.object({ name: apiKeyNameSchema });
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

const PREFIX = /^icr_[0-9a-f]{8}$/;
/** A prefix as the list shows it; anything else is no key of anyone's. */
export const apiKeyPrefixSchema = z.string().trim().regex(PREFIX);
export const revokeApiKeyInput = z.object({ prefix: z.string({ error: "Give the key's prefix, such as icr_3fa9c1d2" }) });
export type RevokeApiKeyInput = z.input<typeof revokeApiKeyInput>;

export type ApiKeyView = ApiKeySummary & {
  /** The person who created it in the portal; null when an operator ran `npm run apikey`. */
  createdBy: { name: string; email: string } | null;
};

const NOT_FOUND = "No API key with that prefix in your organisation";

/**
 * Keys are managed by people. A key's service account never signs in, so it should never get here;
 * if the API ever offers key management, a key still cannot mint keys that outlive its own revocation.
 */
async function requirePerson(actor: Actor): Promise<void> {
  const user = await db().user.findUnique({ where: { id: actor.userId }, select: { serviceAccount: true, organisationId: true } });
  if (!user || user.serviceAccount || user.organisationId !== actor.organisationId) {
    throw new AppError("FORBIDDEN", "API keys are managed by your organisation's people, signed in to the portal");
  }
}

/** The actor's organisation's keys, newest first, revoked ones included; never the keys themselves. */
export async function listApiKeysFor(actor: Actor): Promise<ApiKeyView[]> {
  await requirePerson(actor);
  const rows = await db().apiKey.findMany({
    where: { organisationId: actor.organisationId },
    orderBy: [{ createdAt: "desc" }, { prefix: "asc" }],
    select: { id: true, name: true, prefix: true, createdAt: true, createdById: true, lastUsedAt: true, revokedAt: true },
  });
  const creatorIds = [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
  const creators = new Map(
    (await db().user.findMany({ where: { id: { in: creatorIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, { name: u.name, email: u.email }]),
  );
  return rows.map(({ createdById, ...r }) => ({
    ...r,
    organisationCode: actor.organisationCode,
    createdBy: createdById ? (creators.get(createdById) ?? null) : null,
  }));
}

/** Creates a key for the actor's organisation; the answer carries the key, to be shown once. */
export async function createApiKeyFor(actor: Actor, input: CreateApiKeyInput): Promise<{ key: string; summary: ApiKeySummary }> {
  const { name } = validate(createApiKeyInput, input);
  await requirePerson(actor);
  assertCanManageSettings(actor, "create API keys");
  return createApiKey({ organisationCode: actor.organisationCode, name }, { by: actor });
}

/** Revokes one of the actor's organisation's keys. Irreversible; a second time is a CONFLICT. */
export async function revokeApiKeyFor(actor: Actor, input: RevokeApiKeyInput): Promise<ApiKeySummary> {
  const { prefix } = validate(revokeApiKeyInput, input);
  const parsed = apiKeyPrefixSchema.safeParse(prefix);
  if (!parsed.success) throw AppError.notFound(NOT_FOUND);
  await requirePerson(actor);
  assertCanManageSettings(actor, "revoke API keys");
  try {
    return await revokeApiKey(parsed.data, { by: actor, organisationId: actor.organisationId });
  } catch (error) {
    // revokeApiKey names the prefix; here another organisation's key and no key read the same.
    if (error instanceof AppError && error.code === "NOT_FOUND") throw AppError.notFound(NOT_FOUND);
    throw error;
  }
}
