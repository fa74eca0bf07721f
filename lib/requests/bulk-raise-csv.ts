import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { safeCell } from "../audit/csv";
import { parseDeviceId } from "../inventory/device-id";
import { isoDay } from "../sla/period";
import { londonDay } from "../sla/working-days";
import type { BulkRaiseResult, BulkRaiseRow, BulkRowResult } from "./bulk-raise";
import { BULK_RAISE_MAX_ROWS } from "./schemas";

// A bulk raise as CSV: the file a Supplier uploads (header device_id, optional note), and the answer
// it downloads (device_id, outcome, reference, reason). Whole-file problems are refused here, with
// what to change; each row's own problems (a malformed Device ID, a note too long) are answered per
// row by bulkRaiseRequests, in the words of a single raise.

/** What the upload accepts: 10,000 rows with a short note each fit several times over. */
export const BULK_CSV_MAX_BYTES = 5 * 1024 * 1024;
const MAX_SIZE_TEXT = "5 MB";

export const BULK_CSV_COLUMNS = ["device_id", "note"] as const;

export type ParsedBulkCsv = { ok: true; rows: BulkRaiseRow[] } | { ok: false; message: string };

const HEADER_HINT = "The first line must be the header device_id, or device_id,note to give a note with each Device";

/** The rows of an uploaded CSV, or why the whole file cannot be read (for the person who made it). */
export function parseBulkRaiseCsv(text: string): ParsedBulkCsv {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > BULK_CSV_MAX_BYTES) return refuse(tooLargeMessage(bytes));
  // A spreadsheet (.xlsx), an image or text in another encoding reads as NULs and replacement characters.
  if (/[\u0000\uFFFD]/.test(text)) {
    return refuse("This is not a CSV file in UTF-8: in your spreadsheet, save it as \"CSV UTF-8 (comma delimited)\" and upload that file");
  }
  if (text.replace(/^\uFEFF/, "").trim() === "") return refuse(`The file is empty. ${HEADER_HINT}, then one Device ID a line`);

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      // Spaces around a value, and a quote inside an unquoted value, are what spreadsheets and people write.
      trim: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // A spreadsheet's trailing rows of empty cells are no rows.
      skip_records_with_empty_values: true,
      // A row may leave out its note, or end in empty cells; a value beyond the header's columns is refused below.
      relax_column_count: true,
      // The header, 10,000 rows and one more: enough to know that there are too many.
      to: BULK_RAISE_MAX_ROWS + 2,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const { code, bytes_records: done } = error as { code?: string; bytes_records?: number };
    // csv-parse counts to the end of the file; the quote opened where the unfinished row began.
    if (code === "CSV_QUOTE_NOT_CLOSED" && done !== undefined) {
      const lines = Buffer.from(text, "utf8").subarray(0, done).toString("utf8").split("\n").length;
      return refuse(parseErrorMessage({ code, lines }));
    }
    return refuse(parseErrorMessage(error));
  }

  const [first, ...data] = records;
  const header = first?.record ?? [];
  if (header.some((name) => parseDeviceId(name) !== null)) return refuse(`The file has no header: its first line is a Device ID. ${HEADER_HINT}`);
  // "Device ID", "deviceId" and "device-id" name the column too.
  const names = header.map((name) => name.toLowerCase().replace(/[\s-]+/g, "_").replace(/^deviceid$/, "device_id"));
  if (names.length === 1 && /[;\t|]/.test(names[0])) {
    return refuse(`The header ${quote(header[0])} is not separated by commas. ${HEADER_HINT}: save the file as CSV with commas between the columns`);
  }
  const unknown = names.filter((name) => !(BULK_CSV_COLUMNS as readonly string[]).includes(name));
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (unknown.length > 0 || repeated.length > 0 || !names.includes("device_id")) {
    return refuse(`The header is ${header.map(quote).join(", ")}. ${HEADER_HINT}, each once`);
  }
  if (data.length === 0) return refuse("The file has a header but no rows: add one Device ID a line under device_id");
  if (data.length > BULK_RAISE_MAX_ROWS) {
    return refuse(`The file has more than ${BULK_RAISE_MAX_ROWS.toLocaleString("en-GB")} rows, the most that can be raised at once: split it into files of ${BULK_RAISE_MAX_ROWS.toLocaleString("en-GB")} rows or fewer`);
  }
  const overflowing = data.find(({ record }) => record.slice(names.length).some((value) => value !== ""));
  if (overflowing) return refuse(parseErrorMessage({ code: "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH", lines: overflowing.info.lines }));

  const deviceColumn = names.indexOf("device_id");
  const noteColumn = names.indexOf("note");
  const rows = data.map(({ record }): BulkRaiseRow => {
    const note = noteColumn >= 0 ? record[noteColumn] : undefined;
    return { deviceId: record[deviceColumn] ?? "", ...(note ? { note } : {}) };
  });
  return { ok: true, rows };
}

