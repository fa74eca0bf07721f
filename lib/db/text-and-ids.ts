import { z } from "zod";

// What the database accepts, checked before a query reaches it: an id column is a PostgreSQL uuid
// (anything else is an error from the database, a 500), and a case-insensitive Prisma filter
// (`contains`, `equals` with mode "insensitive") is an ILIKE pattern.

/** A uuid as PostgreSQL reads it, in any case. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const uuidString = z.string().regex(UUID_PATTERN);

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID_PATTERN.test(value);
}

/** `text` matched literally by a case-insensitive filter: "%" and "_" are no wildcards, a "\" no escape. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
