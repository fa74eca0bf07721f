import { parse as parseCsv } from "csv-parse/sync";
import { now as clockNow } from "../clock";
import { isSupplierUser, type Actor } from "../auth/actor";
import { recordAudits, type AuditEntry } from "../audit/record";
import { db } from "../db/client";
import { transaction, type Tx } from "../db/transaction";
import type { Prisma } from "../db/generated/client";
import { AppError, validate } from "../errors";
import type { DeviceId } from "../inventory/device-id";
import { findSmiDevices, lodgeRefusal } from "../inventory/eligibility";
import { encryptedCodeLength, encryptInstallCode } from "./encryption";
import { maskInstallCode } from "./format";
import {
  encodeLodgedCursor,
  LODGE_BULK_MAX_ROWS,
  LODGE_CSV_HEADER,
  LODGE_PAGE_SIZE,
  lodgeInstallCodeSchema,
  lodgeInstallCodesBulkSchema,
  listLodgedInstallCodesSchema,
  withdrawLodgedInstallCodeSchema,
  type LodgeInstallCodeInput,
  type LodgeInstallCodesBulkInput,
  type ListLodgedInstallCodesInput,
  type WithdrawLodgedInstallCodeInput,
} from "./lodge-schemas";

// Install Codes lodged in advance (issue 9, part 4; docs/decisions/018-lodged-install-codes.md). The
// Supplier that pre-notified a Device lodges its code before anyone asks; a request raised for the
// Device later is answered at once from it (answer-from-lodged-code.ts). A lodged code is its
// organisation's alone: no use case here returns a code, and no other organisation (nor the
// helpdesk) can list, replace or withdraw it.

export const ONLY_SUPPLIERS_MESSAGE = "Only Supplier users can lodge an Install Code";

export type LodgeOutcome = "lodged" | "replaced";

export type LodgeRowResult = {
  /** The CSV line (the header is line 1), or the row's position in the API's list (from 1). */
  line: number;
  /** Normalised; empty when the row's Device ID was not one (what was typed is not echoed). */
  deviceId: string;
  outcome: LodgeOutcome | "refused";
  /** Why a row was refused, in the words the page shows for one code. */
  reason?: string;
};

export type LodgeSummary = {
  rows: LodgeRowResult[];
  counts: { lodged: number; replaced: number; refused: number };
};

/** The additional data a lodged code is encrypted with: its ciphertext decrypts for this Device and organisation only. */
export function lodgedCodeContext(deviceId: string, organisationId: string): string {
  return `lodged:${deviceId}:${organisationId}`;
}

function assertSupplier(actor: Actor): void {
  if (!isSupplierUser(actor)) throw new AppError("FORBIDDEN", ONLY_SUPPLIERS_MESSAGE);
}

type Candidate = { line: number; deviceId: DeviceId; installCode: string };

/** Rows per transaction of a bulk lodge: short transactions, a few statements each. */
const CHUNK = 500;

/**
 * Lodges the candidates (distinct Devices) that the SMI allows, replacing the organisation's earlier
 * codes; the others are refused. The Devices are locked first (FOR NO KEY UPDATE), so that an SMI
 * import moving one of them on waits and then drops the new code through its trigger, rather than
 * slipping between the check and the write; a raise is not held up (its foreign key takes KEY SHARE).
 */
