// The bulk-raise scenario of `npm run bench` (and on its own: `npx tsx scripts/bench/bulk-raise.ts
// [--rows N] [--embedded]`, on a throwaway database): one call of bulkRaiseRequests with a file of N
// rows mixing every answer (tests/integration/requests/bulk-mix.ts), timed from the call to its answer.
// Its organisations (BULKR raises; BULKA, BULKB, BULKC are assigned, two people each) and Devices
// (prefix 0E) are its own.
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";

export type BulkBenchResult = {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  counts: { raised: number; alreadyOpen: number; refused: number };
  emailsQueued: number;
  openBefore: number;
  /** Raising the "already open" rows' requests first (one bulk call of their own), not measured. */
  setUpSeconds: number;
};

export async function benchBulkRaise(options: { rows: number }): Promise<BulkBenchResult> {
  const { db } = await import("../../lib/db/client");
  const { toActor } = await import("../../lib/auth/actor");
  const { bulkRaiseRequests } = await import("../../lib/requests/bulk-raise");
  const { makeBulkMix } = await import("../../tests/integration/requests/bulk-mix");
  const client = db();
  for (const [code, name] of [["BULKR", "Bulk raiser"], ["BULKA", "Bulk assignee A"], ["BULKB", "Bulk assignee B"], ["BULKC", "Bulk assignee C"]]) {
    const organisation = await client.organisation.create({ data: { code, name, kind: "SUPPLIER" }, select: { id: true } });
    for (const person of code === "BULKR" ? ["raiser"] : ["first", "second"]) {
      await client.user.create({
        data: { email: `${person}@${code.toLowerCase()}.example`, name: `${person} ${code}`, role: "SUPPLIER_USER", organisationId: organisation.id, organisationKind: "SUPPLIER" },
      });
    }
  }
  const user = await client.user.findUniqueOrThrow({ where: { email: "raiser@bulkr.example" }, include: { organisation: true } });
  const actor = toActor(user)!;
  const mix = await makeBulkMix({ size: options.rows, prefix: "0E", raiserOrganisationCode: "BULKR", assigneeCodes: ["BULKA", "BULKB", "BULKC"] });
  let started = process.hrtime.bigint();
  if (mix.openBefore.length > 0) await bulkRaiseRequests(actor, mix.openBefore.map((deviceId) => ({ deviceId })));
  const setUpSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  started = process.hrtime.bigint();
  const result = await bulkRaiseRequests(actor, mix.rows);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { rows: mix.rows.length, seconds, rowsPerSecond: mix.rows.length / seconds, counts: result.counts, emailsQueued: result.emailsQueued, openBefore: mix.openBefore.length, setUpSeconds };
}

/** On its own: a throwaway embedded database (--embedded) or one on the server TEST_DATABASE_URL / DATABASE_URL names. */
async function main() {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "10000" }, embedded: { type: "boolean", default: false } } });
  const { randomBytes } = await import("node:crypto");
  const pg = (await import("pg")).default;
  process.env.APP_URL ??= "http://127.0.0.1:3000";
  process.env.LOG_LEVEL ??= "warn";
  const { openDatabase, setDatabase, closeDatabase } = await import("../../lib/db/client");
  const { applyMigrations } = await import("../../lib/db/prepare");
  const adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const name = `icr_bulk_${randomBytes(4).toString("hex")}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (!values.embedded) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  }
  try {
    setDatabase(openDatabase(values.embedded ? { kind: "embedded", dir: "memory://" } : { kind: "postgres", url: url.toString() }));
    await applyMigrations(() => {});
    const result = await benchBulkRaise({ rows: Number(values.rows) });
    console.log(JSON.stringify({ database: values.embedded ? "embedded" : "postgres", ...result }, null, 2));
  } finally {
    await closeDatabase();
    if (!values.embedded) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
