// npm run loadtest -- [--clients N] [--seconds N] [--pg-down S] [--instances 1|2] [--short] [--record] [--keep-logs]
// (LOADTEST_LOG_LEVEL=info sets the instances' LOG_LEVEL, warn by default.)
// The load-and-fault test (issue 12): the built portal (`next start`, two instances) on a PostgreSQL
// server of its own, API clients raising, noting, answering and closing requests, with PostgreSQL
// restarted at a third of the time and one instance stopped with SIGTERM and started again at two
// thirds. Afterwards it counts: every success answer is in the database with its timeline and outbox
// rows, every email reached the mail server exactly once, every 5xx was a 503 inside an outage, and
// the latency before the first fault and after the last. Exit 0 only if nothing was lost, duplicated
// or answered with another error. --record writes the result into docs/deployment.md.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { percentile } from "../support/percentile";
import { freePort, startThrowawayPostgres, type ThrowawayPostgres } from "../support/throwaway-postgres";
import { checkEverything, waitForOutbox } from "./checks";
import { getStatus, runClient, type Attempt, type Instance, type LoadOptions, type LoadState } from "./clients";
import { startMessageSink, type MessageSink } from "./sink";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const { values } = parseArgs({
  options: {
    clients: { type: "string" },
    seconds: { type: "string" },
    "pg-down": { type: "string" },
    instances: { type: "string" },
    short: { type: "boolean", default: false },
    record: { type: "boolean", default: false },
    "keep-logs": { type: "boolean", default: false },
  },
});
const short = values.short;
const opt = {
  clients: Number(values.clients ?? (short ? 40 : 200)),
  seconds: Number(values.seconds ?? (short ? 30 : 120)),
  pgDownSeconds: Number(values["pg-down"] ?? (short ? 3 : 10)),
  instances: Number(values.instances ?? 2),
};
if (![opt.clients, opt.seconds, opt.pgDownSeconds].every((n) => Number.isFinite(n) && n > 0) || ![1, 2].includes(opt.instances)) {
  console.error("usage: npm run loadtest -- [--clients N] [--seconds N] [--pg-down S] [--instances 1|2] [--short] [--record]");
  process.exit(2);
}
/** A 5xx this long after an outage ended still belongs to it: the probe (1 s) and a connection attempt (5 s) in flight. */
const OUTAGE_GRACE_MS = 10_000;
/** The longest the email outbox may take to drain: an email claimed when the database went away waits out its claim (2 min). */
const OUTBOX_LIMIT_MS = 150_000;
/** A call still retrying this long after the end is abandoned (an Idempotency-Key claim lapses after a minute). */
const RETRY_GRACE_MS = 75_000;
/** A call without an answer this long is given up and sent again: a load balancer's usual bound (nginx's proxy_read_timeout). */
const REQUEST_TIMEOUT_MS = 60_000;
/** The least time the load goes on after the last fault has ended (an instance can take 10 s to start here). */
const AFTER_MS = 15_000;
const HOST = "portal.loadtest";
const INSTALL_CODE = "83FED3407A939723A5C639B26916D505C3B5"; // DOMAIN.md's example, with its CRC
const DEVICE_PREFIX = "09"; // the load test's Devices (0A- tests, 0B-/0F- bench, 0C- load.ts, 0D- 10M, 0E- bulk raise)

const log = (line: string) => console.error(`[loadtest ${new Date().toISOString().slice(11, 19)}] ${line}`);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
  console.error("The load test runs the built portal (next start), and .next/BUILD_ID is missing: run npm run build first.");
  process.exit(2);
}

const work = mkdtempSync(path.join(os.tmpdir(), "portal-loadtest-"));
let postgres: ThrowawayPostgres | undefined;
let sink: MessageSink | undefined;
type Running = { index: number; port: number; child: ChildProcess; exited: Promise<number | null>; logFile: string };
const running = new Map<number, Running>();
let keepLogs = values["keep-logs"];
let cleaned = false;

