import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate, readMigrations } from "../../lib/db/migrate";
import { pgliteConnection, postgresConnection } from "../../lib/db/sql-connection";

// Vitest globalSetup of the integration project (docs/decisions/032-test-databases-from-a-template.md):
// migrates one database per run, which openTestDatabase() then copies for each test file instead of
// applying every migration again. On a PostgreSQL server (TEST_DATABASE_URL) it is a template
// database, copied with CREATE DATABASE ... TEMPLATE and dropped at the end of the run; on the
// embedded database it is a dump of a migrated in-memory PGlite, in a file that every PGlite opens
// with loadDataDir, removed at the end of the run.

export type DatabaseTemplate = { kind: "postgres"; name: string } | { kind: "embedded"; file: string };

declare module "vitest" {
  export interface ProvidedContext {
    databaseTemplate: DatabaseTemplate;
  }
}

/** Whether process `pid` is still running (a run that was killed leaves its dump behind). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL || undefined;
  const suffix = randomBytes(6).toString("hex");

  if (serverUrl) {
    const name = `icr_template_${suffix}`;
    await admin(serverUrl, `CREATE DATABASE "${name}"`);
    const drop = () => admin(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    try {
      const url = Object.assign(new URL(serverUrl), { pathname: `/${name}` }).toString();
      const conn = await postgresConnection(url);
      try {
        await migrate(conn, readMigrations());
      } finally {
        await conn.release();
      }
      // CREATE DATABASE ... TEMPLATE refuses while any session is connected to the template: from
      // here on nobody may connect to it (the migrator's connection may still be closing; CREATE
      // DATABASE waits a few seconds for such a session to go).
      await admin(serverUrl, `ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
    } catch (error) {
      await drop();
      throw error;
    }
    project.provide("databaseTemplate", { kind: "postgres", name });
    return drop;
  }

  const pglite = new PGlite();
  let dump: Blob;
  try {
    await migrate(pgliteConnection(pglite), readMigrations());
    // Flushed to the data files, so that each copy starts without replaying the migrations' WAL.
    await pglite.exec("CHECKPOINT");
    dump = await pglite.dumpDataDir("none");
  } finally {
    await pglite.close();
  }
  const dir = path.resolve("data/test");
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    const pid = /^template-(\d+)-[0-9a-f]+\.tar$/.exec(name)?.[1];
    if (pid && !running(Number(pid))) rmSync(path.join(dir, name), { force: true });
  }
  const file = path.join(dir, `template-${process.pid}-${suffix}.tar`);
  writeFileSync(file, new Uint8Array(await dump.arrayBuffer()));
  project.provide("databaseTemplate", { kind: "embedded", file });
  return async () => rmSync(file, { force: true });
}
