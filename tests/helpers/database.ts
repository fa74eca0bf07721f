import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { inject } from "vitest";
import { closeDatabase, openDatabase, setDatabase, type Database } from "@/lib/db/client";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { webhookDispatcherIdle } from "@/lib/webhooks/dispatcher";
import type { DatabaseTemplate } from "./database-template";

// Integration tests run on a real database: an in-memory embedded one by default, or a throwaway
// database on the PostgreSQL server named by TEST_DATABASE_URL (CI runs them on both).

export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database on the server (a copy of `template` when given), dropped by its close(). */
async function createServerDatabase(base: string, template?: string): Promise<Database> {
  const name = `icr_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = openDatabase({ kind: "postgres", url: url.toString() });
  return {
    ...database,
    close: async () => {
      await database.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** A new, empty database (not migrated): for the tests of the migrations themselves. */
export async function createEmptyDatabase(): Promise<Database> {
  const base = serverUrl();
  if (!base) return openDatabase({ kind: "embedded", dir: "memory://" });
  return createServerDatabase(base);
}

/** Applies the migrations to `database` and makes `db()` answer with it; returns what it applied. */
export async function migrateAndUse(database: Database): Promise<string[]> {
  const conn = await database.connect();
  try {
    const { applied } = await migrate(conn, readMigrations());
    setDatabase(database);
    return applied;
  } finally {
    await conn.release();
  }
}

/**
 * The run's migrated database (tests/helpers/database-template.ts, the integration project's
 * globalSetup), if it made one for the database these tests run on.
 */
function template(): DatabaseTemplate | undefined {
  const provided = inject("databaseTemplate");
  if (!provided) return undefined;
  return (provided.kind === "postgres") === Boolean(serverUrl()) ? provided : undefined;
}

let embeddedDump: Blob | undefined;

/**
 * A new database with every migration applied, as a copy of the run's template: `CREATE DATABASE
 * ... TEMPLATE` on the server, an in-memory PGlite loaded from the template's dump otherwise. Without
 * a template (a test run outside the integration project) it migrates an empty database.
 */
async function createMigratedDatabase(): Promise<Database> {
  const migrated = template();
  if (migrated?.kind === "postgres") return createServerDatabase(serverUrl()!, migrated.name);
  if (migrated?.kind === "embedded") {
    embeddedDump ??= new Blob([new Uint8Array(readFileSync(migrated.file))]);
    return openDatabase({ kind: "embedded", dir: "memory://" }, { loadDataDir: embeddedDump });
  }
  const database = await createEmptyDatabase();
  await migrateAndUse(database);
  return database;
}

/** A migrated database that `db()` answers with until `closeTestDatabase()`. */
export async function openTestDatabase(): Promise<Database> {
  const database = await createMigratedDatabase();
  setDatabase(database);
  return database;
}

/**
 * Closes the test's database once the background dispatchers kicked by its last changes are done: a
 * run still going would otherwise reopen a connection to a database about to be dropped.
 */
export async function closeTestDatabase(): Promise<void> {
  await dispatcherIdle();
  await webhookDispatcherIdle();
  await closeDatabase();
}