async function cleanup(): Promise<void> {
  if (cleaned) return;
  cleaned = true;
  for (const instance of running.values()) {
    try {
      process.kill(-instance.child.pid!, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await sink?.close().catch(() => {});
  postgres?.dispose();
  if (keepLogs) log(`the instances' logs are kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping the instances and PostgreSQL`);
    keepLogs = true;
    void cleanup().finally(() => process.exit(130));
  });
}

// The portal's settings: the instances' and this process's (which migrates, seeds and makes keys).
const settings: Record<string, string> = {
  NODE_ENV: "production",
  APP_URL: `http://${HOST}`,
  ALLOW_HTTP_APP_URL: "true",
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  INSTALL_CODE_KEY: randomBytes(32).toString("hex"),
  DATA_DIR: path.join(work, "data"),
  HOST: "127.0.0.1",
  LOG_LEVEL: process.env.LOADTEST_LOG_LEVEL || "warn",
  RAISES_PER_ORGANISATION_PER_MINUTE: "1000000",
  API_REQUESTS_PER_KEY_PER_MINUTE: "10000000",
};

async function startInstance(index: number, port: number): Promise<Running> {
  const logFile = path.join(work, `instance-${index}.log`);
  const fd = openSync(logFile, "a");
  // Its own process group: the clean-up kills the launcher and the server together.
  const child = spawn(process.execPath, ["scripts/next-start.mjs"], {
    cwd: ROOT,
    env: { ...process.env, ...settings, PORT: String(port) },
    detached: true,
    stdio: ["ignore", fd, fd],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const instance = { index, port, child, exited, logFile };
  running.set(index, instance);
  const end = Date.now() + 90_000;
  while ((await getStatus(port, HOST, "/api/ready")) !== 200) {
    if (child.exitCode !== null) throw new Error(`instance ${index} exited while starting (log: ${logFile})`);
    if (Date.now() > end) throw new Error(`instance ${index} was not ready within 90 s (log: ${logFile})`);
    await pause(200);
  }
  return instance;
}

type Window = { name: string; from: number; to: number };

function stats(attempts: Attempt[], from: number, to: number) {
  const answered = attempts.filter((a) => typeof a.outcome === "number" && a.at >= from && a.at < to);
  const times = answered.map((a) => a.ms).sort((x, y) => x - y);
  return { calls: answered.length, perSecond: answered.length / Math.max(0.001, (to - from) / 1000), p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function main(): Promise<number> {
  log(`${opt.clients} clients, ${opt.seconds} s, ${opt.instances} instance(s), PostgreSQL down ${opt.pgDownSeconds} s; work files in ${work}`);
  postgres = await startThrowawayPostgres();
  settings.DATABASE_URL = postgres.url;
  sink = await startMessageSink();
  settings.SMTP_URL = sink.url;
  Object.assign(process.env, settings);

  // Migrated, seeded, keys and Devices made in this process, through the portal's own functions.
  const { closeDatabase, db } = await import("../../lib/db/client");
  const { applyMigrations } = await import("../../lib/db/prepare");
  const { seedDemoData } = await import("../../lib/db/seed");
  const { createApiKey } = await import("../../lib/api-keys/keys");
  await applyMigrations(() => {});
  await seedDemoData(db());
  const raiserKey = (await createApiKey({ organisationCode: "NWE", name: "load test raiser" })).key;
  const assignees = ["SFP", "EGP"];
  const assigneeKeys = new Map<string, string>();
  for (const code of assignees) assigneeKeys.set(code, (await createApiKey({ organisationCode: code, name: "load test assignee" })).key);
  // Enough Devices for every client to raise a new one about twice a second (the machine's pace is far below).
  const devices = opt.clients * opt.seconds * 2 + 1_000;
  const organisations = await db().organisation.findMany({ where: { code: { in: assignees } }, select: { id: true, code: true } });
  const orgId = (code: string) => organisations.find((o) => o.code === code)!.id;
  await db().$executeRawUnsafe(
    `INSERT INTO "Device" ("deviceId", "deviceType", "status", "statusChangedAt", "manufacturer", "model", "firmwareVersion", "preNotifiedById")
     SELECT '${DEVICE_PREFIX}-' || upper(substr(h,1,2)) || '-' || upper(substr(h,3,2)) || '-' || upper(substr(h,5,2)) || '-' || upper(substr(h,7,2)) || '-' || upper(substr(h,9,2)) || '-' || upper(substr(h,11,2)) || '-00',
            'ESME', 'InstalledNotCommissioned', now(), 'Load Test Meters', 'LT-1', '1.0.0', CASE WHEN g % 2 = 0 THEN $2::uuid ELSE $3::uuid END
     FROM (SELECT g, lpad(to_hex(g), 12, '0') AS h FROM generate_series(0, $1::int - 1) g) x`,
    devices,
    orgId("SFP"),
    orgId("EGP"),
  );
  await db().$executeRawUnsafe(`ANALYZE "Device"`);
  await closeDatabase();
  log(`database ready: demo data, 3 API keys, ${devices.toLocaleString("en-GB")} eligible Devices`);
  let deviceCounter = 0;
  const deviceAt = (i: number) => `${DEVICE_PREFIX}-${i.toString(16).toUpperCase().padStart(12, "0").match(/../g)!.join("-")}-00`;
  const nextDevice = () => {
    if (deviceCounter >= devices) throw new Error(`the load test ran out of Devices (${devices})`);
    return deviceAt(deviceCounter++);
  };
  const deviceIndex = (deviceId: string) => parseInt(deviceId.slice(3, 20).replaceAll("-", ""), 16);
  const assigneeKeyFor = (deviceId: string) => assigneeKeys.get(deviceIndex(deviceId) % 2 === 0 ? "SFP" : "EGP")!;

  const ports = [];
  for (let i = 1; i <= opt.instances; i++) ports.push(await freePort());
  await Promise.all(ports.map((port, i) => startInstance(i + 1, port)));
  log(`instances ready on ports ${ports.join(", ")}`);
  const agents = ports.map((port, i): Instance => ({ index: i + 1, port, agent: new http.Agent({ keepAlive: true, maxSockets: opt.clients }) }));

  const state: LoadState = {
    startedAt: Date.now(),
    attempts: [],
    successes: { raised: new Map(), raisedFoundOnRetry: new Set(), notes: new Map(), answered: new Set(), closed: new Set() },
    unexpected: [],
    abandoned: [],
    retried: new Map(),
  };
  const base: Omit<LoadOptions, "endsAt" | "giveUpAt" | "instances"> = { host: HOST, raiserKey, assigneeKeyFor, nextDevice, installCode: INSTALL_CODE, requestTimeoutMs: REQUEST_TIMEOUT_MS };
  // Warm-up: one cycle on each instance, its answers counted but not timed (a new server's first calls load code).
  for (const instance of agents) {
    const warm: LoadState = { ...state, attempts: [] };
    await runClient(warm, { ...base, instances: [instance], endsAt: Date.now() + 100, giveUpAt: Date.now() + 60_000 }, 0);
  }

  const durationMs = opt.seconds * 1000;
  state.startedAt = Date.now();
  const endsAt = state.startedAt + durationMs;
  const options: LoadOptions = { ...base, instances: agents, endsAt, giveUpAt: endsAt + RETRY_GRACE_MS };
  log(`load: ${opt.clients} clients for ${opt.seconds} s`);
  const clients = Array.from({ length: opt.clients }, (_, i) => runClient(state, options, i));

  // The faults, on the load's clock.
  const since = () => Date.now() - state.startedAt;
  const windows: Window[] = [];
  const faults: Record<string, unknown> = {};
  const faultRun = (async () => {
    await pause(durationMs / 3);
    const from = since();
    log("fault 1: stopping PostgreSQL");
    await postgres!.stop();
    const stoppedAt = since();
    await pause(opt.pgDownSeconds * 1000);
    await postgres!.start();
    const to = since();
    log(`fault 1: PostgreSQL started again (down ${((to - stoppedAt) / 1000).toFixed(1)} s)`);
    windows.push({ name: "PostgreSQL restart", from, to });
    faults.postgres = { stopAt: from, stoppedAt, startedAt: to };

    await pause(Math.max(0, (2 * durationMs) / 3 - since()));
    const instance = running.get(1)!;
    const sigtermAt = since();
    log("fault 2: SIGTERM to instance 1");
    instance.child.kill("SIGTERM");
    const exitCode = await instance.exited;
    const exitedAt = since();
    log(`fault 2: instance 1 exited with ${exitCode} after ${((exitedAt - sigtermAt) / 1000).toFixed(1)} s; starting it again`);
    await startInstance(1, instance.port);
    const readyAt = since();
    log(`fault 2: instance 1 ready again after ${((readyAt - exitedAt) / 1000).toFixed(1)} s`);
    windows.push({ name: "instance 1 stopped", from: sigtermAt, to: readyAt });
    // The load goes on at least AFTER_MS past the last fault, so that there is an "after" to measure.
    options.endsAt = Math.max(options.endsAt, Date.now() + AFTER_MS);
    options.giveUpAt = options.endsAt + RETRY_GRACE_MS;
    faults.instance = { sigtermAt, exitCode, exitedAt, readyAt };
  })();
  const faultError = await faultRun.then(
    () => null,
    (error: unknown) => error as Error,
  );
  await Promise.all(clients);
  const loadEndedAt = since();
  log(`load ended: ${state.attempts.length} attempts in ${(loadEndedAt / 1000).toFixed(1)} s`);
  for (const agent of agents) agent.agent.destroy();
  if (faultError) throw faultError;

  log("waiting for the email outbox to drain");
  const drain = await waitForOutbox(postgres.url, OUTBOX_LIMIT_MS);
  // The last sends' arrivals: a message is counted by the sink before the portal records it SENT.
  await pause(1_000);
  const { findings, counts } = await checkEverything(postgres.url, "NWE", state.successes, state.retried, sink);

  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  // Every 5xx answered inside an outage window (with its grace), and a 503. By when it was answered:
  // a call sent just before PostgreSQL stopped is answered 503 once it has stopped.
  const inWindow = (a: Attempt) => windows.some((w) => a.at + a.ms >= w.from && a.at + a.ms <= w.to + OUTAGE_GRACE_MS);
  const fiveHundreds = state.attempts.filter((a) => typeof a.outcome === "number" && a.outcome >= 500);
  // A 503 "busy" (no free pooled connection within POOL_WAIT_TIMEOUT_MS) is load shedding, told apart
  // from an outage on purpose: reported below, and not a failure wherever it falls.
  const busy = fiveHundreds.filter((a) => a.busy);
  const badFiveHundreds = fiveHundreds.filter((a) => !a.busy && (a.outcome !== 503 || !inWindow(a)));
  findings.push({
    check: "Every 5xx was a 503 inside an outage",
    ok: badFiveHundreds.length === 0,
    detail:
      badFiveHundreds.length === 0
        ? `${fiveHundreds.length} 503s, all inside`
        : `${badFiveHundreds.length} of ${fiveHundreds.length} were not (${badFiveHundreds.filter((a) => a.outcome === 503).length} of them 503s outside the outages), answered between ${sec(Math.min(...badFiveHundreds.map((a) => a.at + a.ms)))} and ${sec(Math.max(...badFiveHundreds.map((a) => a.at + a.ms)))}; e.g. ${badFiveHundreds
            .slice(0, 3)
            .map((a) => `${a.outcome} ${a.op} on instance ${a.instance}`)
            .join(", ")}`,
  });
  findings.push({
    check: "Overload: 503 'busy' answers (no free database connection within 20 s), retried by the clients",
    ok: true,
    detail: busy.length === 0 ? "none" : `${busy.length}, answered between ${sec(Math.min(...busy.map((a) => a.at + a.ms)))} and ${sec(Math.max(...busy.map((a) => a.at + a.ms)))}`,
  });
  const timeouts = state.attempts.filter((a) => a.outcome === "timeout");
  findings.push({ check: `No call hung (${REQUEST_TIMEOUT_MS / 1000} s without an answer)`, ok: timeouts.length === 0, detail: timeouts.length === 0 ? "none" : `${timeouts.length}` });
  findings.push({
    check: "No unexpected answer (anything but the cycle's 201/200, or a 409 naming the request a lost raise had opened)",
    ok: state.unexpected.length === 0,
    detail: state.unexpected.length === 0 ? "none" : state.unexpected.slice(0, 5).map((u) => `${u.op} ${u.status} ${u.code ?? ""} ${u.message ?? ""}`).join("; "),
  });
  findings.push({ check: "No call abandoned (still retrying long after the end)", ok: state.abandoned.length === 0, detail: state.abandoned.length === 0 ? "none" : state.abandoned.map((a) => `${a.op} (last ${a.lastOutcome})`).join("; ") });
  const exitCode = (faults.instance as { exitCode: number | null }).exitCode;
  findings.push({ check: "Instance 1 exited with 143 after SIGTERM", ok: exitCode === 143, detail: String(exitCode) });
  findings.push({ check: "The outbox drained", ok: drain.ms !== null, detail: drain.ms !== null ? `in ${(drain.ms / 1000).toFixed(1)} s` : `${drain.pending} still PENDING after ${OUTBOX_LIMIT_MS / 1000} s` });

  const firstFault = Math.min(...windows.map((w) => w.from));
  const before = stats(state.attempts, 0, firstFault);
  const lastFaultEnd = Math.max(...windows.map((w) => w.to));
  const loadEnd = options.endsAt - state.startedAt;
  const after = stats(state.attempts, lastFaultEnd, loadEnd);
  const outcomes: Record<string, number> = {};
  for (const a of state.attempts) outcomes[String(a.outcome)] = (outcomes[String(a.outcome)] ?? 0) + 1;
  const perInstance = agents.map((a) => state.attempts.filter((x) => x.instance === a.index).length);
  const s = state.successes;
  const notes = [...s.notes.values()].reduce((a, b) => a + b, 0);
  const verdict = findings.every((f) => f.ok) ? "PASS: nothing lost, nothing duplicated, no error but 503s in the outages" : "FAIL";

  const f0 = (n: number) => Math.round(n).toLocaleString("en-GB");
  const pgFault = faults.postgres as { stopAt: number; stoppedAt: number; startedAt: number };
  const instFault = faults.instance as { sigtermAt: number; exitedAt: number; readyAt: number };
  const lines = [
    `Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC. Machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}.`,
    `Parameters: ${opt.clients} clients, ${opt.seconds} s (the load went on to ${sec(loadEnd)}: at least ${AFTER_MS / 1000} s after the last fault), ${opt.instances} instances of \`next start\`, PostgreSQL ${postgres.url.replace(/.*@/, "").replace(/\/.*/, "")} (its own), down ${opt.pgDownSeconds} s.`,
    `Faults: PostgreSQL stopped at ${sec(pgFault.stopAt)}, started again at ${sec(pgFault.startedAt)}; SIGTERM to instance 1 at ${sec(instFault.sigtermAt)}, exited ${exitCode} at ${sec(instFault.exitedAt)}, ready again at ${sec(instFault.readyAt)}.`,
    `Successes: ${f0(s.raised.size)} raised (${s.raisedFoundOnRetry.size} found open on a retry), ${f0(notes)} notes, ${f0(s.answered.size)} answered, ${f0(s.closed.size)} closed.`,
    `Attempts: ${f0(state.attempts.length)} (instance ${perInstance.map((n, i) => `${i + 1}: ${f0(n)}`).join(", ")}); outcomes ${Object.entries(outcomes)
      .sort()
      .map(([k, n]) => `${k} ${f0(n)}`)
      .join(", ")}.`,
    `Database: ${f0(counts.requestsInDatabase)} requests (${counts.requestsNeverAnswered} without a success answer), ${f0(counts.emailRows)} Email rows, ${f0(counts.emailsSent)} sent; the mail server received ${f0(counts.messagesReceived)}.`,
    "",
    "| Window | calls | calls/s | p50 ms | p95 ms |",
    "|---|---:|---:|---:|---:|",
    `| Before the first fault (0–${sec(firstFault)}) | ${f0(before.calls)} | ${before.perSecond.toFixed(1)} | ${f0(before.p50)} | ${f0(before.p95)} |`,
    `| After the last (${sec(lastFaultEnd)}–${sec(loadEnd)}) | ${f0(after.calls)} | ${after.perSecond.toFixed(1)} | ${f0(after.p50)} | ${f0(after.p95)} |`,
    "",
    "| Check | Result | |",
    "|---|---|---|",
    ...findings.map((x) => `| ${x.check} | ${x.detail.replaceAll("|", "\\|")} | ${x.ok ? "PASS" : "FAIL"} |`),
    "",
    `Verdict: ${verdict}`,
  ];
  console.log(lines.join("\n"));
  if (values.record) record(lines, short);
  if (!findings.every((x) => x.ok)) {
    keepLogs = true;
    printLogs();
    return 1;
  }
  return 0;
}

function printLogs(): void {
  for (const instance of running.values()) {
    const text = existsSync(instance.logFile) ? readFileSync(instance.logFile, "utf8") : "";
    console.error(`\n--- ${instance.logFile} (last 60 lines) ---\n${text.split("\n").slice(-60).join("\n")}`);
  }
}

/** Writes the result between the markers of docs/deployment.md's "Load-and-fault test" section. */
function record(lines: string[], isShort: boolean): void {
  const file = path.join(ROOT, "docs/deployment.md");
  const text = readFileSync(file, "utf8");
  const start = "<!-- loadtest:start -->";
  const end = "<!-- loadtest:end -->";
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/deployment.md has no ${start} … ${end} markers`);
  const block = [start, `Last run: \`npm run loadtest${isShort ? " -- --short" : ""}\`.`, "", ...lines, end].join("\n");
  writeFileSync(file, text.slice(0, from) + block + text.slice(to + end.length));
  log("recorded the result in docs/deployment.md");
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`load test failed: ${(error as Error).stack ?? error}`);
  keepLogs = true;
  printLogs();
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);

