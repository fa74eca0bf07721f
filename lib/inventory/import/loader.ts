import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../../db/client";
import type { SmiRow } from "./parse-row";

// How rows reach the database: one connection, a TEMP staging table (its rows vanish at each commit),
// and a batch = one transaction that stages the rows, creates new Supplier codes, upserts Device and
// records the import's progress. PostgreSQL stages through COPY FROM STDIN (pg-copy-streams); PGlite
// through COPY FROM '/dev/blob' or multi-row INSERTs (docs/decisions/013-smi-import.md measures both).

export type StagedRow = SmiRow & { line: number };

export type Querier = { query<T>(sql: string, params?: unknown[]): Promise<T[]> };

export type BatchTx = Querier & { stage(rows: readonly StagedRow[]): Promise<void> };

export type Loader = Querier & {
  kind: "postgres-copy" | "pglite-copy" | "pglite-insert";
  /** Runs `work` in one transaction on the loader's connection; a throw rolls it back. */
  transaction<T>(work: (tx: BatchTx) => Promise<T>): Promise<T>;
  release(): Promise<void>;
};

export type EmbeddedLoadMethod = "copy" | "insert";

export const STAGING_TABLE = "inventory_import_staging";
const STAGING_COLUMNS =
  "line, device_id, device_type, status, status_changed_at, manufacturer, model, firmware_version, mpxn, pre_notified_by";

const CREATE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING_TABLE} (
  line integer NOT NULL,
  device_id text NOT NULL,
  device_type text NOT NULL,
  status text,
  status_changed_at timestamptz,
  manufacturer text NOT NULL,
  model text NOT NULL,
  firmware_version text NOT NULL,
  mpxn text,
  pre_notified_by text NOT NULL
) ON COMMIT DELETE ROWS`;

/** From staging into Device: the last line wins when a batch names a Device twice; unchanged rows are left alone. */
export const UPSERT_DEVICES = `INSERT INTO "Device" ("deviceId", "deviceType", "status", "statusChangedAt", "manufacturer", "model", "firmwareVersion", "mpxn", "preNotifiedById")
SELECT DISTINCT ON (s.device_id) s.device_id, s.device_type::"DeviceType", s.status::"DeviceStatus", s.status_changed_at,
       s.manufacturer, s.model, s.firmware_version, s.mpxn, o.id
FROM ${STAGING_TABLE} s JOIN "Organisation" o ON o.code = s.pre_notified_by AND o.kind = 'SUPPLIER'
ORDER BY s.device_id, s.line DESC
ON CONFLICT ("deviceId") DO UPDATE SET
  "deviceType" = EXCLUDED."deviceType", "status" = EXCLUDED."status", "statusChangedAt" = EXCLUDED."statusChangedAt",
  "manufacturer" = EXCLUDED."manufacturer", "model" = EXCLUDED."model", "firmwareVersion" = EXCLUDED."firmwareVersion",
  "mpxn" = EXCLUDED."mpxn", "preNotifiedById" = EXCLUDED."preNotifiedById"
WHERE ("Device"."deviceType", "Device"."status", "Device"."statusChangedAt", "Device"."manufacturer", "Device"."model",
       "Device"."firmwareVersion", "Device"."mpxn", "Device"."preNotifiedById")
  IS DISTINCT FROM (EXCLUDED."deviceType", EXCLUDED."status", EXCLUDED."statusChangedAt", EXCLUDED."manufacturer",
       EXCLUDED."model", EXCLUDED."firmwareVersion", EXCLUDED."mpxn", EXCLUDED."preNotifiedById")`;

// PostgreSQL COPY text format: backslash escapes, \N for null.
function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

function fieldsOf(r: StagedRow): (string | null)[] {
  return [
    String(r.line),
    r.deviceId,
    r.deviceType,
    r.status,
    r.statusChangedAt ? r.statusChangedAt.toISOString() : null,
    r.manufacturer,
    r.model,
    r.firmwareVersion,
    r.mpxn,
    r.preNotifiedBy,
  ];
}

/** The batch as COPY text: one string per batch, so memory is bounded by the batch size. */
export function copyText(rows: readonly StagedRow[]): string {
  let text = "";
  for (const row of rows) text += fieldsOf(row).map(copyField).join("\t") + "\n";
  return text;
}

const COPY_SQL = `COPY ${STAGING_TABLE} (${STAGING_COLUMNS}) FROM STDIN`;

async function postgresLoader(pool: pg.Pool): Promise<Loader> {
  const client = await pool.connect();
  const query = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  try {
    await client.query(CREATE_STAGING);
  } catch (error) {
    client.release();
    throw error;
  }
  return {
    kind: "postgres-copy",
    query,
    async transaction(work) {
      await client.query("BEGIN");
      try {
        const result = await work({
          query,
          stage: async (rows) => {
            if (rows.length === 0) return;
            await pipeline(Readable.from([copyText(rows)]), client.query(copyFrom(COPY_SQL)));
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    },
    // Destroy rather than return the connection: its TEMP table should not outlive the import.
    release: async () => client.release(true),
  };
}

// 10 parameters a row; PostgreSQL allows 65,535 a statement.
const INSERT_ROWS_PER_STATEMENT = 5_000;

function insertStatement(count: number): string {
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = i * 10;
    values.push(`($${p + 1}::int,$${p + 2},$${p + 3},$${p + 4},$${p + 5}::timestamptz,$${p + 6},$${p + 7},$${p + 8},$${p + 9},$${p + 10})`);
  }
  return `INSERT INTO ${STAGING_TABLE} (${STAGING_COLUMNS}) VALUES ${values.join(",")}`;
}

async function pgliteLoader(pglite: PGlite, method: EmbeddedLoadMethod): Promise<Loader> {
  await pglite.exec(CREATE_STAGING);
  return {
    kind: method === "copy" ? "pglite-copy" : "pglite-insert",
    query: async <T>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
    // PGlite's own transaction holds its single connection, so nothing else interleaves.
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          query: async <T>(sql: string, params: unknown[] = []) => (await tx.query<T>(sql, params)).rows,
          stage: async (rows) => {
            if (rows.length === 0) return;
            if (method === "copy") {
              await tx.query(`COPY ${STAGING_TABLE} (${STAGING_COLUMNS}) FROM '/dev/blob'`, [], { blob: new Blob([copyText(rows)]) });
              return;
            }
            for (let start = 0; start < rows.length; start += INSERT_ROWS_PER_STATEMENT) {
              const chunk = rows.slice(start, start + INSERT_ROWS_PER_STATEMENT);
              await tx.query(insertStatement(chunk.length), chunk.flatMap(fieldsOf));
            }
          },
        }),
      ),
    release: async () => {
      await pglite.exec(`DROP TABLE IF EXISTS ${STAGING_TABLE}`);
    },
  };
}

export async function openLoader(database: Database, embeddedMethod: EmbeddedLoadMethod = "copy"): Promise<Loader> {
  const pool = database.pgPool();
  if (pool) return postgresLoader(pool);
  const pglite = database.pglite();
  if (!pglite) throw new Error("The database offers neither a pg pool nor an embedded PGlite");
  return pgliteLoader(pglite, embeddedMethod);
}
