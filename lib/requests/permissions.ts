import { isHelpdesk, isSupplierUser, type Actor } from "../auth/actor";

// Who may do what to a request, by their relation to it. Deny by default: an action not listed for
// a relation is refused, and an actor with no relation cannot even see the request.

export const RELATIONS = ["raiser", "assignee", "helpdesk", "provider"] as const;
/**
 * raiser, assignee: the actor's organisation raised / is assigned the request. helpdesk: the DCC
 * Helpdesk. provider: the actor's organisation gave the Install Code in question (only when one is).
 */
export type Relation = (typeof RELATIONS)[number];

export const ACTIONS = [
  "request:view",
  "request:add-note",
  "install-code:provide",
  "install-code:reveal",
  "request:close",
  "request:withdraw",
  "request:reassign",
  "request:decline",
  "request:close-not-possible",
] as const;
export type Action = (typeof ACTIONS)[number];

export const PERMISSIONS: Readonly<Record<Action, readonly Relation[]>> = {
  "request:view": ["raiser", "assignee", "helpdesk"],
  "request:add-note": ["raiser", "assignee", "helpdesk"],
  "install-code:provide": ["assignee"],
  // A code is a secret between the raiser and the organisation that gave it: not the helpdesk, and
  // not a later assignee (a competitor of the one that gave it).
  "install-code:reveal": ["raiser", "provider"],
  // Only the gaining Supplier closes, once it has verified the code; the helpdesk cannot close for it.
  "request:close": ["raiser"],
  // Before any Install Code is given, the raiser withdraws instead of closing (docs/decisions/035-safe-actions.md).
  "request:withdraw": ["raiser"],
  "request:reassign": ["helpdesk"],
  // "Not our Device": only the Supplier it is assigned to can say so (docs/decisions/030-decline.md).
  "request:decline": ["assignee"],
  // A declined request nobody can answer: the helpdesk closes it, saying why. Not the raiser's own close.
  "request:close-not-possible": ["helpdesk"],
};

export type RequestParties = { raisingOrganisationId: string; assignedOrganisationId: string };
export type CodeOwner = { providedByOrganisationId: string };

/** The actor's relations to a request, and to one of its Install Codes when one is named. */
export function relationsTo(actor: Actor, request: RequestParties, code?: CodeOwner): Relation[] {
  if (isHelpdesk(actor)) return ["helpdesk"];
  // Neither helpdesk nor Supplier user (a role that disagrees with the organisation): no relation.
  if (!isSupplierUser(actor)) return [];
  const relations: Relation[] = [];
  if (actor.organisationId === request.raisingOrganisationId) relations.push("raiser");
  if (actor.organisationId === request.assignedOrganisationId) relations.push("assignee");
  if (code && actor.organisationId === code.providedByOrganisationId) relations.push("provider");
  return relations;
}

export function can(actor: Actor, action: Action, request: RequestParties, code?: CodeOwner): boolean {
  const allowed = PERMISSIONS[action] ?? [];
  return relationsTo(actor, request, code).some((relation) => allowed.includes(relation));
}

export const ONLY_SUPPLIERS_RAISE_MESSAGE = "Only Supplier users can raise a Request for Install Code";

/** Raising is not about an existing request: any Supplier user may raise one. */
export function canRaise(actor: Actor): boolean {
  return isSupplierUser(actor);
}
