import { once } from "node:events";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database, db } from "@/lib/db/client";
import { seedDemoData } from "@/lib/db/seed";
import { generateInventory, type GeneratorOptions } from "@/lib/inventory/import/generate";
import { runImport } from "@/lib/inventory/import/run-import";
import { closeTestDatabase, openTestDatabase } from "../../helpers/database";
import { ON_POSTGRES, readRejects, workDir } from "./support";

// A full garbage collection on demand, so that heap samples measure what the importer keeps alive.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Writes a generated SMI extract and returns its path and the line numbers of its bad rows. */
async function generateFile(file: string, options: GeneratorOptions): Promise<{ file: string; badLines: number[] }> {
  const out = createWriteStream(file);
  const badLines: number[] = [];
  let line = 0;
  for (const generated of generateInventory(options)) {
    line++;
    if (generated.bad) badLines.push(line);
    if (!out.write(generated.text)) await once(out, "drain");
  }
  out.end();
  await once(out, "close");
  return { file, badLines };
}

/** The most the importer's live heap grew over its starting point, sampled after every batch. */
async function peakHeapGrowth(file: string): Promise<{ growth: number; rows: number }> {
  gc();
  const start = process.memoryUsage().heapUsed;
  let peak = start;
  const result = await runImport(database(), {
    source: file,
    batchSize: 2_000,
    createOrganisations: true,
    beforeCommit: () => {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    },
  });
  return { growth: peak - start, rows: result.rowsRead };
}

describe(`importing generated SMI extracts (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let dir: string;
  beforeAll(async () => {
    await openTestDatabase();
    await seedDemoData(db());
    dir = workDir();
  });
  afterAll(closeTestDatabase);

  it("rejects exactly the generator's bad rows, and loads the rest", async () => {
    const { file, badLines } = await generateFile(path.join(dir, "generated.csv"), { devices: 6_000, seed: 11, bad: 0.01 });
    expect(badLines.length).toBeGreaterThan(24);
    const result = await runImport(database(), { source: file, createOrganisations: true });
    expect(result).toMatchObject({ rowsRead: 6_000, rowsRejected: badLines.length, rowsLoaded: 6_000 - badLines.length });
    expect(readRejects(result.rejectsPath).map((r) => r.line)).toEqual(badLines);
    expect(await db().device.count({ where: { preNotifiedBy: { code: { notIn: ["NWE", "SFP", "EGP"] } } } })).toBeGreaterThan(0);
    // Devices outside the demo data: the ones loaded.
    expect(await db().device.count({ where: { NOT: { deviceId: { startsWith: "00-DB-" } } } })).toBe(6_000 - badLines.length);
  });

  it("keeps its memory flat whatever the file's size (200,000 rows against 4,000)", { timeout: 300_000 }, async () => {
    const small = await generateFile(path.join(dir, "small.csv"), { devices: 4_000, seed: 21 });
    const large = await generateFile(path.join(dir, "large.csv"), { devices: 200_000, seed: 22 });
    const smallRun = await peakHeapGrowth(small.file);
    const largeRun = await peakHeapGrowth(large.file);
    expect(largeRun.rows).toBe(200_000);
    // Keeping the rows, or reading the file whole, would grow the heap by well over 50 MB for 200,000 rows.
    expect(largeRun.growth, `small ${smallRun.growth} bytes, large ${largeRun.growth} bytes`).toBeLessThan(smallRun.growth + 16 * 1024 * 1024);
  });
});
