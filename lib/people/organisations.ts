import { likeLiteral } from "../db/text-and-ids";
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { setAuditActor } from "../audit/record";
import { now as clockNow } from "../clock";
import { db } from "../db/client";
import { transaction } from "../db/transaction";
import { AppError, validate } from "../errors";
import { ORGANISATION_CODE } from "../inventory/import/parse-row";
import { teamEmailSchema } from "../notifications/preferences";
import { assertCanManage, canManageOrganisations, OPERATOR, type ActingAs } from "./permissions";

// Organisations (issue 11): the DCC's helpdesk administrators onboard Suppliers, rename them, and
// suspend or reinstate them (/admin/organisations; `npm run org` for scripts). The DCC organisation
// is the only helpdesk organisation: nothing here creates another. Every change is in the audit log
// (the Organisation trigger, named by setAuditActor).

export const ORGANISATION_NAME_MAX = 100;
export const ORGANISATIONS_PAGE_SIZE = 50;

const name = z
  .string({ error: "Enter the organisation's name" })
  .trim()
  .min(1, "Enter the organisation's name")
  .max(ORGANISATION_NAME_MAX, `The name can be at most ${ORGANISATION_NAME_MAX} characters`)
  .refine((v) => !/[\u0000-\u001F\u007F]/.test(v), "The name cannot contain control characters such as line breaks")
  // Invisible characters (zero-width spaces, direction marks) would make two names look alike.
  .refine((v) => !/\p{Cf}/u.test(v), "The name cannot contain invisible characters such as zero-width spaces")
  // (An empty name has its own message above.)
  .refine((v) => v === "" || /[\p{L}\p{N}]/u.test(v), "The name must have at least one letter or digit");

export const createOrganisationSchema = z.object({
  code: z
    .string({ error: "Enter the SEC Party code the Smart Metering Inventory uses for this Supplier" })
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => ORGANISATION_CODE.test(v), "Enter the SEC Party code as the Smart Metering Inventory has it: 2 to 16 letters or digits, like NWE"),
  name,
  teamEmail: teamEmailSchema.shape.teamEmail.optional(),
});
export type CreateOrganisationInput = z.input<typeof createOrganisationSchema>;

export const renameOrganisationSchema = z.object({ code: z.string().trim().toUpperCase(), name });

export type OrganisationSummary = {
  id: string;
  code: string;
  name: string;
  kind: "SUPPLIER" | "HELPDESK";
  teamEmail: string | null;
  suspendedAt: Date | null;
  people: number;
  administrators: number;
};

const SUMMARY = {
  id: true,
  code: true,
  name: true,
  kind: true,
  teamEmail: true,
  suspendedAt: true,
  users: { where: { serviceAccount: false, removedAt: null }, select: { administrator: true } },
} as const;

function summary(row: { id: string; code: string; name: string; kind: "SUPPLIER" | "HELPDESK"; teamEmail: string | null; suspendedAt: Date | null; users: { administrator: boolean }[] }): OrganisationSummary {
  const { users, ...rest } = row;
  return { ...rest, people: users.length, administrators: users.filter((u) => u.administrator).length };
}

/** Organisations whose code or name contains `search` (any case), by name; the helpdesk administrators'. */
export async function listOrganisations(actor: Actor, input: { search?: string } = {}): Promise<OrganisationSummary[]> {
  if (!canManageOrganisations(actor, "organisation:list")) throw AppError.notFound("Not found");
  const text = likeLiteral((input.search ?? "").trim().slice(0, 100));
  const rows = await db().organisation.findMany({
    where: text ? { OR: [{ code: { contains: text, mode: "insensitive" } }, { name: { contains: text, mode: "insensitive" } }] } : {},
    select: SUMMARY,
    orderBy: [{ name: "asc" }, { code: "asc" }],
    take: ORGANISATIONS_PAGE_SIZE,
  });
  return rows.map(summary);
}

