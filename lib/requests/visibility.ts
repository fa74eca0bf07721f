import { isHelpdesk, isSupplierUser, type Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { AppError } from "../errors";
import { logger, scrubSecrets } from "../log";
import { parseReference } from "./reference";

// The one visibility rule: a Supplier user sees the requests its organisation raised or is assigned;
// the helpdesk sees all. Every read and write of a request goes through here. A request the actor
// may not see is "not found", exactly like one that does not exist, so references cannot be probed.

export function visibleRequests(actor: Actor): Prisma.InstallCodeRequestWhereInput {
  if (isHelpdesk(actor)) return {};
  // Deny by default: an actor that is neither helpdesk nor a Supplier user sees nothing.
  if (!isSupplierUser(actor)) return { id: { in: [] } };
  return { OR: [{ raisingOrganisationId: actor.organisationId }, { assignedOrganisationId: actor.organisationId }] };
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
