import type { Actor } from "../auth/actor";

// Who may do what to a request, by their relation to it. Deny by default: an action not listed for
// a relation is refused, and an actor with no relation cannot even see the request.

export const RELATIONS = ["raiser", "assignee", "helpdesk"] as const;
export type Relation = (typeof RELATIONS)[number];

export const ACTIONS = [
  "request:view",
  "request:add-note",
  "install-code:provide",
  "install-code:reveal",
  "request:close",
  "request:reassign",
] as const;
export type Action = (typeof ACTIONS)[number];

export const PERMISSIONS: Readonly<Record<Action, readonly Relation[]>> = {
  "request:view": ["raiser", "assignee", "helpdesk"],
  "request:add-note": ["raiser", "assignee", "helpdesk"],
  "install-code:provide": ["assignee"],
  // The Install Code is a secret between the two Suppliers: the helpdesk never sees it.
  "install-code:reveal": ["raiser", "assignee"],
  // Only the gaining Supplier closes, once it has verified the code; the helpdesk cannot close for it.
  "request:close": ["raiser"],
  "request:reassign": ["helpdesk"],
};

export type RequestParties = { raisingOrganisationId: string; assignedOrganisationId: string };

/** The actor's relations to a request: none, one, or (a supplier's own request reassigned to itself is refused) one. */
export function relationsTo(actor: Actor, request: RequestParties): Relation[] {
  if (actor.role === "HELPDESK") return ["helpdesk"];
  const relations: Relation[] = [];
  if (actor.organisationId === request.raisingOrganisationId) relations.push("raiser");
  if (actor.organisationId === request.assignedOrganisationId) relations.push("assignee");
  return relations;
}

export function can(actor: Actor, action: Action, request: RequestParties): boolean {
  const allowed = PERMISSIONS[action] ?? [];
  return relationsTo(actor, request).some((relation) => allowed.includes(relation));
}

/** Raising is not about an existing request: any Supplier user may raise one. */
export function canRaise(actor: Actor): boolean {
  return actor.role === "SUPPLIER_USER";
}
