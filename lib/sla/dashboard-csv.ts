import { now as clockNow } from "../clock";
import type { Actor } from "../auth/actor";
import { safeCell } from "../audit/csv";
import { z } from "zod";
import { AppError, validate } from "../errors";
import { visibleScope } from "../requests/visibility";
import { allDueListRows, supplierTable, weeklyTable, type DueListRow, type SupplierRow, type WeekRow } from "./dashboard";
import { isoDay } from "./period";
import { londonDay } from "./working-days";

// The dashboard's tables as CSV (/helpdesk/export?table=...): the same rows the page shows for the
// same period, except that the at-risk and breached lists have every row, not only the first 200.

export const DASHBOARD_TABLES = ["at-risk", "breached", "suppliers", "weekly"] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

const tableSchema = z.object({ table: z.enum(DASHBOARD_TABLES, { error: "Choose a table: at-risk, breached, suppliers or weekly" }) });

const number = (n: number | null) => (n === null ? "" : String(Math.round(n * 10) / 10));

const DUE_LIST_COLUMNS = ["reference", "device_id", "raised_by_code", "raised_by", "assigned_to_code", "assigned_to", "raised_at", "due_at", "due"];
const dueListRecord = (r: DueListRow) => [
  r.reference,
  r.deviceId,
  safeCell(r.raisingOrganisation.code),
  safeCell(r.raisingOrganisation.name),
  safeCell(r.assignedOrganisation.code),
  safeCell(r.assignedOrganisation.name),
  r.raisedAt.toISOString(),
  r.dueAt.toISOString(),
  r.due,
];

const SUPPLIER_COLUMNS = [
  "supplier_code",
  "supplier",
  "received",
  "answered",
  "answered_in_time",
  "answered_late",
  "median_working_days_to_first_response",
  "p90_working_days_to_first_response",
  "percent_answered_in_time",
  "breached_in_period",
  "currently_breached",
  "reassigned_away",
];
const supplierRecord = (r: SupplierRow) => [
  safeCell(r.code),
  safeCell(r.name),
  String(r.received),
  String(r.answered),
  String(r.answeredInTime),
  String(r.answeredLate),
  number(r.medianWorkingDays),
  number(r.p90WorkingDays),
  number(r.percentInTime),
  String(r.breached),
  String(r.currentlyBreached),
  String(r.reassignedAway),
];

const WEEKLY_COLUMNS = ["week_starting", "raised", "answered"];
const weeklyRecord = (r: WeekRow) => [r.weekStart, String(r.raised), String(r.answered)];

export type DashboardCsv = { columns: string[]; filename: string; rows: AsyncIterable<string[]> };

/**
 * One table of the dashboard as CSV records, or VALIDATION (an unknown table, a bad period) /
 * NOT_FOUND (anyone but the helpdesk) before the first row.
 */
export async function dashboardCsv(actor: Actor, input: Record<string, unknown>, options: { now?: Date } = {}): Promise<DashboardCsv> {
  if (visibleScope(actor).kind !== "all") throw AppError.notFound("Not found");
  const { table } = validate(tableSchema, input);
  const now = options.now ?? clockNow();
  if (table === "at-risk" || table === "breached") {
    const rows = allDueListRows(actor, table, { now });
    // Pull the first row now, so that a refusal comes before the download starts.
    const first = await rows.next();
    async function* records() {
      if (!first.done) yield dueListRecord(first.value);
      for await (const row of rows) yield dueListRecord(row);
    }
    return { columns: DUE_LIST_COLUMNS, filename: `helpdesk-${table}-${isoDay(londonDay(now))}.csv`, rows: records() };
  }
  const name = (firstDay: string, lastDay: string) => `helpdesk-${table}-${firstDay}-to-${lastDay}.csv`;
  if (table === "suppliers") {
    const { period, rows } = await supplierTable(actor, input, { now });
    return { columns: SUPPLIER_COLUMNS, filename: name(period.firstDay, period.lastDay), rows: from(rows.map(supplierRecord)) };
  }
  const { period, rows } = await weeklyTable(actor, input, { now });
  return { columns: WEEKLY_COLUMNS, filename: name(period.firstDay, period.lastDay), rows: from(rows.map(weeklyRecord)) };
}

async function* from<T>(rows: T[]): AsyncGenerator<T> {
  yield* rows;
}
