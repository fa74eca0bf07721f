// npm run inventory:generate -- --devices N [--seed S] [--bad 0.1%] [--suppliers 300] [--out file]
// Writes a realistic SMI extract (lib/inventory/import/generate.ts) to a file or standard output.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { generateInventory, parseShare } from "../lib/inventory/import/generate";

const USAGE = "usage: npm run inventory:generate -- --devices N [--seed S] [--bad 0.1%] [--suppliers 300] [--out file]";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      devices: { type: "string" },
      seed: { type: "string", default: "1" },
      bad: { type: "string", default: "0" },
      suppliers: { type: "string", default: "300" },
      out: { type: "string" },
    },
  });
  const devices = Number(values.devices);
  const seed = Number(values.seed);
  const suppliers = Number(values.suppliers);
  const bad = parseShare(values.bad);
  if (!Number.isInteger(devices) || devices < 0 || !Number.isInteger(seed) || !Number.isInteger(suppliers) || suppliers < 1 || bad === null) {
    console.error(USAGE);
    return 2;
  }
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  let badRows = 0;
  let chunk = "";
  for (const line of generateInventory({ devices, seed, bad, suppliers })) {
    if (line.bad) badRows++;
    chunk += line.text;
    // Write in chunks of about 64 KiB, waiting whenever the destination is full.
    if (chunk.length >= 65_536) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.write(chunk);
  if (out !== process.stdout) {
    out.end();
    await once(out, "finish");
  }
  console.error(`${devices} Devices written (${badRows} deliberately bad rows), seed ${seed}`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
