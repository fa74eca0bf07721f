// npm run bench -- [--rows N] [--requests N] [--skip-10m] [--duration S] [--connections N] [--bulk-rows N] [--smoke]
// Creates its own database (icr_bench_<random>) on the server DATABASE_URL names, measures the SMI
// import, Device look-ups and pages under autocannon, each beside a bare baseline in the same run,
// and one bulk raise of a file mixing every answer (scripts/bench/bulk-raise.ts),
// prints a table with PASS/MISS per target, writes bench/results.json and drops the database.
// Exit code: 0 when everything ran (a MISS is reported, not asserted); 1 when something broke.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { percentile } from "../support/percentile";

const { values } = parseArgs({
  options: {
    rows: { type: "string" },
    requests: { type: "string" },
    "skip-10m": { type: "boolean", default: false },
    devices: { type: "string" },
    duration: { type: "string" },
    connections: { type: "string" },
    lookups: { type: "string" },
    "bulk-rows": { type: "string" },
    smoke: { type: "boolean", default: false },
  },
});
const smoke = values.smoke;
const opt = {
  rows: Number(values.rows ?? (smoke ? 10_000 : 1_000_000)),
  requests: Number(values.requests ?? (smoke ? 10_000 : 1_000_000)),
  skip10m: smoke || values["skip-10m"],
  devices: Number(values.devices ?? 10_000_000),
  duration: Number(values.duration ?? (smoke ? 2 : 20)),
  connections: Number(values.connections ?? (smoke ? 10 : 50)),
  lookups: Number(values.lookups ?? (smoke ? 500 : 3_000)),
  bulkRows: Number(values["bulk-rows"] ?? (smoke ? 500 : 10_000)),
};

const adminUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `icr_bench_${randomBytes(4).toString("hex")}`;
const benchUrl = (() => {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
})();
const work = mkdtempSync(path.join(tmpdir(), "icr-bench-"));
const children = new Set<ChildProcess>();
let dbCreated = false;
const log = (line: string) => console.error(`[bench] ${line}`);

async function cleanup() {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  try {
    const { closeDatabase } = await import("../../lib/db/client");
    await closeDatabase();
  } catch {}
  if (dbCreated) {
    const admin = new pg.Client({ connectionString: adminUrl });
    try {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      dbCreated = false;
      log(`dropped database ${dbName}`);
    } catch (error) {
      console.error(`could not drop ${dbName}: ${(error as Error).message}`);
    } finally {
      await admin.end().catch(() => {});
    }
  }
  rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// The portal's environment: in this process (look-ups) and in the children.
const AUTH_SECRET = randomBytes(32).toString("base64url");
const INSTALL_CODE_KEY = randomBytes(32).toString("hex");
const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  DATABASE_URL: benchUrl,
  DATA_DIR: path.join(work, "data"),
  AUTH_SECRET,
  INSTALL_CODE_KEY,
  ...extra,
});

function hwmKb(pid: number, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
function descendants(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) out.push(...descendants(Number(task)));
  } catch {}
  return out;
}

/** Runs a command to its end; returns wall seconds and the peak RSS (MB) of the process tree, sampled. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, sampleRss = false): Promise<{ seconds: number; peakMb: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ["ignore", "inherit", "inherit"] });
    children.add(child);
    let peak = 0;
    const timer = sampleRss
      ? setInterval(() => {
          for (const pid of descendants(child.pid!)) peak = Math.max(peak, hwmKb(pid, "VmHWM") ?? 0);
        }, 50)
      : undefined;
    child.on("error", reject);
    child.on("exit", (code) => {
      if (timer) clearInterval(timer);
      children.delete(child);
      resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: peak / 1024, code });
    });
  });
}
const node = process.execPath;
const tsx = (script: string, ...args: string[]) => ["--import", "tsx", script, ...args];

function hasPsql(): boolean {
  return spawnSync("psql", ["--version"], { stdio: "ignore" }).status === 0;
}

/** The raw COPY reference when psql is missing: the file streamed into COPY FROM STDIN. */
async function copyInProcess(sql: pg.Client, csv: string) {
  const started = process.hrtime.bigint();
  await pipeline(createReadStream(csv), sql.query(copyFrom(`COPY bare_smi FROM STDIN WITH (FORMAT csv, HEADER true)`)));
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakMb: 0, code: 0 };
}


