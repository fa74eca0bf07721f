/** Who is acting: every use case takes one. Built from the session (or, later, an API key). */
export type Actor = {
  userId: string;
  email: string;
  name: string;
  role: "SUPPLIER_USER" | "HELPDESK";
  organisationId: string;
  organisationCode: string;
  organisationName: string;
};

type UserWithOrganisation = {
  id: string;
  email: string;
  name: string;
  role: Actor["role"];
  organisationId: string;
  organisation: { code: string; name: string };
};

export function toActor(user: UserWithOrganisation): Actor {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organisationId: user.organisationId,
    organisationCode: user.organisation.code,
    organisationName: user.organisation.name,
  };
}
