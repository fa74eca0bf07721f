import { isHelpdesk, type Actor } from "../auth/actor";
import { db } from "../db/client";
import type { RequestStatus } from "../db/generated/client";
import { validate } from "../errors";
import { formatReference } from "./reference";
import { listRequestsSchema } from "./schemas";
import { isOverdue } from "./view-request";
import { visibleRequests } from "./visibility";

export type RequestSummary = {
  reference: string;
  deviceId: string;
  status: RequestStatus;
  raisedAt: Date;
  dueAt: Date;
  overdue: boolean;
  raisingOrganisation: string;
  assignedOrganisation: string;
  /** From a Supplier's point of view: "Raised by you" or "Assigned to you". */
  role: "raised" | "assigned" | "helpdesk";
};

export const LIST_LIMIT = 200;

/** The requests the actor can see, newest first, optionally of one status. */
export async function listRequests(actor: Actor, input: { status?: string } = {}, options: { now?: Date } = {}): Promise<RequestSummary[]> {
  const { status } = validate(listRequestsSchema, input);
  const now = options.now ?? new Date();
  const rows = await db().installCodeRequest.findMany({
    where: { AND: [visibleRequests(actor), status ? { status } : {}] },
    orderBy: [{ raisedAt: "desc" }, { number: "desc" }],
    take: LIST_LIMIT,
    select: {
      number: true,
      deviceId: true,
      status: true,
      raisedAt: true,
      dueAt: true,
      respondedAt: true,
      raisingOrganisationId: true,
      raisingOrganisation: { select: { name: true } },
      assignedOrganisation: { select: { name: true } },
    },
  });
  return rows.map((r) => ({
    reference: formatReference(r.number),
    deviceId: r.deviceId,
    status: r.status,
    raisedAt: r.raisedAt,
    dueAt: r.dueAt,
    overdue: isOverdue(r, now),
    raisingOrganisation: r.raisingOrganisation.name,
    assignedOrganisation: r.assignedOrganisation.name,
    role: isHelpdesk(actor) ? "helpdesk" : r.raisingOrganisationId === actor.organisationId ? "raised" : "assigned",
  }));
}
