import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { once } from "node:events";
import { parse } from "csv-parse";
import type { Database } from "../../db/client";
import { openLoader, UPSERT_DEVICES, type EmbeddedLoadMethod, type StagedRow } from "./loader";
import { parseRow, SMI_COLUMNS, type OrganisationLookup } from "./parse-row";

// Loads an SMI extract (CSV) into Device: streamed (csv-parse with backpressure), validated row by
// row, staged and upserted in batches that commit in order. Each batch's transaction also records
// the import's progress, so an interrupted import of the same file is finished by a re-run.

export const STDIN_SOURCE = "-";
export const STDIN_REJECTS = "inventory-import.rejects.csv";
export const DEFAULT_BATCH_SIZE = 5_000;
const FINGERPRINT_BYTES = 1024 * 1024;

export type ImportProgress = { rowsRead: number; rowsLoaded: number; rowsRejected: number; bytesRead: number; totalBytes: number | null };

export type ImportOptions = {
  /** A file path, or "-" for `stdin`. */
  source: string;
  stdin?: Readable;
  rejectsPath?: string;
  createOrganisations?: boolean;
  batchSize?: number;
  embeddedMethod?: EmbeddedLoadMethod;
  onProgress?: (progress: ImportProgress) => void;
  /** Called inside each batch's transaction before it commits: a throw rolls the batch back (tests). */
  beforeCommit?: (batch: { index: number; lastLine: number }) => void | Promise<void>;
};

export type ImportResult = {
  importId: string;
  resumed: boolean;
  /** Lines skipped because an earlier run of this file committed them. */
  resumedAfterLine: number;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rejectsPath: string;
};

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}

