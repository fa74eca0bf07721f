import { db } from "../db/client";

/** Supplier organisations, by name: the helpdesk's choices when reassigning. */
export async function supplierOrganisations(): Promise<{ code: string; name: string }[]> {
  return db().organisation.findMany({ where: { kind: "SUPPLIER" }, orderBy: { name: "asc" }, select: { code: true, name: true } });
}
