// npm run keys:rotate [-- --check] [--batch <rows>] — re-encrypts every stored Install Code (provided
// and lodged) and webhook signing secret under the newest key of INSTALL_CODE_KEY, or (--check) says
// how many values each key still seals. docs/deployment.md, "Rotating INSTALL_CODE_KEY"; decision 028.
// Prints key ids and counts only: never a code, a secret or a key.
import { parseArgs } from "node:util";
import { assertNotInUse } from "../lib/db/backup";
import { targetFromEnv } from "../lib/db/client";
import { applyMigrations } from "../lib/db/prepare";
import { env } from "../lib/env";
import { keyId } from "../lib/install-code/key-ring";
import { keyUsage, notUnderNewest, rotateKeys, ROTATE_BATCH, STORE_LABELS, STORES, type KeyUsage } from "../lib/install-code/rotate-keys";
import { runCli } from "./run-cli";

const USAGE = "usage: npm run keys:rotate [-- [--check] [--batch <rows>]]";
/** Exit code when values remain that are not under the newest key. */
const NOT_DONE = 3;
const SHOWN_UNREADABLE = 20;

function printUsage(usage: KeyUsage[]): void {
  const rows = usage.map((u) => [
    u.sealed,
    u.sealed === "v1" ? "(stored before key ids)" : u.position === null ? "not held" : `key ${u.position}${u.position === 1 ? " (newest)" : ""}`,
    ...STORES.map((name) => String(u.counts[name])),
  ]);
  const header = ["key", "in INSTALL_CODE_KEY", ...STORES.map((name) => STORE_LABELS[name])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  "));
}

/** The conclusion an operator acts on; the exit code. */
function conclude(usage: KeyUsage[], newest: string): number {
  const remaining = notUnderNewest(usage);
  if (remaining === 0) {
    const older = usage.filter((u) => u.position !== null && u.position > 1).map((u) => u.sealed);
    console.log(
      older.length > 0
        ? `Every stored value is under the newest key (${newest}): key${older.length === 1 ? "" : "s"} ${older.join(", ")} may be removed from INSTALL_CODE_KEY.`
        : `Every stored value is under the newest key (${newest}).`,
    );
    return 0;
  }
  const total = (u: KeyUsage) => STORES.reduce((sum, name) => sum + u.counts[name], 0);
  const notHeld = usage.filter((u) => u.position === null && u.sealed !== "v1" && total(u) > 0);
  if (notHeld.length > 0) {
    const ids = notHeld.map((u) => u.sealed).join(", ");
    console.log(
      `Key${notHeld.length === 1 ? "" : "s"} ${ids} seal${notHeld.length === 1 ? "s" : ""} ${notHeld.reduce((sum, u) => sum + total(u), 0)} stored values, but INSTALL_CODE_KEY no longer holds ${notHeld.length === 1 ? "it" : "them"}: ` +
        `put ${notHeld.length === 1 ? "it" : "them"} back in INSTALL_CODE_KEY after the newest key if you still have ${notHeld.length === 1 ? "it" : "them"}, and run npm run keys:rotate again.`,
    );
  }
  if (remaining > notHeld.reduce((sum, u) => sum + total(u), 0)) {
    console.log(`${remaining} stored value${remaining === 1 ? " is" : "s are"} not under the newest key (${newest}) yet: keep the older keys in INSTALL_CODE_KEY until npm run keys:rotate has moved them.`);
  }
  return NOT_DONE;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: false, options: { check: { type: "boolean" }, batch: { type: "string" } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const batch = parsed.values.batch === undefined ? ROTATE_BATCH : Number(parsed.values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
    console.error(`--batch must be a whole number of rows from 1 to 10000\n${USAGE}`);
    return 2;
  }
  const keys = env().installCodeKeys;
  const newest = keyId(keys[0]);
  const target = targetFromEnv();
  // The embedded database is one process's: the portal must be stopped (docs/deployment.md).
  if (target.kind === "embedded") assertNotInUse(target.dir);
  await applyMigrations(() => {});

  if (parsed.values.check) {
    const usage = await keyUsage(keys);
    printUsage(usage);
    return conclude(usage, newest);
  }

  const which = keys.length === 1 ? "the only key in INSTALL_CODE_KEY" : `the newest of the ${keys.length} keys in INSTALL_CODE_KEY`;
  console.log(`Re-encrypting under key ${newest}, ${which} (${batch} rows a transaction).`);
  const result = await rotateKeys({ keys, batch, onBatch: (store, count) => console.log(`  ${STORE_LABELS[store]}: ${count} re-encrypted`) });
  const done = STORES.map((name) => `${result.resealed[name]} ${STORE_LABELS[name]}`);
  console.log(`Re-encrypted ${done.slice(0, -1).join(", ")} and ${done.at(-1)} under key ${newest}.`);
  if (result.unreadable.length > 0) {
    console.error(`${result.unreadable.length} stored value${result.unreadable.length === 1 ? "" : "s"} could not be read and ${result.unreadable.length === 1 ? "was" : "were"} left as ${result.unreadable.length === 1 ? "it was" : "they were"}:`);
    for (const u of result.unreadable.slice(0, SHOWN_UNREADABLE)) console.error(`  ${u.name}: ${u.reason}`);
    if (result.unreadable.length > SHOWN_UNREADABLE) console.error(`  ... and ${result.unreadable.length - SHOWN_UNREADABLE} more`);
  }
  const usage = await keyUsage(keys);
  printUsage(usage);
  const code = conclude(usage, newest);
  if (code !== 0 && result.unreadable.length === 0) {
    console.log("Run npm run keys:rotate again: a value written meanwhile under an older key (by an instance not yet restarted with the new INSTALL_CODE_KEY?) is left.");
  }
  return code;
}

runCli(main);
