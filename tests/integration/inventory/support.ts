import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { SMI_COLUMNS } from "@/lib/inventory/import/parse-row";

export const ON_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);
export const HEADER = SMI_COLUMNS.join(",");

/** A folder of its own for a test file's CSV files. */
export function workDir(): string {
  return mkdtempSync(path.join(tmpdir(), "smi-import-"));
}

/** Writes the header and `rows` to `dir/name` and returns its path. */
export function writeCsv(dir: string, name: string, rows: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, [HEADER, ...rows].join("\n") + "\n");
  return file;
}

/** A good row for Device `n` of a range (so each test has its own Devices). */
export function goodRow(range: number, n: number, overrides: Partial<Record<(typeof SMI_COLUMNS)[number], string>> = {}): string {
  const id = `0C${range.toString(16).padStart(2, "0")}${n.toString(16).padStart(12, "0")}`.toUpperCase();
  const row: Record<string, string> = {
    device_id: id.toLowerCase(),
    device_type: "ESME",
    status: "InstalledNotCommissioned",
    status_changed_at: "2026-10-01T09:00:00Z",
    manufacturer: "Landis+Gyr",
    model: "E470 SMETS2",
    firmware_version: "4.2.1",
    mpxn: "1900000000001",
    pre_notified_by: "SFP",
    ...overrides,
  };
  return SMI_COLUMNS.map((c) => row[c]).join(",");
}

export function canonical(range: number, n: number): string {
  return `0C${range.toString(16).padStart(2, "0")}${n.toString(16).padStart(12, "0")}`.toUpperCase().match(/../g)!.join("-");
}

/** The rejects file as records: line, reason, and the row's own fields. */
export function readRejects(file: string): { line: number; reason: string; fields: string[] }[] {
  const [header, ...records] = parse(readFileSync(file, "utf8"), { relax_column_count: true }) as string[][];
  if (header.join(",") !== `line,reason,${HEADER}`) throw new Error(`unexpected rejects header ${header.join(",")}`);
  return records.map(([line, reason, ...fields]) => ({ line: Number(line), reason, fields }));
}