async function lodgeChunk(tx: Tx, actor: Actor, candidates: Candidate[], now: Date): Promise<LodgeRowResult[]> {
  const ids = candidates.map((c) => c.deviceId);
  await tx.$queryRaw`SELECT "deviceId" FROM "Device" WHERE "deviceId" = ANY(${ids}::text[]) ORDER BY "deviceId" FOR NO KEY UPDATE`;
  const devices = await findSmiDevices(tx, ids);
  const existing = new Map(
    (await tx.lodgedInstallCode.findMany({ where: { deviceId: { in: ids } }, select: { deviceId: true, organisationId: true } })).map((l) => [
      l.deviceId,
      l.organisationId,
    ]),
  );
  const results: LodgeRowResult[] = [];
  const accepted: (Candidate & { outcome: LodgeOutcome })[] = [];
  for (const c of candidates) {
    const reason = lodgeRefusal(devices.get(c.deviceId) ?? null, c.deviceId, actor.organisationId);
    if (reason) {
      results.push({ line: c.line, deviceId: c.deviceId, outcome: "refused", reason });
      continue;
    }
    const outcome: LodgeOutcome = existing.get(c.deviceId) === actor.organisationId ? "replaced" : "lodged";
    accepted.push({ ...c, outcome });
    results.push({ line: c.line, deviceId: c.deviceId, outcome });
  }
  if (accepted.length > 0) {
    // Replaced in place: the earlier ciphertext is gone, its history is in the audit log.
    await tx.lodgedInstallCode.deleteMany({ where: { deviceId: { in: accepted.map((a) => a.deviceId) } } });
    // One statement over arrays: Prisma's createMany costs about 1 ms a row here.
    const deviceIds = accepted.map((a) => a.deviceId);
    const encrypted = accepted.map((a) => encryptInstallCode(a.installCode, lodgedCodeContext(a.deviceId, actor.organisationId)));
    await tx.$executeRaw`INSERT INTO "LodgedInstallCode" ("deviceId", "organisationId", "encrypted", "lodgedAt", "lodgedById")
      SELECT t.device_id, ${actor.organisationId}::uuid, t.encrypted, ${now}::timestamptz, ${actor.userId}::uuid
      FROM unnest(${deviceIds}::text[], ${encrypted}::text[]) AS t(device_id, encrypted)`;
    await recordAudits(
      tx,
      accepted.map(
        (a): AuditEntry => ({
          type: a.outcome === "replaced" ? "LODGED_INSTALL_CODE_REPLACED" : "INSTALL_CODE_LODGED",
          actor,
          subject: a.deviceId,
          at: now,
        }),
      ),
    );
  }
  return results;
}

/** Two lodges of one Device at once: the second, having waited on the first's lock, ends in P2002 only if it ran unlocked. */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === "P2002";
}

async function lodgeInTransaction(actor: Actor, candidates: Candidate[], now: Date): Promise<LodgeRowResult[]> {
  try {
    return await transaction((tx) => lodgeChunk(tx, actor, candidates, now));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return transaction((tx) => lodgeChunk(tx, actor, candidates, now));
  }
}

/**
 * The installing Supplier lodges a Device's Install Code in advance, validated like a provided code
 * (length, CRC) and encrypted. A second lodge replaces the first. Refused, with the reason a person
 * reads, unless the SMI names this organisation as the Device's pre-notifier and the Device is a Type
 * 1 Device not yet commissioned.
 */
export async function lodgeInstallCode(
  actor: Actor,
  input: LodgeInstallCodeInput,
  options: { now?: Date } = {},
): Promise<{ deviceId: string; outcome: LodgeOutcome; lodgedAt: Date; masked: string }> {
  assertSupplier(actor);
  const { deviceId, installCode } = validate(lodgeInstallCodeSchema, input);
  const now = options.now ?? clockNow();
  const [result] = await lodgeInTransaction(actor, [{ line: 1, deviceId: deviceId as DeviceId, installCode }], now);
  if (result!.outcome === "refused") throw AppError.validation({ deviceId: [result!.reason!] }, result!.reason);
  return { deviceId, outcome: result!.outcome, lodgedAt: now, masked: maskInstallCode(installCode) };
}

type BulkRow = { line: number; deviceId?: unknown; installCode?: unknown };

/** The first message of a row that is not a Device ID and an Install Code (the Device ID's first). */
function rowProblem(row: BulkRow): { ok: true; candidate: Candidate } | { ok: false; deviceId: string; reason: string } {
  const parsed = lodgeInstallCodeSchema.safeParse({ deviceId: row.deviceId ?? "", installCode: row.installCode ?? "" });
  if (parsed.success) return { ok: true, candidate: { line: row.line, deviceId: parsed.data.deviceId as DeviceId, installCode: parsed.data.installCode } };
  const deviceIssue = parsed.error.issues.find((i) => i.path[0] === "deviceId");
  const issue = deviceIssue ?? parsed.error.issues[0]!;
  // The Device ID is echoed only once it is one: a code typed into the wrong column is never shown back.
  const deviceId = deviceIssue ? "" : (lodgeInstallCodeSchema.shape.deviceId.safeParse(row.deviceId).data ?? "");
  return { ok: false, deviceId, reason: issue.message };
}

