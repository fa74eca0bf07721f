import type { AuditRow } from "./list-audit-events";

// The CSV export's columns, and each row as a record. A cell that a spreadsheet would read as a
// formula (=, +, -, @, tab, carriage return first) is prefixed with an apostrophe (OWASP "CSV injection").

export const auditCsvColumns = ["sequence", "at", "type", "actor_email", "actor_organisation", "client_address", "request", "subject", "detail"];

export function safeCell(value: string | null): string {
  if (value === null) return "";
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function auditCsvRecord(row: AuditRow): string[] {
  return [
    row.sequence,
    row.at.toISOString(),
    row.type,
    safeCell(row.actorEmail),
    safeCell(row.actorOrganisationCode),
    safeCell(row.clientAddress),
    safeCell(row.requestReference),
    safeCell(row.subject),
    safeCell(row.detail),
  ];
}
