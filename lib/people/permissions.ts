import { isHelpdesk, isSupplierUser, type Actor } from "../auth/actor";
import { AppError } from "../errors";

// Who may manage organisations and people, by their standing towards the organisation concerned.
// Deny by default, like lib/requests/permissions.ts: an action not listed for a standing is refused,
// and someone with no standing towards an organisation cannot even see that it exists ("not found").

export const STANDINGS = ["own-administrator", "own-member", "helpdesk-administrator", "helpdesk-analyst"] as const;
/**
 * own-administrator / own-member: an administrator / any other person of that organisation.
 * helpdesk-administrator / helpdesk-analyst: of the DCC Helpdesk, towards any organisation.
 */
export type Standing = (typeof STANDINGS)[number];

export const PEOPLE_ACTIONS = [
  "organisation:list",
  "organisation:create",
  "organisation:rename",
  "organisation:suspend",
  "people:list",
  "people:invite",
  "people:change-role",
  "people:remove",
  "people:sign-out",
  "settings:manage",
] as const;
export type PeopleAction = (typeof PEOPLE_ACTIONS)[number];

export const PEOPLE_PERMISSIONS: Readonly<Record<PeopleAction, readonly Standing[]>> = {
  // Organisations are the DCC's to onboard and offboard.
  "organisation:list": ["helpdesk-administrator"],
  "organisation:create": ["helpdesk-administrator"],
  "organisation:rename": ["helpdesk-administrator"],
  "organisation:suspend": ["helpdesk-administrator"],
  // A Supplier administrator staffs its own organisation; a helpdesk administrator any organisation.
  "people:list": ["own-administrator", "helpdesk-administrator"],
  "people:invite": ["own-administrator", "helpdesk-administrator"],
  "people:change-role": ["own-administrator", "helpdesk-administrator"],
  "people:remove": ["own-administrator", "helpdesk-administrator"],
  // Ending another person's sessions (anyone may end their own: "sign out everywhere").
  "people:sign-out": ["own-administrator", "helpdesk-administrator"],
  // The organisation's own settings (API keys, webhooks, team address): its administrators only;
  // the helpdesk's administrators manage people, not another organisation's systems.
  "settings:manage": ["own-administrator"],
};

/** The actor's standings towards an organisation (none: a role that disagrees with its organisation). */
export function standingsTowards(actor: Actor, organisationId: string): Standing[] {
  const standings: Standing[] = [];
  if (!isHelpdesk(actor) && !isSupplierUser(actor)) return standings;
  if (actor.organisationId === organisationId) standings.push(actor.administrator ? "own-administrator" : "own-member");
  if (isHelpdesk(actor)) standings.push(actor.administrator ? "helpdesk-administrator" : "helpdesk-analyst");
  return standings;
}

export function canManage(actor: Actor, action: PeopleAction, organisationId: string): boolean {
  const allowed = PEOPLE_PERMISSIONS[action] ?? [];
  return standingsTowards(actor, organisationId).some((standing) => allowed.includes(standing));
}

/** Organisation-wide actions (list, create): the helpdesk's standing towards any organisation. */
export function canManageOrganisations(actor: Actor, action: "organisation:list" | "organisation:create"): boolean {
  return isHelpdesk(actor) && canManage(actor, action, actor.organisationId);
}

/**
 * Refuses with "not found" when the actor may not do `action` to the organisation: someone who may
 * not manage an organisation learns nothing about it, not even that it exists.
 */
export function assertCanManage(actor: Actor, action: PeopleAction, organisationId: string): void {
  if (!canManage(actor, action, organisationId)) throw AppError.notFound("Not found");
}

/**
 * Whoever runs the portal, acting through a script (`npm run org`): no permission check, recorded
 * in the audit log without a person. Only scripts pass it; a page or action always has an Actor
 * (requireActor), so a signed-out visitor can never end up here by a missing session.
 */
export const OPERATOR = "operator" as const;
export type ActingAs = Actor | typeof OPERATOR;

/** The actor, or null for the operator. */
export function personOf(actor: ActingAs): Actor | null {
  return actor === OPERATOR ? null : actor;
}

/** Whether the actor may change its own organisation's settings (API keys, webhooks, team address). */
export function canManageSettings(actor: Actor): boolean {
  return canManage(actor, "settings:manage", actor.organisationId);
}

/**
 * Refuses, as FORBIDDEN (the person sees the settings, they may not change them), a change to the
 * organisation's settings by someone who is not one of its administrators.
 */
export function assertCanManageSettings(actor: Actor, what: string): void {
  if (!canManageSettings(actor)) throw new AppError("FORBIDDEN", `Only ${actor.organisationName}'s administrators can ${what}: ask one of them`);
}

/** A role as people say it. */
export function roleLabel(user: { role: "SUPPLIER_USER" | "HELPDESK"; administrator: boolean }): string {
  if (user.role === "HELPDESK") return user.administrator ? "Helpdesk administrator" : "Helpdesk analyst";
  return user.administrator ? "Supplier administrator" : "Supplier user";
}
