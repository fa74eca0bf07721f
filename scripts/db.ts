// npm run db:migrate | db:seed | db:prepare — database tasks, on the embedded database or DATABASE_URL.
import { closeDatabase, database } from "../lib/db/client";
import { applyMigrations, prepareDatabase } from "../lib/db/prepare";
import { seedDemoData } from "../lib/db/seed";
import { EnvError } from "../lib/env";

const task = process.argv[2];

async function main() {
  if (task === "migrate") await applyMigrations();
  else if (task === "seed") {
    await applyMigrations();
    await seedDemoData(database().client);
    console.log("Demo data seeded");
  } else if (task === "prepare") await prepareDatabase();
  else throw new Error(`Unknown task ${task}: use migrate, seed or prepare`);
}

// Closing PGlite resets process.exitCode: decide the exit code after closing the database.
let failed = false;
main()
  .catch((error) => {
    console.error(error instanceof EnvError ? error.message : error);
    failed = true;
  })
  .finally(async () => {
    await closeDatabase();
    if (failed) process.exitCode = 1;
  });
