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

export async function recordAudit(tx: Writer, entry: AuditEntry): Promise<void> {
  const { actor } = entry;
  await tx.auditEvent.create({
    data: {
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
    },
  });
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