export function tooLargeMessage(bytes: number): string {
  const mb = (bytes / (1024 * 1024)).toLocaleString("en-GB", { maximumFractionDigits: 1 });
  return `The file is ${mb} MB: at most ${MAX_SIZE_TEXT} can be uploaded at once. Split it into smaller files`;
}

function refuse(message: string): ParsedBulkCsv {
  return { ok: false, message };
}

function quote(value: string): string {
  return `"${value.replace(/[^\x20-\x7E]/g, "?").slice(0, 40)}"`;
}

/** csv-parse's errors, said for a person with a spreadsheet: what is wrong, and on which line. */
function parseErrorMessage(error: unknown): string {
  const { code, lines } = error as { code?: string; lines?: number };
  const where = lines ? `Line ${lines.toLocaleString("en-GB")}` : "The file";
  switch (code) {
    case "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH":
      return `${where} has more values than the header has columns. Put a note that contains a comma in double quotes ("like, this")`;
    case "CSV_QUOTE_NOT_CLOSED":
      return `${where}: a double quote (") opens a value that is never closed. Close it, or remove it (a quote inside a value in quotes is written twice: "")`;
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return `${where}: a double quote (") in the middle of a value. Put the whole value in double quotes and write each quote inside it twice ("")`;
    default:
      return `${where} cannot be read as CSV. Save the file from your spreadsheet as "CSV UTF-8 (comma delimited)"`;
  }
}

/** The answer of each row as the page and the download say it, beside the reason of a refused row. */
export function rowDetail(row: BulkRowResult): string {
  if (row.outcome === "refused") return row.reason;
  const repeat = row.repeatOf === undefined ? "" : `The Device is also on row ${row.repeatOf.toLocaleString("en-GB")} of this file`;
  const note = row.noteAdded ? (row.outcome === "raised" ? "The note was added to it" : "The note was added to the open request") : "";
  return [repeat, note].filter(Boolean).join(". ");
}

/** bulk-raise-2026-11-30.csv, by the UK day. */
export function resultFileName(now: Date): string {
  return `bulk-raise-${isoDay(londonDay(now))}.csv`;
}

export const RESULT_CSV_COLUMNS = ["device_id", "outcome", "reference", "reason"];

/**
 * The download of a bulk raise's answer, a row for each row of the file in its order. A cell that a
 * spreadsheet would read as a formula (a Device ID typed as =HYPERLINK(...)) is neutralised (safeCell).
 */
export function bulkRaiseResultCsv(result: Pick<BulkRaiseResult, "rows">): string {
  const records = result.rows.map((row) => [
    safeCell(row.deviceId),
    row.outcome,
    row.outcome === "refused" ? "" : row.reference,
    safeCell(rowDetail(row)),
  ]);
  return stringify([RESULT_CSV_COLUMNS, ...records]);
}
