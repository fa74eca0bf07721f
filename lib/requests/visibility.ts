import { isHelpdesk, isSupplierUser, type Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { AppError } from "../errors";
import { logger, scrubSecrets } from "../log";
import { parseReference } from "./reference";

// The one visibility rule: a Supplier user sees the requests its organisation raised or is assigned;
// the helpdesk sees all. Every read and write of a request goes through here. A request the actor
// may not see is "not found", exactly like one that does not exist, so references cannot be probed.

/**
 * The rule itself: every request (the helpdesk), those one organisation raised or is assigned (its
 * Supplier users), or none (anyone else: deny by default). The list's SQL and the Prisma filter
 * below are both written from this, so they cannot disagree.
 */
export type VisibleScope = { kind: "all" } | { kind: "organisation"; organisationId: string } | { kind: "none" };

export function visibleScope(actor: Actor): VisibleScope {
  if (isHelpdesk(actor)) return { kind: "all" };
  if (!isSupplierUser(actor)) return { kind: "none" };
  return { kind: "organisation", organisationId: actor.organisationId };
}

export function visibleRequests(actor: Actor): Prisma.InstallCodeRequestWhereInput {
  const scope = visibleScope(actor);
  if (scope.kind === "all") return {};
  if (scope.kind === "none") return { id: { in: [] } };
  return { OR: [{ raisingOrganisationId: scope.organisationId }, { assignedOrganisationId: scope.organisationId }] };
}

export const REQUEST_NOT_FOUND = "No request with that reference";

/** A failed access decision is logged (ASVS 7.2.2): who asked for what, never more of their input. */
function refused(actor: Actor, reference: string): AppError {
  logger().info({ actorUserId: actor.userId, organisation: actor.organisationCode, reference: scrubSecrets(reference.slice(0, 20)) }, "request not found or not visible");
  return AppError.notFound(REQUEST_NOT_FOUND);
}

/** The request with this reference if the actor may see it; otherwise NOT_FOUND. */
export async function findVisibleRequest<S extends Prisma.InstallCodeRequestSelect>(
  tx: Tx,
  actor: Actor,
  reference: string,
  select: S,
): Promise<Prisma.InstallCodeRequestGetPayload<{ select: S }>> {
  const number = parseReference(reference);
  if (number === null) throw refused(actor, reference);
  const request = await tx.installCodeRequest.findFirst({ where: { AND: [{ number }, visibleRequests(actor)] }, select });
  if (!request) throw refused(actor, reference);
  return request as Prisma.InstallCodeRequestGetPayload<{ select: S }>;
}