type Target = { name: string; value: string; target: string; pass: boolean };
const targets: Target[] = [];
const f0 = (n: number) => n.toLocaleString("en-GB");
const target = (name: string, value: string, want: string, pass: boolean) => targets.push({ name, value, target: want, pass });
const results: Record<string, unknown> = { options: opt, database: dbName, startedAt: new Date().toISOString() };

async function main(): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  dbCreated = true;
  log(`created database ${dbName}; work files in ${work}`);
  Object.assign(process.env, childEnv());

  const { openDatabase, setDatabase, db } = await import("../../lib/db/client");
  setDatabase(openDatabase({ kind: "postgres", url: benchUrl }));
  const { applyMigrations } = await import("../../lib/db/prepare");
  await applyMigrations(() => {});
  const sql = new pg.Client({ connectionString: benchUrl });
  await sql.connect();

  // Requests for the pages first (load.ts's organisations and Devices are its own: L00000..., 0C-...).
  const organisations = Math.max(2, Math.round(opt.requests / 1_000));
  const loadDevices = Math.ceil(opt.requests / organisations) + 1;
  log(`loading ${opt.requests} requests over ${organisations} Suppliers`);
  let t = Date.now();
  const { loadManyRequests } = await import("../../tests/integration/requests/load");
  await loadManyRequests({ organisations, devices: loadDevices, requests: opt.requests });
  results.requestLoadSeconds = (Date.now() - t) / 1000;

  // 1. Import of N generated rows, beside psql \copy of the same file into a bare table.
  const csv = path.join(work, "smi.csv");
  log(`generating ${opt.rows} SMI rows`);
  const gen = await run(node, tsx("scripts/inventory-generate.ts", "--devices", String(opt.rows), "--out", csv), childEnv());
  if (gen.code !== 0) throw new Error("the generator failed");
  log("importing with npm run inventory:import's script");
  const imp = await run(node, tsx("scripts/inventory-import.ts", csv, "--create-organisations", "--rejects", path.join(work, "rejects.csv")), childEnv(), true);
  if (imp.code !== 0) throw new Error(`the importer exited ${imp.code}`);
  const header = readFileSync(csv, "utf8").slice(0, 500).split("\n")[0].split(",");
  await sql.query(`CREATE TABLE bare_smi (${header.map((h) => `"${h}" text`).join(", ")})`);
  log("psql \\copy of the same file");
  const copy = hasPsql()
    ? await run("psql", [benchUrl, "-q", "-v", "ON_ERROR_STOP=1", "-c", `\\copy bare_smi FROM '${csv}' WITH (FORMAT csv, HEADER true)`], process.env)
    : await copyInProcess(sql, csv);
  if (copy.code !== 0) throw new Error("psql \\copy failed");
  results.copyTool = hasPsql() ? "psql \\copy" : "COPY FROM STDIN through pg-copy-streams (no psql here)";
  await sql.query("DROP TABLE bare_smi");
  const importRate = opt.rows / imp.seconds;
  const copyRate = opt.rows / copy.seconds;
  results.import = { rows: opt.rows, seconds: imp.seconds, rowsPerSecond: importRate, peakRssMb: imp.peakMb, copySeconds: copy.seconds, copyRowsPerSecond: copyRate, ratio: importRate / copyRate };
  target("Import rows/s vs psql \\copy", `${(importRate / copyRate * 100).toFixed(0)} %`, ">= 50 %", importRate / copyRate >= 0.5);
  target("Importer peak RSS", `${imp.peakMb.toFixed(0)} MB`, "< 200 MB", imp.peakMb < 200);

  // 2. Device look-ups.
  if (!opt.skip10m) {
    log(`loading ${opt.devices} Devices with generate_series`);
    t = Date.now();
    await sql.query(`INSERT INTO "Device" ("deviceId", "deviceType", "status", "manufacturer", "model", "firmwareVersion", "preNotifiedById")
      SELECT '0D-' || upper(substr(h,1,2)) || '-' || upper(substr(h,3,2)) || '-' || upper(substr(h,5,2)) || '-' || upper(substr(h,7,2)) || '-' || upper(substr(h,9,2)) || '-' || upper(substr(h,11,2)) || '-00',
             'ESME', 'InstalledNotCommissioned', 'Bench', 'B', '1', (SELECT "id" FROM "Organisation" ORDER BY "code" LIMIT 1)
      FROM (SELECT lpad(to_hex(g), 12, '0') AS h FROM generate_series(0, $1::int - 1) g) x`, [opt.devices]);
    await sql.query(`ANALYZE "Device"`);
    results.deviceLoadSeconds = (Date.now() - t) / 1000;
  }
  // What was just loaded leaves autovacuum work that would otherwise run during the measurements
  // (the first full run lost ~40 % of every page's rate to it, the sign-in page's included).
  log("VACUUM (ANALYZE) before measuring");
  t = Date.now();
  await sql.query("VACUUM (ANALYZE)");
  results.vacuumSeconds = (Date.now() - t) / 1000;
  const deviceCount = Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Device"`)).rows[0].n);
  const ids = (await sql.query<{ deviceId: string }>(`SELECT "deviceId" FROM "Device" ORDER BY random() LIMIT $1`, [opt.lookups])).rows.map((r) => r.deviceId);
  const supplierRow = (await sql.query(`SELECT u."id" AS "userId", u."email", u."name", o."id" AS "organisationId", o."code", o."name" AS "orgName"
    FROM "User" u JOIN "Organisation" o ON o."id" = u."organisationId" WHERE o."code" = 'L00000'`)).rows[0] as Record<string, string>;
  const { checkDeviceEligibility } = await import("../../lib/inventory/eligibility");
  const actor = {
    userId: supplierRow.userId, email: supplierRow.email, name: supplierRow.name, role: "SUPPLIER_USER" as const,
    organisationId: supplierRow.organisationId, organisationCode: supplierRow.code, organisationName: supplierRow.orgName, organisationKind: "SUPPLIER" as const, administrator: false,
  };
  const client = db();
  const timeAll = async (fn: (id: string) => Promise<unknown>) => {
    for (const id of ids.slice(0, 200)) await fn(id); // warm-up
    const times: number[] = [];
    for (const id of ids) {
      const s = process.hrtime.bigint();
      await fn(id);
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99), n: times.length };
  };
  const portal = await timeAll((id) => checkDeviceEligibility(client, actor, id as never));
  const bare = await timeAll((id) => sql.query(`SELECT "deviceId", "deviceType", "status", "preNotifiedById" FROM "Device" WHERE "deviceId" = $1`, [id]));
  results.lookup = { devices: deviceCount, portal, bare };
  target(`Device look-up p99 (${deviceCount.toLocaleString("en-GB")} Devices)`, `${portal.p99.toFixed(2)} ms (bare pg ${bare.p99.toFixed(2)} ms)`, "< 2 ms", portal.p99 < 2);

  // 3. Pages. Sessions written directly: the table holds sha256(token), the cookie carries the token.
  await sql.query(`INSERT INTO "Organisation" ("id", "code", "name", "kind") VALUES (gen_random_uuid(), 'BENCHDESK', 'Bench helpdesk', 'HELPDESK')`);
  await sql.query(`INSERT INTO "User" ("id", "email", "name", "role", "organisationId", "organisationKind")
    SELECT gen_random_uuid(), 'desk@bench.example', 'Bench desk', 'HELPDESK', "id", 'HELPDESK' FROM "Organisation" WHERE "code" = 'BENCHDESK'`);
  const helpdeskUserId = (await sql.query(`SELECT "id" FROM "User" WHERE "email" = 'desk@bench.example'`)).rows[0].id as string;
  const session = async (userId: string) => {
    const token = randomBytes(32).toString("base64url");
    await sql.query(`INSERT INTO "Session" ("id", "sessionToken", "userId", "expires", "lastSeenAt") VALUES (gen_random_uuid(), $1, $2, now() + interval '1 day', now())`,
      [createHash("sha256").update(token).digest("hex"), userId]);
    return token;
  };
  const supplierToken = await session(supplierRow.userId);
  const helpdeskToken = await session(helpdeskUserId);
  const { formatReference } = await import("../../lib/requests/reference");
  const number = (await sql.query(`SELECT "number" FROM "InstallCodeRequest" WHERE "raisingOrganisationId" = $1 ORDER BY "raisedAt" DESC LIMIT 1`, [supplierRow.organisationId])).rows[0].number as number;
  const reference = formatReference(number);
  const seen = Number((await sql.query(`SELECT count(*) AS n FROM "InstallCodeRequest" WHERE "raisingOrganisationId" = $1 OR "assignedOrganisationId" = $1`, [supplierRow.organisationId])).rows[0].n);
  results.pagesData = { requests: opt.requests, supplierSees: seen, reference };

  // 4. The API (issue 9): raises consume a Device each (one open request per Device and organisation),
  // so each side gets its own range of eligible Devices pre-notified by another Supplier (0B-: the
  // portal's, 0F-: the baseline's; 0A- is the tests', 0C- load.ts's, 0D- the 10,000,000, 0E- the bulk raise's).
  const raiseDevices = smoke ? 5_000 : 100_000;
  const assignee = (await sql.query(`SELECT "id" FROM "Organisation" WHERE "code" LIKE 'L%' AND "id" <> $1 ORDER BY "code" LIMIT 1`, [supplierRow.organisationId])).rows[0].id as string;
  for (const prefix of ["0B", "0F"]) {
    await sql.query(`INSERT INTO "Device" ("deviceId", "deviceType", "status", "manufacturer", "model", "firmwareVersion", "preNotifiedById")
      SELECT '${prefix}-' || upper(substr(h,1,2)) || '-' || upper(substr(h,3,2)) || '-' || upper(substr(h,5,2)) || '-' || upper(substr(h,7,2)) || '-' || upper(substr(h,9,2)) || '-' || upper(substr(h,11,2)) || '-00',
             'ESME', 'InstalledNotCommissioned', 'Bench', 'B', '1', $2
      FROM (SELECT lpad(to_hex(g), 12, '0') AS h FROM generate_series(0, $1::int - 1) g) x`, [raiseDevices, assignee]);
  }
  await sql.query(`ANALYZE "Device"`);
  const raiseDevice = (prefix: string, i: number) => `${prefix}-${i.toString(16).toUpperCase().padStart(12, "0").match(/../g)!.join("-")}-00`;
  const { createApiKey } = await import("../../lib/api-keys/keys");
  const apiKey = (await createApiKey({ organisationCode: supplierRow.code, name: "bench" })).key;

  if (!existsSync(".next/BUILD_ID")) {
    log("no .next/BUILD_ID: building");
    const build = await run(node, [path.resolve("node_modules/next/dist/bin/next"), "build"], { ...process.env, NODE_ENV: "production" });
    if (build.code !== 0) throw new Error("next build failed");
  }
  // A real SMTP server that accepts and discards: the API's raises queue emails, which the portal
  // sends as it would in production (to an unreachable server it would retry them all the while).
  const { SMTPServer } = await import("smtp-server");
  const sink = new SMTPServer({ authOptional: true, disabledCommands: ["STARTTLS"], logger: false, onData: (stream, _session, done) => stream.on("end", () => done()).resume() });
  const smtpPort = await new Promise<number>((resolve) => sink.listen(0, "127.0.0.1", () => resolve((sink.server.address() as { port: number }).port)));
  const nextPort = 3900 + Math.floor(Math.random() * 50);
  const basePort = nextPort + 50;
  const appUrl = `http://127.0.0.1:${nextPort}`;
  // Started as `npm run serve` starts it (its heap bound included), without the migration step, and
  // without the scheduler: its first scan would otherwise send breach notices for the loaded
  // requests while the pages are measured.
  const nextServer = spawn(node, [path.resolve("scripts/next-start.mjs"), "start"], {
    env: childEnv({ NODE_ENV: "production", APP_URL: appUrl, PORT: String(nextPort), HOST: "127.0.0.1", ALLOW_HTTP_APP_URL: "true", SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      SIGN_IN_LINKS_PER_ADDRESS: "1000", SIGN_IN_LINKS_PER_CLIENT: "100000", RAISES_PER_ORGANISATION_PER_MINUTE: "1000000", API_REQUESTS_PER_KEY_PER_MINUTE: "10000000", LOG_LEVEL: "warn", RUN_SCHEDULER: "false" }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(nextServer);
  const baseline = spawn(node, tsx("scripts/bench/baseline-server.ts"), {
    env: childEnv({ PORT: String(basePort), BENCH_ORGANISATION_ID: supplierRow.organisationId, BENCH_USER_ID: supplierRow.userId }),
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(baseline);
  const waitFor = async (url: string, what: string) => {
    for (let i = 0; i < 240; i++) {
      if (nextServer.exitCode !== null || baseline.exitCode !== null) break;
      const ok = await fetch(url, { redirect: "manual" }).then((r) => r.status === 200, () => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${what} did not start`);
  };
  await waitFor(`${appUrl}/sign-in`, "next start");
  await waitFor(`http://127.0.0.1:${basePort}/`, "the baseline server");

  const cookieName = `next-auth.session-token`;
  const pages = [
    { name: "baseline (node:http + pg)", url: `http://127.0.0.1:${basePort}/` },
    { name: "sign-in page", url: `${appUrl}/sign-in` },
    { name: "home, Supplier", url: `${appUrl}/`, token: supplierToken },
    { name: "/requests, Supplier", url: `${appUrl}/requests`, token: supplierToken },
    { name: `/requests/${reference}, Supplier`, url: `${appUrl}/requests/${reference}`, token: supplierToken },
    { name: "/requests, helpdesk", url: `${appUrl}/requests`, token: helpdeskToken },
    { name: `/requests/${reference}, helpdesk`, url: `${appUrl}/requests/${reference}`, token: helpdeskToken },
  ];
  type PageResult = { name: string; url: string; reqPerSec: number; p50: number; p95: number; p99: number; errors: number; non2xx: number; requests: number };
  type Load = { name: string; url: string; token?: string; headers?: Record<string, string>; method?: "GET" | "POST"; body?: () => string; want?: number };
  async function measure(page: Load): Promise<PageResult> {
    const headers: Record<string, string> = { ...(page.token ? { cookie: `${cookieName}=${page.token}` } : {}), ...page.headers };
    // Each must answer as wanted (200, no redirect) before it is measured; a few warm-up calls.
    for (let i = 0; i < 5; i++) {
      const res = await fetch(page.url, { method: page.method ?? "GET", headers, body: page.body?.(), redirect: "manual" });
      await res.arrayBuffer();
      if (res.status !== (page.want ?? 200)) throw new Error(`${page.name}: ${page.url} answered ${res.status} ${res.headers.get("location") ?? ""}`);
    }
    log(`autocannon ${page.name}: ${opt.connections} connections, ${opt.duration} s`);
    const times: number[] = [];
    let non2xx = 0;
    const body = page.body;
    const instance = autocannon({
      url: page.url, headers, connections: opt.connections, duration: opt.duration, timeout: 30,
      ...(body ? { requests: [{ method: page.method, setupRequest: (request) => ({ ...request, method: page.method, body: body() }) }] } : {}),
    });
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      times.push(ms);
      if (status < 200 || status >= 300) non2xx++;
    });
    const result = await instance;
    times.sort((a, b) => a - b);
    return {
      name: page.name, url: page.url, requests: times.length,
      reqPerSec: times.length / opt.duration,
      p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99),
      errors: result.errors + result.timeouts, non2xx: Math.max(non2xx, result.non2xx),
    };
  }
  const pageResults: PageResult[] = [];
  for (const page of pages) pageResults.push(await measure(page));

  let portalRaises = 0;
  let bareRaises = 0;
  const nextDevice = (prefix: "0B" | "0F") => {
    const i = prefix === "0B" ? portalRaises++ : bareRaises++;
    if (i >= raiseDevices) throw new Error(`the bench ran out of Devices to raise for (${raiseDevices}): raise --duration less or the count`);
    return JSON.stringify({ deviceId: raiseDevice(prefix, i) });
  };
  const json = { "content-type": "application/json" };
  const bearer = { authorization: `Bearer ${apiKey}` };
  const apiResults = {
    baselineList: await measure({ name: "baseline list (node:http + pg, JSON)", url: `http://127.0.0.1:${basePort}/list` }),
    list: await measure({ name: "GET /api/v1/install-code-requests", url: `${appUrl}/api/v1/install-code-requests`, headers: bearer }),
    baselineRaise: await measure({ name: "baseline raise (node:http + pg)", url: `http://127.0.0.1:${basePort}/raise`, method: "POST", headers: json, body: () => nextDevice("0F"), want: 201 }),
    raise: await measure({ name: "POST /api/v1/install-code-requests", url: `${appUrl}/api/v1/install-code-requests`, method: "POST", headers: { ...json, ...bearer }, body: () => nextDevice("0B"), want: 201 }),
  };
  results.api = apiResults;
  const serverRssMb = Math.max(...descendants(nextServer.pid!).map((pid) => hwmKb(pid, "VmRSS") ?? 0)) / 1024;
  results.pages = pageResults;
  results.serverRssMb = serverRssMb;

  const base = pageResults[0];
  const home = pageResults[2];
  target("Signed-in home req/s vs baseline", `${((home.reqPerSec / base.reqPerSec) * 100).toFixed(1)} %`, ">= 10 %", home.reqPerSec / base.reqPerSec >= 0.1);
  for (const page of pageResults.slice(3)) {
    target(`${page.name} req/s vs signed-in home`, `${((page.reqPerSec / home.reqPerSec) * 100).toFixed(0)} %`, ">= 70 %", page.reqPerSec / home.reqPerSec >= 0.7);
    target(`${page.name} p95`, `${page.p95.toFixed(0)} ms`, "< 500 ms", page.p95 < 500);
  }
  const { list, baselineList, raise, baselineRaise } = apiResults;
  target("API list req/s vs baseline list", `${((list.reqPerSec / baselineList.reqPerSec) * 100).toFixed(0)} %`, ">= 40 %", list.reqPerSec / baselineList.reqPerSec >= 0.4);
  target("API raise req/s vs baseline raise", `${((raise.reqPerSec / baselineRaise.reqPerSec) * 100).toFixed(0)} %`, ">= 40 %", raise.reqPerSec / baselineRaise.reqPerSec >= 0.4);
  target("API raise p95 vs baseline raise p95", `${(raise.p95 / baselineRaise.p95).toFixed(1)} × (${raise.p95.toFixed(0)} ms vs ${baselineRaise.p95.toFixed(0)} ms)`, "<= 2.5 ×", raise.p95 <= 2.5 * baselineRaise.p95);
  target("next-server RSS after", `${serverRssMb.toFixed(0)} MB`, "< 512 MB", serverRssMb < 512);
  const errors = [...pageResults, ...Object.values(apiResults)].reduce((n, p) => n + p.errors + p.non2xx, 0);
  target("Errors and non-2xx answers", String(errors), "0", errors === 0);
  nextServer.kill("SIGTERM");
  baseline.kill("SIGTERM");
  sink.close();

  // 4. A bulk raise: one call, a file mixing every answer, after the pages (it adds requests).
  log(`bulk raise of ${opt.bulkRows} mixed rows`);
  const { benchBulkRaise } = await import("./bulk-raise");
  const bulk = await benchBulkRaise({ rows: opt.bulkRows });
  results.bulkRaise = bulk;
  target(`Bulk raise, ${f0(bulk.rows)} mixed rows in one call`, `${bulk.seconds.toFixed(1)} s`, "< 20 s", bulk.seconds < 20);
  await sql.end();

  // Report.
  const f = (n: number, d = 0) => n.toLocaleString("en-GB", { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines: string[] = [];
  lines.push(`Import: ${f(opt.rows)} rows in ${f(imp.seconds, 1)} s = ${f(importRate)} rows/s, peak RSS ${f(imp.peakMb)} MB; psql \\copy ${f(copy.seconds, 1)} s = ${f(copyRate)} rows/s`);
  lines.push(`Look-up (${f(deviceCount)} Devices, ${portal.n} IDs): checkDeviceEligibility p50 ${portal.p50.toFixed(2)} ms p99 ${portal.p99.toFixed(2)} ms; bare pg p50 ${bare.p50.toFixed(2)} ms p99 ${bare.p99.toFixed(2)} ms`);
  lines.push(`Pages (${f(opt.requests)} requests, the Supplier sees ${f(seen)}; ${opt.connections} connections, ${opt.duration} s each):`);
  lines.push(`| Page | req/s | vs baseline | p50 ms | p95 ms | p99 ms | errors | non-2xx |`);
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const p of pageResults) {
    lines.push(`| ${p.name} | ${f(p.reqPerSec, 1)} | ${((p.reqPerSec / base.reqPerSec) * 100).toFixed(1)} % | ${f(p.p50)} | ${f(p.p95)} | ${f(p.p99)} | ${p.errors} | ${p.non2xx} |`);
  }
  lines.push(`API (the ${f(seen)} requests above; raises each for a new Device; ${opt.connections} connections, ${opt.duration} s each):`);
  lines.push(`| Call | req/s | vs its baseline | p50 ms | p95 ms | p99 ms | errors | non-2xx |`);
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|`);
  for (const [p, b] of [[baselineList, baselineList], [list, baselineList], [baselineRaise, baselineRaise], [raise, baselineRaise]] as const) {
    lines.push(`| ${p.name} | ${f(p.reqPerSec, 1)} | ${((p.reqPerSec / b.reqPerSec) * 100).toFixed(1)} % | ${f(p.p50)} | ${f(p.p95)} | ${f(p.p99)} | ${p.errors} | ${p.non2xx} |`);
  }
  lines.push(`next-server RSS after: ${f(serverRssMb)} MB`);
  lines.push(
    `Bulk raise: ${f(bulk.rows)} rows (${f(bulk.counts.raised)} raised, ${f(bulk.counts.alreadyOpen)} already open, ${f(bulk.counts.refused)} refused; ${bulk.emailsQueued} emails) in ${f(bulk.seconds, 1)} s = ${f(bulk.rowsPerSecond)} rows/s`,
  );
  lines.push("");
  lines.push(`| Target | Measured | Want | |`);
  lines.push(`|---|---|---|---|`);
  for (const t of targets) lines.push(`| ${t.name} | ${t.value} | ${t.target} | ${t.pass ? "PASS" : "MISS"} |`);
  console.log(lines.join("\n"));
  results.targets = targets;
  results.finishedAt = new Date().toISOString();
  mkdirSync("bench", { recursive: true });
  writeFileSync("bench/results.json", JSON.stringify(results, null, 2) + "\n");
  log("wrote bench/results.json");
  return errors > 0 ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(`bench failed: ${(error as Error).stack ?? error}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