function summarise(rows: LodgeRowResult[]): LodgeSummary {
  rows.sort((a, b) => a.line - b.line);
  const count = (outcome: LodgeRowResult["outcome"]) => rows.filter((r) => r.outcome === outcome).length;
  return { rows, counts: { lodged: count("lodged"), replaced: count("replaced"), refused: count("refused") } };
}

async function lodgeRows(actor: Actor, rows: BulkRow[], now: Date): Promise<LodgeSummary> {
  const results: LodgeRowResult[] = [];
  const candidates: Candidate[] = [];
  for (const row of rows) {
    const checked = rowProblem(row);
    if (checked.ok) candidates.push(checked.candidate);
    else results.push({ line: row.line, deviceId: checked.deviceId, outcome: "refused", reason: checked.reason });
  }
  // A Device on two lines is ambiguous (which code is right?): every one of its lines is refused.
  const linesOf = new Map<string, number[]>();
  for (const c of candidates) linesOf.set(c.deviceId, [...(linesOf.get(c.deviceId) ?? []), c.line]);
  const distinct: Candidate[] = [];
  for (const c of candidates) {
    const lines = linesOf.get(c.deviceId)!;
    if (lines.length === 1) distinct.push(c);
    else {
      const where = `${lines.slice(0, -1).join(", ")} and ${lines.at(-1)}`;
      results.push({ line: c.line, deviceId: c.deviceId, outcome: "refused", reason: `Device ${c.deviceId} is on more than one line (${where}): lodge each Device once` });
    }
  }
  for (let i = 0; i < distinct.length; i += CHUNK) results.push(...(await lodgeInTransaction(actor, distinct.slice(i, i + CHUNK), now)));
  return summarise(results);
}

/**
 * Many codes at once (the API's JSON list): every row is validated and answered, lodged, replaced or
 * refused with its reason; one bad row does not stop the others.
 */
export async function lodgeInstallCodes(actor: Actor, input: LodgeInstallCodesBulkInput, options: { now?: Date } = {}): Promise<LodgeSummary> {
  assertSupplier(actor);
  const rows = validate(lodgeInstallCodesBulkSchema, input);
  return lodgeRows(
    actor,
    rows.map((row, index) => ({ line: index + 1, ...row })),
    options.now ?? clockNow(),
  );
}

const CSV_HEADER_MESSAGE = `The first line must be the header ${LODGE_CSV_HEADER.join(",")}`;

/**
 * A CSV of `device_id,install_code` rows (the header first), as uploaded on /devices/lodge. Every row
 * is answered as lodgeInstallCodes answers it; a file that is not such a CSV is refused as a whole,
 * without quoting its content (it holds Install Codes).
 */
export async function lodgeInstallCodesFromCsv(actor: Actor, csv: string, options: { now?: Date } = {}): Promise<LodgeSummary> {
  assertSupplier(actor);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(csv, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw AppError.validation({ file: [`The file is not a CSV we can read${line ? ` (near line ${line})` : ""}: check its quotes`] }, "The file could not be read");
  }
  const [header, ...data] = records;
  if (!header) throw AppError.validation({ file: [`The file is empty. ${CSV_HEADER_MESSAGE}`] }, "The file is empty");
  if (header.record.map((h) => h.toLowerCase()).join(",") !== LODGE_CSV_HEADER.join(",")) {
    throw AppError.validation({ file: [CSV_HEADER_MESSAGE] }, CSV_HEADER_MESSAGE);
  }
  if (data.length === 0) throw AppError.validation({ file: ["The file has no rows after its header"] }, "The file has no rows");
  if (data.length > LODGE_BULK_MAX_ROWS) {
    const message = `The file has ${data.length.toLocaleString("en-GB")} rows: at most ${LODGE_BULK_MAX_ROWS.toLocaleString("en-GB")} at once`;
    throw AppError.validation({ file: [message] }, message);
  }
  const now = options.now ?? clockNow();
  const rows: LodgeRowResult[] = [];
  const good: BulkRow[] = [];
  for (const { record, info } of data) {
    if (record.length !== LODGE_CSV_HEADER.length) {
      rows.push({ line: info.lines, deviceId: "", outcome: "refused", reason: `A row has ${LODGE_CSV_HEADER.length} values: ${LODGE_CSV_HEADER.join(",")}` });
    } else {
      good.push({ line: info.lines, deviceId: record[0], installCode: record[1] });
    }
  }
  const lodged = await lodgeRows(actor, good, now);
  return summarise([...rows, ...lodged.rows]);
}

