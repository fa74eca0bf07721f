// Backups of the embedded database (npm run db:backup / db:restore): PGlite's own dump of its data
// folder (dumpDataDir, a gzipped tarball), restored with `new PGlite({ loadDataDir })`. A PostgreSQL
// server is backed up with pg_dump instead (docs/deployment.md, "Backups").
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";

export class BackupError extends Error {}

export const USE_PG_DUMP =
  "DATABASE_URL is set: this portal uses a PostgreSQL server. Back it up with pg_dump and restore it with pg_restore (see docs/deployment.md, \"Backups\").";

/**
 * PGlite writes postmaster.pid into its folder while a process has it open and removes it on close:
 * its presence means the portal (or a script) is running on this folder, or was stopped abruptly.
 */
export function assertNotInUse(dir: string): void {
  if (existsSync(path.join(dir, "postmaster.pid"))) {
    throw new BackupError(
      `The database in ${dir} is in use (${path.join(dir, "postmaster.pid")} exists): stop the portal (npm run serve / dev) and any other script first. ` +
        "If nothing is running (the portal was killed), run npm run db:migrate once to open and close it cleanly, then try again.",
    );
  }
}

/** Writes a PGlite dump of the embedded database in `dir` to `file` (a temporary file, then a rename). */
export async function backupEmbedded(dir: string, file: string, options: { force?: boolean } = {}): Promise<{ bytes: number }> {
  if (!existsSync(path.join(dir, "PG_VERSION"))) throw new BackupError(`There is no embedded database in ${dir} to back up (check DATA_DIR).`);
  if (existsSync(file) && !options.force) throw new BackupError(`${file} already exists: choose another name, or pass --force to replace it.`);
  assertNotInUse(dir);
  const pglite = new PGlite(dir);
  let dump: Buffer;
  try {
    await pglite.waitReady;
    dump = Buffer.from(await (await pglite.dumpDataDir("gzip")).arrayBuffer());
  } finally {
    if (!pglite.closed) await pglite.close();
  }
  const temporary = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, dump, { flag: "wx" });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { bytes: dump.length };
}

/** The tarball inside a PGlite dump (gzipped or not), or null when `bytes` is not a PGlite dump. */
export function readDump(bytes: Buffer): Buffer | null {
  let tar = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tar = gunzipSync(bytes);
    } catch {
      return null;
    }
  }
  // A ustar archive holding a PostgreSQL data folder (its PG_VERSION file).
  let offset = 0;
  let sawVersion = false;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    if (header.subarray(257, 262).toString("latin1") !== "ustar") return null;
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const prefix = header.subarray(345, 500).toString("utf8").replace(/\0.*$/s, "");
    const full = prefix ? `${prefix}/${name}` : name;
    if (full === "PG_VERSION" || full.endsWith("/PG_VERSION")) sawVersion = true;
    const size = parseInt(header.subarray(124, 136).toString("latin1").replace(/\0.*$/s, "").trim() || "0", 8);
    if (Number.isNaN(size)) return null;
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return sawVersion ? tar : null;
}

export function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
}

/**
 * Replaces the embedded database in `dir` with the dump in `file`. The database it replaces is moved
 * aside to `<dir>.before-restore-<timestamp>` (returned), never deleted; on a failure it is put back.
 */
export async function restoreEmbedded(dir: string, file: string, now = new Date()): Promise<{ keptAs: string | null }> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist.`);
  const tar = readDump(readFileSync(file));
  if (!tar) throw new BackupError(`${file} is not a PGlite dump (npm run db:backup writes one); nothing was changed.`);
  const hasDatabase = existsSync(dir);
  if (hasDatabase) assertNotInUse(dir);
  const keptAs = hasDatabase ? `${dir}.before-restore-${timestamp(now)}` : null;
  if (keptAs && existsSync(keptAs)) throw new BackupError(`${keptAs} already exists: wait a second and try again.`);
  if (keptAs) renameSync(dir, keptAs);
  try {
    const pglite = new PGlite(dir, { loadDataDir: new Blob([new Uint8Array(tar)]) });
    try {
      await pglite.waitReady;
      await pglite.query("SELECT 1");
    } finally {
      if (!pglite.closed) await pglite.close().catch(() => {});
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    if (keptAs) renameSync(keptAs, dir);
    throw new BackupError(`${file} could not be restored (${(error as Error).message}); the database in ${dir} is unchanged.`);
  }
  return { keptAs };
}
