import { isHelpdesk, type Actor } from "../../auth/actor";
import { db } from "../../db/client";
import { AppError } from "../../errors";

// The helpdesk's view of SMI imports (/inventory/imports). Anyone else: "not found".

export const IMPORTS_SHOWN = 50;

export type ImportSummary = {
  id: string;
  sourceName: string;
  startedAt: Date;
  finishedAt: Date | null;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  status: "RUNNING" | "FINISHED" | "FAILED";
  error: string | null;
};

/** The latest imports, newest first. */
export async function listInventoryImports(actor: Actor, limit = IMPORTS_SHOWN): Promise<ImportSummary[]> {
  if (!isHelpdesk(actor)) throw AppError.notFound("Not found");
  return db().inventoryImport.findMany({
    orderBy: [{ startedAt: "desc" }, { id: "asc" }],
    take: limit,
    select: { id: true, sourceName: true, startedAt: true, finishedAt: true, rowsRead: true, rowsLoaded: true, rowsRejected: true, status: true, error: true },
  });
}