/** The organisation withdraws its lodged code: it is deleted (the audit log keeps that it was there). */
export async function withdrawLodgedInstallCode(
  actor: Actor,
  input: WithdrawLodgedInstallCodeInput,
  options: { now?: Date } = {},
): Promise<{ deviceId: string }> {
  assertSupplier(actor);
  const { deviceId } = validate(withdrawLodgedInstallCodeSchema, input);
  const now = options.now ?? clockNow();
  await transaction(async (tx) => {
    const { count } = await tx.lodgedInstallCode.deleteMany({ where: { deviceId, organisationId: actor.organisationId } });
    // Another organisation's code, or none: the same answer, so that nobody learns of a code not theirs.
    if (count === 0) throw AppError.notFound(`Your organisation has no Install Code lodged for Device ${deviceId}`);
    await recordAudits(tx, [{ type: "LODGED_INSTALL_CODE_WITHDRAWN", actor, subject: deviceId, at: now }]);
  });
  return { deviceId };
}

export type LodgedCodeSummary = {
  deviceId: string;
  lodgedAt: Date;
  /** Who lodged it; null once that user was removed. */
  lodgedBy: string | null;
  deviceType: string;
  /** The Device's SMI status now. */
  deviceStatus: string | null;
  /** Its length and dots: never a digit. */
  masked: string;
};

export type LodgedCodePage = {
  codes: LodgedCodeSummary[];
  /** The organisation's lodged codes (matching the Device filter), over all pages. */
  total: number;
  /** The next page's cursor, or null on the last page. */
  next: string | null;
};

/** The organisation's own lodged codes, newest first, without the codes themselves. */
export async function listLodgedInstallCodes(actor: Actor, input: ListLodgedInstallCodesInput = {}): Promise<LodgedCodePage> {
  assertSupplier(actor);
  const { deviceId, after, limit } = validate(listLodgedInstallCodesSchema, input);
  const size = limit ?? LODGE_PAGE_SIZE;
  const mine: Prisma.LodgedInstallCodeWhereInput = { organisationId: actor.organisationId, ...(deviceId ? { deviceId } : {}) };
  const page: Prisma.LodgedInstallCodeWhereInput = after
    ? { OR: [{ lodgedAt: { lt: after.lodgedAt } }, { lodgedAt: after.lodgedAt, deviceId: { gt: after.deviceId } }] }
    : {};
  const client = db();
  const [rows, total] = await Promise.all([
    client.lodgedInstallCode.findMany({
      where: { AND: [mine, page] },
      orderBy: [{ lodgedAt: "desc" }, { deviceId: "asc" }],
      take: size + 1,
      select: {
        deviceId: true,
        lodgedAt: true,
        encrypted: true,
        lodgedBy: { select: { name: true } },
        device: { select: { deviceType: true, status: true } },
      },
    }),
    client.lodgedInstallCode.count({ where: mine }),
  ]);
  const shown = rows.slice(0, size);
  const last = shown.at(-1);
  return {
    codes: shown.map((r) => ({
      deviceId: r.deviceId,
      lodgedAt: r.lodgedAt,
      lodgedBy: r.lodgedBy?.name ?? null,
      deviceType: r.device.deviceType,
      deviceStatus: r.device.status,
      masked: maskInstallCode("x".repeat(encryptedCodeLength(r.encrypted))),
    })),
    total,
    next: rows.length > size && last ? encodeLodgedCursor(last) : null,
  };
}