/** Who a file is, for resuming: its name, its size and the SHA-256 of its first MiB. */
export async function fingerprintFile(file: string): Promise<{ name: string; size: number; fingerprint: string }> {
  const size = (await stat(file)).size;
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(Math.min(size, FINGERPRINT_BYTES));
    await handle.read(buffer, 0, buffer.length, 0);
    return { name: path.basename(file), size, fingerprint: createHash("sha256").update(buffer).digest("hex") };
  } finally {
    await handle.close();
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function writeLine(out: WriteStream, line: string): Promise<void> {
  if (!out.write(line)) await once(out, "drain");
}

type ImportRow = { id: string; status: string; lastCommittedLine: number; rowsLoaded: number };

export async function runImport(database: Database, options: ImportOptions): Promise<ImportResult> {
  const fromStdin = options.source === STDIN_SOURCE;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const rejectsPath = options.rejectsPath ?? (fromStdin ? STDIN_REJECTS : `${options.source}.rejects.csv`);
  const identity = fromStdin ? { name: "standard input", size: null, fingerprint: null } : await fingerprintFile(options.source);

  const loader = await openLoader(database, options.embeddedMethod);
  let importId: string | undefined;
  try {
    const organisations = new Map<string, "SUPPLIER" | "OTHER">();
    for (const o of await loader.query<{ code: string; kind: string }>(`SELECT code, kind::text AS kind FROM "Organisation"`)) {
      organisations.set(o.code, o.kind === "SUPPLIER" ? "SUPPLIER" : "OTHER");
    }
    const lookup: OrganisationLookup = (code) => organisations.get(code);

    // The latest import of this same file, if it never finished, is taken over; stdin never resumes.
    let previous: ImportRow | undefined;
    if (!fromStdin) {
      [previous] = await loader.query<ImportRow>(
        `SELECT id, status::text AS status, "lastCommittedLine", "rowsLoaded" FROM "InventoryImport"
         WHERE "sourceName" = $1 AND "sourceSize" = $2 AND "sourceFingerprint" = $3 ORDER BY "startedAt" DESC LIMIT 1`,
        [identity.name, identity.size, identity.fingerprint],
      );
      if (previous?.status === "FINISHED") previous = undefined;
    }
    const resumedAfterLine = previous?.lastCommittedLine ?? 1;
    const loadedBefore = previous?.rowsLoaded ?? 0;
    if (previous) {
      importId = previous.id;
      await loader.query(`UPDATE "InventoryImport" SET status = 'RUNNING', error = NULL, "finishedAt" = NULL WHERE id = $1::uuid`, [importId]);
    } else {
      [{ id: importId }] = await loader.query<{ id: string }>(
        `INSERT INTO "InventoryImport" (id, "sourceName", "sourceSize", "sourceFingerprint") VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
        [identity.name.slice(0, 255), identity.size, identity.fingerprint],
      );
    }
    const id = importId!;

    const input: Readable = fromStdin ? (options.stdin ?? process.stdin) : createReadStream(options.source);
    const totalBytes = identity.size;
    const parser = parse({ info: true, relax_column_count: true, skip_empty_lines: true, bom: true });
    input.on("error", (error: Error) => parser.destroy(error));
    input.pipe(parser);

    const rejects = createWriteStream(rejectsPath);
    const rejectsClosed = once(rejects, "close");
    await writeLine(rejects, `line,reason,${SMI_COLUMNS.join(",")}\n`);

    let rowsRead = 0;
    let rowsRejected = 0;
    let loadedNow = 0;
    let bytesRead = 0;
    let batchIndex = 0;
    let batch: StagedRow[] = [];
    let batchLines = 0;
    let batchNewCodes = new Set<string>();
    let lastLine = 1;
    let headerSeen = false;

    const flush = async () => {
      const rows = batch;
      const newCodes = [...batchNewCodes];
      const index = batchIndex++;
      const line = lastLine;
      await loader.transaction(async (tx) => {
        if (newCodes.length > 0) {
          // Named after their code until someone names them (docs/decisions/013-smi-import.md).
          await tx.query(
            `INSERT INTO "Organisation" (id, code, name, kind) SELECT gen_random_uuid(), c, c, 'SUPPLIER' FROM unnest($1::text[]) AS c ON CONFLICT (code) DO NOTHING`,
            [newCodes],
          );
        }
        await tx.stage(rows);
        if (rows.length > 0) await tx.query(UPSERT_DEVICES);
        await tx.query(
          `UPDATE "InventoryImport" SET "rowsRead" = $2, "rowsLoaded" = $3, "rowsRejected" = $4, "lastCommittedLine" = $5 WHERE id = $1::uuid`,
          [id, rowsRead, loadedBefore + loadedNow + rows.length, rowsRejected, line],
        );
        await options.beforeCommit?.({ index, lastLine: line });
      });
      loadedNow += rows.length;
      batch = [];
      batchLines = 0;
      batchNewCodes = new Set();
      options.onProgress?.({ rowsRead, rowsLoaded: loadedBefore + loadedNow, rowsRejected, bytesRead, totalBytes });
    };

    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
        bytesRead = info.bytes;
        if (!headerSeen) {
          headerSeen = true;
          const header = record.map((h) => h.trim().toLowerCase());
          if (header.join(",") !== SMI_COLUMNS.join(",")) {
            throw new ImportError(`The first line must be the header ${SMI_COLUMNS.join(",")}; found ${record.join(",").slice(0, 200)}`);
          }
          continue;
        }
        rowsRead++;
        const line = info.lines;
        const parsed = parseRow(record, { organisation: lookup, createOrganisations: options.createOrganisations });
        if (!parsed.ok) {
          rowsRejected++;
          await writeLine(rejects, [String(line), parsed.reasons.join("; "), ...record].map(csvField).join(",") + "\n");
        } else if (line > resumedAfterLine) {
          if (parsed.newOrganisation) {
            organisations.set(parsed.row.preNotifiedBy, "SUPPLIER");
            batchNewCodes.add(parsed.row.preNotifiedBy);
          }
          batch.push({ ...parsed.row, line });
        }
        lastLine = line;
        // Lines already committed by an earlier run are only re-read (for the rejects file and counts).
        if (line > resumedAfterLine && ++batchLines >= batchSize) await flush();
      }
      if (!headerSeen) throw new ImportError(`The file is empty: the first line must be the header ${SMI_COLUMNS.join(",")}`);
      if (batchLines > 0) await flush();
    } finally {
      rejects.end();
      await rejectsClosed;
    }

    await loader.query(
      `UPDATE "InventoryImport" SET status = 'FINISHED', "finishedAt" = now(), "rowsRead" = $2, "rowsLoaded" = $3, "rowsRejected" = $4,
       "lastCommittedLine" = GREATEST("lastCommittedLine", $5) WHERE id = $1::uuid`,
      [id, rowsRead, loadedBefore + loadedNow, rowsRejected, lastLine],
    );
    return {
      importId: id,
      resumed: Boolean(previous),
      resumedAfterLine,
      rowsRead,
      rowsLoaded: loadedBefore + loadedNow,
      rowsRejected,
      rejectsPath,
    };
  } catch (error) {
    if (importId) {
      const message = error instanceof Error ? error.message : String(error);
      await loader
        .query(`UPDATE "InventoryImport" SET status = 'FAILED', "finishedAt" = now(), error = $2 WHERE id = $1::uuid`, [importId, message.slice(0, 500)])
        .catch(() => {});
    }
    throw error;
  } finally {
    await loader.release();
  }
}
