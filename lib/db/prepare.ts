import { env } from "../env";
import { database } from "./client";
import { migrate, readMigrations } from "./migrate";
import { isEmpty, seedDemoData } from "./seed";

/** Applies pending migrations to the process's database. */
export async function applyMigrations(log: (line: string) => void = console.log) {
  const conn = await database().connect();
  try {
    return await migrate(conn, readMigrations(), log);
  } finally {
    await conn.release();
  }
}

/** What `npm start` does before serving: migrate, and seed a new embedded (demo) database. */
export async function prepareDatabase(log: (line: string) => void = console.log): Promise<void> {
  const result = await applyMigrations(log);
  log(`Database ready: ${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied`);
  if (env().demoMode && (await isEmpty(database().client))) {
    await seedDemoData(database().client);
    log("Demo data created (sign in as alice@northwind.example; see the sign-in page)");
  }
}
