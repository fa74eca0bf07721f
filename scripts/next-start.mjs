#!/usr/bin/env node
// `next start` (or `next dev` with the argument `dev`) on PORT, listening on HOST. Demo mode (no
// DATABASE_URL) listens on 127.0.0.1 only by default: its development mailbox lets whoever reads it
// sign in as anyone. Once the server answers, it prints where to sign in (and, in demo mode without
// SMTP_URL, where the emails are).
import { spawn } from "node:child_process";
import http from "node:http";
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

// The address people use: lib/http/app-url.ts's rule (APP_URL, or http://localhost:PORT), repeated
// here because this launcher runs before anything is compiled.
const appUrl = (process.env.APP_URL || `http://localhost:${process.env.PORT || 3000}`).replace(/\/+$/, "");
const port = Number(process.env.PORT || 3000);
const probeHost = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;

/** Any HTTP answer means the server is listening (a 421 for the probe's Host header included). */
function answers() {
  return new Promise((resolve) => {
    const request = http.get({ host: probeHost, port, path: "/api/health", timeout: 2000 }, (response) => {
      response.resume();
      resolve(true);
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

async function announceWhenReady() {
  while (child.exitCode === null && child.signalCode === null) {
    if (await answers()) {
      const mailbox = !process.env.DATABASE_URL && !process.env.SMTP_URL;
      const lines = [
        "",
        `Install Code Request portal ready at ${appUrl}`,
        `  Sign in:             ${appUrl}/sign-in`,
        ...(mailbox ? [`  Development mailbox: ${appUrl}/dev/mailbox  (demo mode, no SMTP_URL: emails stay here)`] : []),
        ...(!process.env.DATABASE_URL ? ["  Demo accounts are listed on the sign-in page."] : []),
        "",
      ];
      console.log(lines.join("\n"));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
announceWhenReady();
