import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import type { AuditEventType, PrismaClient } from "../db/generated/client";

// The audit log: who did what, from which address. Written in the transaction of the change it
// records (or on its own for sign-in events). Never an Install Code, a note body or a link.

export type AuditEntry = {
  type: AuditEventType;
  /** The acting person; null for the portal itself or an anonymous caller. */
  actor?: Pick<Actor, "userId" | "email" | "organisationId" | "organisationCode" | "clientAddress"> | null;
  clientAddress?: string | null;
  requestReference?: string;
  subject?: string;
  detail?: string;
  at?: Date;
};

type Writer = Pick<Tx, "auditEvent"> | Pick<PrismaClient, "auditEvent">;

/**
 * A text column as the audit log keeps it: no control characters (PostgreSQL refuses a NUL, and a
 * line break would forge a line in an export), cut to the column's length; empty is absent. Some of
 * what is recorded is whatever an anonymous caller typed (a refused sign-in's address).
 */
function column(value: string | null | undefined, max: number): string | null {
  return value?.replace(/[\u0000-\u001F\u007F]/g, "").slice(0, max) || null;
}

function row(entry: AuditEntry) {
  const { actor } = entry;
  return {
    type: entry.type,
    at: entry.at,
    actorUserId: actor?.userId ?? null,
    actorEmail: column(actor?.email, 320),
    actorOrganisationId: actor?.organisationId ?? null,
    actorOrganisationCode: column(actor?.organisationCode, 32),
    clientAddress: column(entry.clientAddress ?? actor?.clientAddress, 64),
    requestReference: column(entry.requestReference, 15),
    subject: column(entry.subject, 320),
    detail: column(entry.detail, 500),
  };
}

export async function recordAudit(tx: Writer, entry: AuditEntry): Promise<void> {
  await tx.auditEvent.create({ data: row(entry) });
}

/** Many entries in one statement (a bulk action's rows), in the order given. */
export async function recordAudits(tx: Pick<Tx, "$executeRaw">, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(row);
  const column = <K extends keyof ReturnType<typeof row>>(key: K) => rows.map((r) => r[key]);
  // unnest keeps the arrays' order (WITH ORDINALITY makes it explicit), and so the sequence numbers.
  await tx.$executeRaw`INSERT INTO "AuditEvent" ("type", "at", "actorUserId", "actorEmail", "actorOrganisationId", "actorOrganisationCode",
      "clientAddress", "requestReference", "subject", "detail")
    SELECT t.type::"AuditEventType", coalesce(t.at, now()), t.actor_user_id, t.actor_email, t.actor_organisation_id, t.actor_organisation_code,
      t.client_address, t.request_reference, t.subject, t.detail
    FROM unnest(${column("type")}::text[], ${rows.map((r) => r.at?.toISOString() ?? null)}::timestamptz[], ${column("actorUserId")}::uuid[],
      ${column("actorEmail")}::text[], ${column("actorOrganisationId")}::uuid[], ${column("actorOrganisationCode")}::text[],
      ${column("clientAddress")}::text[], ${column("requestReference")}::text[], ${column("subject")}::text[], ${column("detail")}::text[])
      WITH ORDINALITY AS t(type, at, actor_user_id, actor_email, actor_organisation_id, actor_organisation_code, client_address,
        request_reference, subject, detail, n)
    ORDER BY t.n`;
}

/**
 * Names the actor for the database triggers that audit changes to users and organisations, for the
 * rest of the transaction.
 */
export async function setAuditActor(tx: Tx, actor: Actor): Promise<void> {
  await tx.$executeRaw`SELECT set_config('portal.actor_user_id', ${actor.userId}, true),
    set_config('portal.actor_email', ${actor.email}, true),
    set_config('portal.actor_organisation_id', ${actor.organisationId}, true),
    set_config('portal.actor_organisation_code', ${actor.organisationCode}, true),
    set_config('portal.client_address', ${actor.clientAddress ?? ""}, true)`;
}
