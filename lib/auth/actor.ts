/** Who is acting: every use case takes one. Built from the session (or, later, an API key). */
export type Actor = {
  userId: string;
  email: string;
  name: string;
  role: "SUPPLIER_USER" | "HELPDESK";
  organisationId: string;
  organisationCode: string;
  organisationName: string;
  organisationKind: "SUPPLIER" | "HELPDESK";
  /** An administrator of its organisation (lib/people/permissions.ts says what that allows). */
  administrator: boolean;
  /** The client's address as the portal saw it, for the audit log; unknown in scripts and tests. */
  clientAddress?: string | null;
};

type UserWithOrganisation = {
  id: string;
  email: string;
  name: string;
  role: Actor["role"];
  administrator: boolean;
  /** Removed from its organisation: no actor. */
  removedAt: Date | null;
  organisationId: string;
  /** Null only if the database lost its foreign key (a forged row): then there is no actor. A suspended organisation's people are none either. */
  organisation: { code: string; name: string; kind: Actor["organisationKind"]; suspendedAt: Date | null } | null;
};

/**
 * A user is helpdesk only when its role and its organisation's kind agree (the database refuses to
 * store anything else); a mismatch is no actor at all.
 */
export function roleMatchesOrganisation(user: { role: Actor["role"]; organisation: { kind: Actor["organisationKind"] } | null }): boolean {
  if (!user.organisation) return false;
  return (user.role === "HELPDESK") === (user.organisation.kind === "HELPDESK");
}

/**
 * The Actor of a user, or null when it may not act: its role and organisation disagree, it was
 * removed from its organisation, or the organisation is suspended.
 */
export function toActor(user: UserWithOrganisation): Actor | null {
  if (!user.organisation || !roleMatchesOrganisation(user) || user.removedAt || user.organisation.suspendedAt) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisationId: user.organisationId,
    organisationCode: user.organisation.code,
    organisationName: user.organisation.name,
    organisationKind: user.organisation.kind,
    administrator: user.administrator,
  };
}

/** Why a user has no Actor (toActor gave null), for the log and the audit log. */
export function whyNoActor(user: UserWithOrganisation): string {
  if (user.removedAt) return "removed from its organisation";
  if (user.organisation?.suspendedAt) return "its organisation is suspended";
  return "role disagrees with the organisation's kind";
}

/** The DCC Helpdesk: the role and the organisation's kind both say so. */
export function isHelpdesk(actor: Actor): boolean {
  return actor.role === "HELPDESK" && actor.organisationKind === "HELPDESK";
}

/** A Supplier's user: the role and the organisation's kind both say so. */
export function isSupplierUser(actor: Actor): boolean {
  return actor.role === "SUPPLIER_USER" && actor.organisationKind === "SUPPLIER";
}
