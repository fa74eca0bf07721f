#!/usr/bin/env node
// `next start` (or `next dev` with the argument `dev`) on PORT, listening on HOST. Demo mode (no
// DATABASE_URL) listens on 127.0.0.1 only by default: its development mailbox lets whoever reads it
// sign in as anyone.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const command = process.argv[2] ?? "start";
if (command !== "start" && command !== "dev") {
  console.error(`usage: next-start.mjs [start|dev] (got "${command}")`);
  process.exit(2);
}
const host = process.env.HOST || (process.env.DATABASE_URL ? "0.0.0.0" : "127.0.0.1");
const next = createRequire(import.meta.url).resolve("next/dist/bin/next");
// V8 sizes its heap from the machine's memory (gigabytes here) and collects lazily: under 50
// concurrent users the server held ~1 GB. A bounded old space keeps it near 500 MB at the same
// throughput (README, Performance); SERVER_MAX_OLD_SPACE_MB changes it, NODE_OPTIONS overrides it.
const heapMb = Number(process.env.SERVER_MAX_OLD_SPACE_MB || 320);
const heapFlags = /max-old-space-size/.test(process.env.NODE_OPTIONS ?? "") || !(heapMb > 0) ? [] : [`--max-old-space-size=${Math.floor(heapMb)}`];
const child = spawn(process.execPath, [...heapFlags, next, command, "-H", host], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
