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

main()
  .catch((error) => {
    console.error(error instanceof EnvError ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDatabase());
