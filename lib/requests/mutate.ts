import type { Actor } from "../auth/actor";
import type { Tx } from "../db/transaction";
import { AppError } from "../errors";
import { logger } from "../log";
import { can, type Action, type CodeOwner, type RequestParties } from "./permissions";
import { stateRefusal } from "./state";
import { findVisibleRequest } from "./visibility";

// The common opening of every change to an existing request: find it through the visibility rule,
// lock it, then check the permission map and its state on the row as it is under the lock.

const requestForChange = {
  id: true,
  number: true,
  deviceId: true,
  status: true,
  raisedById: true,
  raisingOrganisationId: true,
  assignedOrganisationId: true,
  respondedAt: true,
  declinedAt: true,
} as const;

export async function requestForAction(
  tx: Tx,
  actor: Actor,
  reference: string,
  action: Action,
  opts: { code?: CodeOwner } = {},
) {
  const { id } = await findVisibleRequest(tx, actor, reference, { id: true });
  // Serialise changes to one request (a no-op on the embedded database, which runs one transaction
  // at a time). Everything below is checked on the locked row: a reassignment that committed while
  // we waited must not let the previous assignee write to a request it can no longer see.
  await tx.$queryRaw`SELECT id FROM "InstallCodeRequest" WHERE id = ${id}::uuid FOR UPDATE`;
  const request = await findVisibleRequest(tx, actor, reference, requestForChange);
  assertAllowed(actor, action, request, opts.code);
  const refusal = stateRefusal(action, request.status);
  if (refusal) throw new AppError("CONFLICT", refusal);
  return request;
}

/** The permission map's answer, as a refusal that is logged (ASVS 7.2.2) and says who may. */
export function assertAllowed(actor: Actor, action: Action, request: RequestParties & { id: string }, code?: CodeOwner): void {
  if (can(actor, action, request, code)) return;
  logger().warn({ actorUserId: actor.userId, organisation: actor.organisationCode, action, requestId: request.id }, "action refused by the permission map");
  throw new AppError("FORBIDDEN", forbiddenMessage(action));
}

function forbiddenMessage(action: Action): string {
  switch (action) {
    case "request:close":
      return "Only the organisation that raised this request can close it";
    case "request:withdraw":
      return "Only the organisation that raised this request can withdraw it";
    case "request:reassign":
      return "Only the DCC Helpdesk can reassign a request";
    case "install-code:provide":
      return "Only the organisation this request is assigned to can provide the Install Code";
    case "request:decline":
      return "Only the organisation this request is assigned to can decline it";
    case "request:close-not-possible":
      return "Only the DCC Helpdesk can close a request as not possible";
    case "install-code:reveal":
      return "Only the organisation that raised this request and the organisation that gave this Install Code can see it";
    default:
      return "You cannot do that on this request";
  }
}
