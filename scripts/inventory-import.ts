// npm run inventory:import -- <file.csv|-> [--rejects <path>] [--create-organisations] [--batch-size N]
// Loads an SMI extract into the Smart Metering Inventory (lib/inventory/import/run-import.ts).
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { closeDatabase, database } from "../lib/db/client";
import { applyMigrations } from "../lib/db/prepare";
import { EnvError } from "../lib/env";
import { DEFAULT_BATCH_SIZE, ImportError, runImport, type ImportProgress } from "../lib/inventory/import/run-import";

const USAGE = "usage: npm run inventory:import -- <file.csv|-> [--rejects <path>] [--create-organisations] [--batch-size N] [--embedded-method copy|insert]";

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      rejects: { type: "string" },
      "create-organisations": { type: "boolean", default: false },
      "batch-size": { type: "string" },
      "embedded-method": { type: "string" },
    },
  });
  const batchSize = values["batch-size"] ? Number(values["batch-size"]) : DEFAULT_BATCH_SIZE;
  const method = values["embedded-method"] ?? "copy";
  if (positionals.length !== 1 || !Number.isInteger(batchSize) || batchSize < 1 || (method !== "copy" && method !== "insert")) {
    console.error(USAGE);
    return 2;
  }

  await applyMigrations(() => {});
  const started = Date.now();
  const tty = Boolean(process.stderr.isTTY);
  const bar = new SingleBar(
    {
      format: tty
        ? "{bar} {percentage}% | {rows} rows | {rate} rows/s | {rejected} rejected | ETA {eta_formatted}"
        : "{percentage}% | {rows} rows | {rate} rows/s | {rejected} rejected | ETA {eta_formatted}",
      // Piped or in CI: a plain line every few seconds instead of a redrawn bar.
      noTTYOutput: true,
      notTTYSchedule: 5_000,
      etaBuffer: 50,
      hideCursor: tty,
    },
    Presets.shades_classic,
  );
  let barStarted = false;
  const onProgress = (p: ImportProgress) => {
    const total = p.totalBytes ?? Math.max(p.bytesRead, 1);
    const payload = { rows: p.rowsRead, rejected: p.rowsRejected, rate: Math.round(p.rowsRead / Math.max((Date.now() - started) / 1000, 0.001)) };
    if (!barStarted) {
      bar.start(total, p.bytesRead, payload);
      barStarted = true;
    } else bar.update(p.bytesRead, payload);
  };

  try {
    const result = await runImport(database(), {
      source: positionals[0],
      rejectsPath: values.rejects,
      createOrganisations: values["create-organisations"],
      batchSize,
      embeddedMethod: method,
      onProgress,
    });
    if (barStarted) bar.stop();
    barStarted = false;
    const seconds = (Date.now() - started) / 1000;
    const resumed = result.resumed ? ` (resumed after line ${result.resumedAfterLine})` : "";
    console.log(
      `Import ${result.importId}${resumed}: ${result.rowsRead} rows read, ${result.rowsLoaded} loaded, ${result.rowsRejected} rejected` +
        ` in ${seconds.toFixed(1)} s (${Math.round(result.rowsRead / Math.max(seconds, 0.001))} rows/s)` +
        (result.rowsRejected > 0 ? `; rejected rows are in ${result.rejectsPath}` : ""),
    );
    return result.rowsRejected > 0 ? 1 : 0;
  } finally {
    if (barStarted) bar.stop();
  }
}

async function run(): Promise<number> {
  try {
    return await main();
  } catch (error) {
    console.error(error instanceof EnvError || error instanceof ImportError ? error.message : error);
    console.error("Import failed: run the same command again to finish it");
    return 2;
  } finally {
    // PGlite keeps a timer alive: close it or the process never exits.
    await closeDatabase();
  }
}

// After closing: closing PGlite sets process.exitCode to 0 (emscripten's exit), so set ours last.
run().then((code) => {
  process.exitCode = code;
});
