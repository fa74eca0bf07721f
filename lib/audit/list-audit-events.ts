import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { isHelpdesk, type Actor } from "../auth/actor";
import { db } from "../db/client";
import type { AuditEventType, Prisma } from "../db/generated/client";
import { AuditEventType as AuditEventTypes } from "../db/generated/enums";
import { AppError, validate } from "../errors";

// The helpdesk reads the audit log on /audit and exports it as CSV. Anyone else: "not found", like a
// request they may not see.

export const AUDIT_EVENT_TYPES = Object.values(AuditEventTypes) as AuditEventType[];
export const AUDIT_PAGE_SIZE = 100;

/** 2026-02-31 is the right shape but no day at all; years outside 2000-2100 are no audit day either. */
function isCalendarDay(isoDay: string): boolean {
  const [y, m, d] = isoDay.split("-").map(Number);
  if (y! < 2000 || y! > 2100) return false;
  return new Date(Date.UTC(y!, m! - 1, d!)).toISOString().slice(0, 10) === isoDay;
}

/** An optional query-string field: empty is absent; otherwise `inner` decides. */
const optionalField = <T extends z.ZodType<unknown, string>>(inner: T) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .pipe(inner.optional());

const day = optionalField(
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date like 2026-11-30")
    // Only once the form is right: one message at a time.
    .refine((v) => !/^\d{4}-\d{2}-\d{2}$/.test(v) || isCalendarDay(v), "Enter a real date from 2000 to 2100, like 2026-11-30"),
);
const text = (max: number, message: string) =>
  optionalField(
    z
      .string()
      .max(max, message)
      // PostgreSQL text cannot hold a NUL; nobody means to search for a control character.
      .refine((v) => !/[\u0000-\u001F\u007F]/.test(v), "Remove the invisible control characters"),
  );

export const auditFilterSchema = z.object({
  type: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .pipe(z.enum(AUDIT_EVENT_TYPES as [AuditEventType, ...AuditEventType[]], { error: "Choose a kind of event from the list" }).optional()),
  /** Who acted: an email address or an organisation code, or the subject acted on. */
  who: text(320, "At most 320 characters"),
  reference: text(15, "A reference has at most 15 characters, like RIC0000042"),
  from: day,
  to: day,
  /** Keyset cursor: events older than this sequence number. */
  before: z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .pipe(z.string().regex(/^\d{1,18}$/, "Not a page of the audit log").optional()),
});
export type AuditFilter = z.output<typeof auditFilterSchema>;
export type AuditFilterInput = z.input<typeof auditFilterSchema>;

export type AuditRow = {
  sequence: string;
  at: Date;
  type: AuditEventType;
  actorEmail: string | null;
  actorOrganisationCode: string | null;
  clientAddress: string | null;
  requestReference: string | null;
  subject: string | null;
  detail: string | null;
};

function requireHelpdesk(actor: Actor): void {
  if (!isHelpdesk(actor)) throw AppError.notFound("Not found");
}

/** A London calendar day's start, as an instant. */
function londonDayStart(isoDay: string): Date {
  const [y, m, d] = isoDay.split("-").map(Number);
  return new Date(new TZDate(y!, m! - 1, d!, "Europe/London").getTime());
}

function nextDay(isoDay: string): string {
  const [y, m, d] = isoDay.split("-").map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}

function where(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.type) and.push({ type: filter.type });
  if (filter.who) {
    const who = filter.who.toLowerCase();
    and.push({
      OR: [
        { actorEmail: who },
        { actorOrganisationCode: filter.who.toUpperCase() },
        { subject: { in: [filter.who, who, filter.who.toUpperCase()] } },
      ],
    });
  }
  if (filter.reference) and.push({ requestReference: filter.reference.toUpperCase() });
  if (filter.from) and.push({ at: { gte: londonDayStart(filter.from) } });
  if (filter.to) and.push({ at: { lt: londonDayStart(nextDay(filter.to)) } });
  if (filter.before) and.push({ sequence: { lt: BigInt(filter.before) } });
  return { AND: and };
}

const select = {
  sequence: true,
  at: true,
  type: true,
  actorEmail: true,
  actorOrganisationCode: true,
  clientAddress: true,
  requestReference: true,
  subject: true,
  detail: true,
} as const;

const toRow = (e: Prisma.AuditEventGetPayload<{ select: typeof select }>): AuditRow => ({ ...e, sequence: e.sequence.toString() });

/** One page of the audit log, newest first, and the cursor of the next (older) page if any. */
export async function listAuditEvents(actor: Actor, input: AuditFilterInput): Promise<{ rows: AuditRow[]; filter: AuditFilter; nextBefore: string | null }> {
  requireHelpdesk(actor);
  const filter = validate(auditFilterSchema, input);
  if (filter.from && filter.to && filter.from > filter.to) throw AppError.validation({ to: ["The end date is before the start date"] });
  const rows = await db().auditEvent.findMany({ where: where(filter), orderBy: { sequence: "desc" }, take: AUDIT_PAGE_SIZE + 1, select });
  const page = rows.slice(0, AUDIT_PAGE_SIZE).map(toRow);
  return { rows: page, filter, nextBefore: rows.length > AUDIT_PAGE_SIZE ? page[page.length - 1]!.sequence : null };
}

/** Every matching event, newest first, in batches (for the CSV export: memory stays flat). */
export async function* exportAuditEvents(actor: Actor, input: AuditFilterInput): AsyncGenerator<AuditRow> {
  requireHelpdesk(actor);
  const filter = validate(auditFilterSchema, { ...input, before: undefined });
  if (filter.from && filter.to && filter.from > filter.to) throw AppError.validation({ to: ["The end date is before the start date"] });
  let before: bigint | undefined;
  for (;;) {
    const batch = await db().auditEvent.findMany({
      where: { AND: [where(filter), before === undefined ? {} : { sequence: { lt: before } }] },
      orderBy: { sequence: "desc" },
      take: 1000,
      select,
    });
    for (const row of batch) yield toRow(row);
    if (batch.length < 1000) return;
    before = batch[batch.length - 1]!.sequence;
  }
}
