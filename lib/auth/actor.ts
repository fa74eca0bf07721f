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
