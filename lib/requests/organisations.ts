import { likeLiteral } from "../db/text-and-ids";
import type { Tx } from "../db/transaction";
import type { RequestParties } from "./permissions";

type Organisation = { id: string; code: string; name: string; kind: "SUPPLIER" | "HELPDESK"; suspendedAt: Date | null };
const SELECT = { id: true, code: true, name: true, kind: true, suspendedAt: true } as const;

/** Why a request cannot be reassigned to `target`, or null when it can. */
export function reassignmentProblem(target: Organisation | null, request: RequestParties): string | null {
  if (!target || target.kind !== "SUPPLIER") return "Choose a Supplier organisation";
  if (target.id === request.assignedOrganisationId) return `The request is already assigned to ${target.name}`;
  if (target.id === request.raisingOrganisationId) return `${target.name} raised this request: it cannot also answer it`;
  if (target.suspendedAt) return `${target.name} is suspended: its people cannot sign in to answer. Choose another Supplier`;
  return null;
}

/**
 * The organisation the helpdesk typed: its SEC Party code or its full name, in any case. A national
 * SMI names hundreds of Suppliers, so the page asks for one instead of listing them all (decision
 * 015). Never a partial match: a request reassigned to the wrong Supplier shows it the Device; a
 * near miss is answered with up to five organisations whose code or name contains what was typed.
 */
export async function findReassignmentTarget(
  tx: Tx,
  typed: string,
): Promise<{ target: Organisation } | { target: null; suggestions: { code: string; name: string }[] }> {
  // Case-insensitive filters are LIKE patterns in PostgreSQL: what was typed is matched literally
  // (a "%" or "_" is no wildcard, a trailing "\\" no broken escape).
  const text = likeLiteral(typed.trim());
  const exact =
    (await tx.organisation.findFirst({ where: { code: { equals: text, mode: "insensitive" } }, select: SELECT })) ??
    (await tx.organisation.findFirst({ where: { name: { equals: text, mode: "insensitive" }, kind: "SUPPLIER" }, select: SELECT, orderBy: { code: "asc" } }));
  if (exact) return { target: exact };
  const suggestions = await tx.organisation.findMany({
    where: { kind: "SUPPLIER", OR: [{ code: { contains: text, mode: "insensitive" } }, { name: { contains: text, mode: "insensitive" } }] },
    select: { code: true, name: true },
    orderBy: { name: "asc" },
    take: 5,
  });
  return { target: null, suggestions };
}

/** The message for a code or name that matched no organisation exactly. */
export function noSuchSupplier(typed: string, suggestions: { code: string; name: string }[]): string {
  const shown = typed.trim().slice(0, 60);
  const base = `No organisation has the code or name “${shown}”`;
  if (suggestions.length === 0) return `${base}: enter a Supplier's SEC Party code, for example EGP`;
  return `${base}. Did you mean ${suggestions.map((s) => `${s.name} (${s.code})`).join(", ")}?`;
}
