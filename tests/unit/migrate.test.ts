import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checksum, migrate, MigrationError, readMigrations } from "@/lib/db/migrate";
import { pgliteConnection, type SqlConnection } from "@/lib/db/sql-connection";

function migrationsDir(migrations: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "icr-migrations-"));
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  writeFileSync(path.join(dir, "migration_lock.toml"), 'provider = "postgresql"\n');
  return dir;
}

const FIRST = 'CREATE TABLE "Thing" (id INT PRIMARY KEY);\n';
const SECOND = 'ALTER TABLE "Thing" ADD COLUMN label TEXT;\nINSERT INTO "Thing" (id, label) VALUES (1, \'one\');\n';

describe("the migrator", () => {
  let pglite: PGlite;
  let conn: SqlConnection;

  beforeEach(async () => {
    pglite = new PGlite();
    conn = pgliteConnection(pglite);
  });
  afterEach(async () => {
    await pglite.close();
  });

  it("reads migration folders in name order with the sha256 of each migration.sql", () => {
    const dir = migrationsDir({ "20260102000000_second": SECOND, "20260101000000_first": FIRST });
    const migrations = readMigrations(dir);
    expect(migrations.map((m) => m.name)).toEqual(["20260101000000_first", "20260102000000_second"]);
    expect(migrations[0].checksum).toBe(checksum(FIRST));
    expect(migrations[0].checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("applies pending migrations in order and records them as Prisma does", async () => {
    const dir = migrationsDir({ "20260101000000_first": FIRST, "20260102000000_second": SECOND });
    const result = await migrate(conn, readMigrations(dir));
    expect(result).toEqual({ applied: ["20260101000000_first", "20260102000000_second"], alreadyApplied: [] });
    expect(await conn.query('SELECT id, label FROM "Thing"')).toEqual([{ id: 1, label: "one" }]);
    const rows = await conn.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished_at: Date | null; logs: string | null }>(
      'SELECT migration_name, checksum, applied_steps_count, finished_at, logs FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count, r.logs])).toEqual([
      ["20260101000000_first", checksum(FIRST), 1, null],
      ["20260102000000_second", checksum(SECOND), 1, null],
    ]);
    expect(rows.every((r) => r.finished_at instanceof Date)).toBe(true);
  });

  it("skips migrations already applied and applies only the new one", async () => {
    await migrate(conn, readMigrations(migrationsDir({ "20260101000000_first": FIRST })));
    const result = await migrate(conn, readMigrations(migrationsDir({ "20260101000000_first": FIRST, "20260102000000_second": SECOND })));
    expect(result).toEqual({ applied: ["20260102000000_second"], alreadyApplied: ["20260101000000_first"] });
    const again = await migrate(conn, readMigrations(migrationsDir({ "20260101000000_first": FIRST, "20260102000000_second": SECOND })));
    expect(again.applied).toEqual([]);
    expect(await conn.query('SELECT count(*)::int AS n FROM "_prisma_migrations"')).toEqual([{ n: 2 }]);
  });

  it("refuses to start when an applied migration was changed on disk", async () => {
    await migrate(conn, readMigrations(migrationsDir({ "20260101000000_first": FIRST })));
    const edited = readMigrations(migrationsDir({ "20260101000000_first": FIRST + "-- edited\n", "20260102000000_second": SECOND }));
    await expect(migrate(conn, edited)).rejects.toThrow(MigrationError);
    await expect(migrate(conn, edited)).rejects.toThrow(/20260101000000_first was changed after it was applied/);
    // Nothing after the changed one was applied.
    expect(await conn.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Thing' AND column_name = 'label'`)).toEqual([]);
  });

  it("rolls a failing migration back completely and records nothing for it", async () => {
    const broken = 'CREATE TABLE "Other" (id INT);\nSELECT * FROM "does_not_exist";\n';
    const migrations = readMigrations(migrationsDir({ "20260101000000_first": FIRST, "20260102000000_broken": broken }));
    await expect(migrate(conn, migrations)).rejects.toThrow(/20260102000000_broken failed and was rolled back/);
    expect(await conn.query(`SELECT to_regclass('"Other"') AS t`)).toEqual([{ t: null }]);
    expect(await conn.query('SELECT migration_name FROM "_prisma_migrations"')).toEqual([{ migration_name: "20260101000000_first" }]);
  });
});
