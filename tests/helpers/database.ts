import { randomBytes } from "node:crypto";
import pg from "pg";
import { closeDatabase, openDatabase, setDatabase, type Database } from "@/lib/db/client";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { webhookDispatcherIdle } from "@/lib/webhooks/dispatcher";

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

/** A new, empty database (not migrated). */
export async function createEmptyDatabase(): Promise<Database> {
  const base = serverUrl();
  if (!base) return openDatabase({ kind: "embedded", dir: "memory://" });
  const name = `icr_test_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
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

/** A migrated database that `db()` answers with until `closeTestDatabase()`. */
export async function openTestDatabase(): Promise<Database> {
  const database = await createEmptyDatabase();
  await migrateAndUse(database);
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
