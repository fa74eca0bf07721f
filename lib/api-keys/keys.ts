import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { toActor, type Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";

// API keys for an organisation's systems (issue 9, the Service User API). A key is
// "icr_<8 hex>_<43 base64url>": the first part is its visible prefix (stored, shown in lists, used to
// find it), the whole key is shown once and only its SHA-256 is kept. A key acts as its organisation.
// Creation and revocation go to the audit log (by the portal user who did it, or by the operator
// running `npm run apikey`, recorded without a user).

const KEY_PATTERN = /^(icr_[0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

const CONTROL = /[\u0000-\u001F\u007F]/;
export const apiKeyNameSchema = z
  .string({ error: "Give the key a name, such as the system that will use it" })
  .trim()
  .min(1, "Give the key a name, such as the system that will use it")
  .max(100, "A key's name can be at most 100 characters")
  .refine((v) => !CONTROL.test(v), "Remove the invisible control characters from the name");

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  organisationCode: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

type Operator = Pick<Actor, "userId" | "email" | "organisationId" | "organisationCode" | "clientAddress"> | null;

/** Creates a key for the organisation with this code; returns the key, to be shown once. */
export async function createApiKey(
  input: { organisationCode: string; name: string },
  options: { by?: Operator; now?: Date } = {},
): Promise<{ key: string; summary: ApiKeySummary }> {
  const name = validate(z.object({ name: apiKeyNameSchema }), { name: input.name }).name;
  const at = options.now ?? clockNow();
  return transaction(async (tx) => {
    const organisation = await tx.organisation.findUnique({
      where: { code: input.organisationCode.trim().toUpperCase() },
      select: { id: true, code: true, kind: true },
    });
    if (!organisation) throw AppError.validation({ organisation: [`No organisation has the code ${input.organisationCode.trim().slice(0, 32)}`] });
    const prefix = `icr_${randomBytes(4).toString("hex")}`;
    const key = `${prefix}_${randomBytes(32).toString("base64url")}`;
    // The key's service account: what the timeline and "raised by" name for the key's actions. Its
    // address is in the reserved .invalid domain: nothing can be sent to it, and sign-in refuses it.
    const user = await tx.user.create({
      data: {
        email: `${prefix}@api-key.invalid`,
        name: `${name} (API key ${prefix})`,
        role: organisation.kind === "HELPDESK" ? "HELPDESK" : "SUPPLIER_USER",
        organisationId: organisation.id,
        organisationKind: organisation.kind,
        serviceAccount: true,
      },
      select: { id: true },
    });
    const row = await tx.apiKey.create({
      data: { organisationId: organisation.id, userId: user.id, name, prefix, hash: sha256(key), createdAt: at, createdById: options.by?.userId ?? null },
    });
    // The prefix names the key in the audit log; the key itself never appears anywhere but the answer.
    await recordAudit(tx, { type: "API_KEY_CREATED", actor: options.by ?? null, subject: `${organisation.code} ${prefix}`, detail: name, at });
    return {
      key,
      summary: { id: row.id, name, prefix, organisationCode: organisation.code, createdAt: at, lastUsedAt: null, revokedAt: null },
    };
  });
}

/** An organisation's keys, newest first (revoked ones included, marked). */
export async function listApiKeys(organisationCode: string): Promise<ApiKeySummary[]> {
  const rows = await db().apiKey.findMany({
    where: { organisation: { code: organisationCode.trim().toUpperCase() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true, organisation: { select: { code: true } } },
  });
  return rows.map(({ organisation, ...r }) => ({ ...r, organisationCode: organisation.code }));
}

/** Revokes a key by its prefix; a revoked key is refused from then on. Revoking twice is refused. */
export async function revokeApiKey(prefix: string, options: { by?: Operator; organisationId?: string; now?: Date } = {}): Promise<ApiKeySummary> {
  const at = options.now ?? clockNow();
  return transaction(async (tx) => {
    const row = await tx.apiKey.findUnique({ where: { prefix: prefix.trim() }, include: { organisation: { select: { code: true } } } });
    // A portal user may revoke only their organisation's keys: another's is "not found".
    if (!row || (options.organisationId && row.organisationId !== options.organisationId)) throw AppError.notFound(`No API key ${prefix.trim().slice(0, 32)}`);
    if (row.revokedAt) throw new AppError("CONFLICT", `The API key ${row.prefix} was already revoked`);
    await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: at } });
    await recordAudit(tx, { type: "API_KEY_REVOKED", actor: options.by ?? null, subject: `${row.organisation.code} ${row.prefix}`, detail: row.name, at });
    return { id: row.id, name: row.name, prefix: row.prefix, organisationCode: row.organisation.code, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt, revokedAt: at };
  });
}

export type ApiKeyIdentity = { keyId: string; prefix: string; actor: Actor };

/**
 * Who a bearer key acts as (its service account, with its organisation's rights), or null for
 * anything else: malformed, unknown, wrong secret, revoked, or an account whose role disagrees with
 * its organisation (the API answers all of them 401 alike). Records the key's last use, at most once
 * a minute.
 */
export async function authenticateApiKey(bearer: string | null | undefined, options: { now?: Date } = {}): Promise<ApiKeyIdentity | null> {
  const m = KEY_PATTERN.exec((bearer ?? "").trim());
  if (!m) return null;
  const row = await db().apiKey.findUnique({
    where: { prefix: m[1] },
    select: { id: true, prefix: true, hash: true, revokedAt: true, lastUsedAt: true, user: { include: { organisation: true } } },
  });
  const presented = Buffer.from(sha256(m[0]), "hex");
  const stored = Buffer.from(row?.hash ?? "0".repeat(64), "hex");
  if (!row || !timingSafeEqual(presented, stored) || row.revokedAt) return null;
  const actor = toActor(row.user);
  if (!actor) return null;
  const at = options.now ?? clockNow();
  if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db().apiKey.update({ where: { id: row.id }, data: { lastUsedAt: at } });
  }
  return { keyId: row.id, prefix: row.prefix, actor };
}