/** One organisation, for whoever may list its people (its administrators, the helpdesk's). */
export async function organisationFor(actor: Actor, code: string): Promise<OrganisationSummary> {
  const row = await db().organisation.findUnique({ where: { code: String(code).trim().toUpperCase().slice(0, 16) }, select: SUMMARY });
  if (!row) throw AppError.notFound("Not found");
  assertCanManage(actor, "people:list", row.id);
  return summary(row);
}

/**
 * Onboards a Supplier: its SEC Party code (as the SMI names it, so that its Devices are its own),
 * its name, an optional team address. OPERATOR: `npm run org`, recorded without a person.
 */
export async function createOrganisation(actor: ActingAs, input: CreateOrganisationInput): Promise<OrganisationSummary> {
  if (actor !== OPERATOR && !canManageOrganisations(actor, "organisation:create")) throw AppError.notFound("Not found");
  const { code, name, teamEmail } = validate(createOrganisationSchema, input);
  return transaction(async (tx) => {
    if (actor !== OPERATOR) await setAuditActor(tx, actor);
    const taken = await tx.organisation.findFirst({
      where: { OR: [{ code }, { name: { equals: likeLiteral(name), mode: "insensitive" } }] },
      select: { code: true, name: true },
    });
    if (taken?.code === code) throw AppError.validation({ code: [`${code} is already ${taken.name}'s code`] });
    if (taken) throw AppError.validation({ name: [`${taken.name} (${taken.code}) already has this name`] });
    const row = await tx.organisation.create({ data: { code, name, kind: "SUPPLIER", teamEmail: teamEmail ?? null }, select: SUMMARY });
    return summary(row);
  });
}

export async function renameOrganisation(actor: ActingAs, input: { code: string; name: string }): Promise<OrganisationSummary> {
  return transaction(async (tx) => {
    // Who may rename it first: someone who may not learns nothing, not even what a valid name is.
    const row = await tx.organisation.findUnique({ where: { code: String(input.code ?? "").trim().toUpperCase().slice(0, 16) }, select: { id: true } });
    if (!row) throw AppError.notFound("Not found");
    if (actor !== OPERATOR) {
      assertCanManage(actor, "organisation:rename", row.id);
      await setAuditActor(tx, actor);
    }
    const { name } = validate(renameOrganisationSchema, input);
    const clash = await tx.organisation.findFirst({ where: { id: { not: row.id }, name: { equals: likeLiteral(name), mode: "insensitive" } }, select: { code: true, name: true } });
    if (clash) throw AppError.validation({ name: [`${clash.name} (${clash.code}) already has this name`] });
    return summary(await tx.organisation.update({ where: { id: row.id }, data: { name }, select: SUMMARY }));
  });
}

/**
 * Suspends a Supplier (its people cannot sign in, their sessions end, its API keys are refused; its
 * requests stay visible to the other party and the helpdesk, who can reassign them), or reinstates
 * it. The helpdesk organisation itself is never suspended.
 */
export async function setOrganisationSuspended(actor: ActingAs, input: { code: string; suspended: boolean }, options: { now?: Date } = {}): Promise<OrganisationSummary> {
  const code = String(input.code ?? "").trim().toUpperCase();
  return transaction(async (tx) => {
    const row = await tx.organisation.findUnique({ where: { code }, select: { id: true, kind: true, name: true, suspendedAt: true } });
    if (!row) throw AppError.notFound("Not found");
    if (actor !== OPERATOR) {
      assertCanManage(actor, "organisation:suspend", row.id);
      await setAuditActor(tx, actor);
    }
    if (row.kind === "HELPDESK") throw new AppError("FORBIDDEN", "The DCC Helpdesk cannot be suspended");
    if (input.suspended === Boolean(row.suspendedAt)) {
      throw new AppError("CONFLICT", input.suspended ? `${row.name} is already suspended` : `${row.name} is not suspended`);
    }
    const at = options.now ?? clockNow();
    return summary(await tx.organisation.update({ where: { id: row.id }, data: { suspendedAt: input.suspended ? at : null }, select: SUMMARY }));
  });
}
