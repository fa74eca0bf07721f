// npm run db:backup -- <file> [--force] — a PGlite dump of the embedded database (DATA_DIR/pglite).
// Stop the portal first; on PostgreSQL (DATABASE_URL) use pg_dump (docs/deployment.md, "Backups").
import { parseArgs } from "node:util";
import { USE_PG_DUMP, backupEmbedded } from "../lib/db/backup";
import { targetFromEnv } from "../lib/db/client";
import { runCli } from "./run-cli";

const USAGE = "usage: npm run db:backup -- <file> [--force]";

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { force: { type: "boolean" } } });
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
  const { bytes } = await backupEmbedded(target.dir, file, { force: parsed.values.force });
  console.log(`Backed up the embedded database in ${target.dir} to ${file} (${bytes} bytes). Restore it with: npm run db:restore -- ${file}`);
  return 0;
}

runCli(main);
