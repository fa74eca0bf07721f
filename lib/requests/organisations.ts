import { db } from "../db/client";
import type { RequestParties } from "./permissions";

type Organisation = { id: string; code: string; name: string; kind: "SUPPLIER" | "HELPDESK" };

/** Why a request cannot be reassigned to `target`, or null when it can. */
export function reassignmentProblem(target: Organisation | null, request: RequestParties): string | null {
  if (!target || target.kind !== "SUPPLIER") return "Choose a Supplier organisation";
  if (target.id === request.assignedOrganisationId) return `The request is already assigned to ${target.name}`;
  if (target.id === request.raisingOrganisationId) return `${target.name} raised this request: it cannot also answer it`;
  return null;
}

/** The Suppliers the helpdesk may reassign this request to, by name. */
export async function reassignmentTargets(request: RequestParties): Promise<{ code: string; name: string }[]> {
  const organisations = await db().organisation.findMany({ where: { kind: "SUPPLIER" }, orderBy: { name: "asc" } });
  return organisations.filter((o) => reassignmentProblem(o, request) === null).map(({ code, name }) => ({ code, name }));
}
