// npm run db:restore -- <file> — replaces the embedded database (DATA_DIR/pglite) with a dump from
// npm run db:backup, keeping the one it replaces as DATA_DIR/pglite.before-restore-<timestamp>, then
// applies pending migrations. Stop the portal first; on PostgreSQL use pg_restore (docs/deployment.md).
import { parseArgs } from "node:util";
import { USE_PG_DUMP, restoreEmbedded } from "../lib/db/backup";
import { targetFromEnv } from "../lib/db/client";
import { applyMigrations } from "../lib/db/prepare";
import { runCli } from "./run-cli";

const USAGE = "usage: npm run db:restore -- <file>";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: {} });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [file, ...rest] = parsed.positionals;
  if (!file || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const target = targetFromEnv();
  if (target.kind === "postgres") {
    console.error(USE_PG_DUMP);
    return 1;
  }
  const { keptAs } = await restoreEmbedded(target.dir, file);
  if (keptAs) console.log(`The database it replaces is kept in ${keptAs} (delete it once you are satisfied).`);
  const result = await applyMigrations();
  console.log(`Restored ${file} into ${target.dir}: ${result.applied.length} migration(s) applied, ${result.alreadyApplied.length} already applied.`);
  return 0;
}

runCli(main);
