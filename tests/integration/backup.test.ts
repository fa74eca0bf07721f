import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, database, db, openDatabase, setDatabase } from "@/lib/db/client";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { seedDemoData } from "@/lib/db/seed";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { webhookDispatcherIdle } from "@/lib/webhooks/dispatcher";
import { demoActors } from "../helpers/actors";
import { serverUrl } from "../helpers/database";
import { raiseFresh } from "./requests/support";

// npm run db:backup / db:restore run as a user runs them: a child process on a DATA_DIR of its own.

const run = promisify(execFile);
const CODE = "83FED3407A939723A5C639B26916D505";

async function cli(script: "db-backup" | "db-restore", args: string[], env: Record<string, string | undefined>) {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  if (env.DATABASE_URL === undefined) delete childEnv.DATABASE_URL;
  try {
    const { stdout, stderr } = await run("npx", ["tsx", `scripts/${script}.ts`, ...args], { env: childEnv as NodeJS.ProcessEnv });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// The scripts' own database is the embedded one in a temporary DATA_DIR whichever database the suite
// runs on; with TEST_DATABASE_URL set, that server is the DATABASE_URL the refusal is checked with.
const SERVER_URL = serverUrl() ?? "postgresql://postgres@127.0.0.1:5432/icr_backup_never_opened";

describe("db:backup and db:restore with DATABASE_URL set", () => {
  it("refuse and point at pg_dump and docs/deployment.md", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "icr-backup-"));
    const file = path.join(dir, "backup.tgz");
    for (const script of ["db-backup", "db-restore"] as const) {
      const result = await cli(script, [file], { DATA_DIR: dir, DATABASE_URL: SERVER_URL });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("pg_dump");
      expect(result.stderr).toContain("docs/deployment.md");
    }
    expect(existsSync(file)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("db:backup and db:restore on the embedded database", () => {
  let dataDir: string;
  let pgliteDir: string;
  let reference: string;
  const env = () => ({ DATA_DIR: dataDir, DATABASE_URL: undefined });

  /** Every row of every table, as text, in a stable order. */
  async function snapshot(): Promise<Record<string, string[]>> {
    const opened = openDatabase({ kind: "embedded", dir: pgliteDir });
    try {
      const pglite = opened.pglite()!;
      const tables = await pglite.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1");
      const out: Record<string, string[]> = {};
      for (const { name } of tables.rows) {
        const rows = await pglite.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t ORDER BY 1`);
        out[name] = rows.rows.map((r) => r.row);
      }
      return out;
    } finally {
      await opened.close();
    }
  }

  /** Opens the folder's database as the process's, runs `work`, and closes it (the CLI needs it free). */
  async function withDatabase<T>(work: () => Promise<T>): Promise<T> {
    setDatabase(openDatabase({ kind: "embedded", dir: pgliteDir }));
    try {
      return await work();
    } finally {
      await dispatcherIdle();
      await webhookDispatcherIdle();
      await closeDatabase();
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), "icr-backup-"));
    pgliteDir = path.join(dataDir, "pglite");
    reference = await withDatabase(async () => {
      const conn = await database().connect();
      try {
        await migrate(conn, readMigrations(), () => {});
      } finally {
        await conn.release();
      }
      await seedDemoData(db());
      const { alice, bob } = await demoActors();
      const raised = await raiseFresh(alice, "SFP", { note: "Meter cupboard behind the stairs" });
      await provideInstallCode(bob, { reference: raised.reference, installCode: CODE });
      return raised.reference;
    });
  }, 120_000);

  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("brings back the request, its timeline and its encrypted Install Code exactly, keeping the replaced database aside", async () => {
    const before = await snapshot();
    expect(before.InstallCodeRequest).toHaveLength(1);
    expect(before.Note).toHaveLength(1);
    expect(before.InstallCode).toHaveLength(1);
    expect(before.InstallCode[0]).not.toContain(CODE);

    const file = path.join(dataDir, "portal.tgz");
    const backedUp = await cli("db-backup", [file], env());
    expect(backedUp.stderr).toBe("");
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toContain(`npm run db:restore -- ${file}`);
    expect(statSync(file).size).toBeGreaterThan(0);
    expect(readdirSync(dataDir).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    // Later changes: a second request, and the first one's note edited in place.
    await withDatabase(async () => {
      const { alice } = await demoActors();
      await raiseFresh(alice, "SFP", { note: "raised after the backup" });
      await db().note.updateMany({ data: { body: "changed after the backup" } });
    });
    expect((await snapshot()).InstallCodeRequest).toHaveLength(2);

    const restored = await cli("db-restore", [file], env());
    expect(restored.code).toBe(0);
    const kept = readdirSync(dataDir).filter((f) => f.startsWith("pglite.before-restore-"));
    expect(kept).toHaveLength(1);
    expect(restored.stdout).toContain(path.join(dataDir, kept[0]));
    expect(restored.stdout).toMatch(/0 migration\(s\) applied/);

    expect(await snapshot()).toEqual(before);
    await withDatabase(async () => {
      const { alice } = await demoActors();
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: CODE });
    });

    // The replaced database is intact in its folder: it still has the request raised after the backup.
    const aside = openDatabase({ kind: "embedded", dir: path.join(dataDir, kept[0]) });
    try {
      expect((await aside.pglite()!.query(`SELECT 1 FROM "InstallCodeRequest"`)).rows).toHaveLength(2);
    } finally {
      await aside.close();
    }
    rmSync(path.join(dataDir, kept[0]), { recursive: true, force: true });
  }, 180_000);

  it("refuses a file that is not a PGlite dump and changes nothing", async () => {
    const before = await snapshot();
    const junk = path.join(dataDir, "notes.tgz");
    writeFileSync(junk, "this is not a database dump\n");
    const result = await cli("db-restore", [junk], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("is not a PGlite dump");
    expect(readdirSync(dataDir).filter((f) => f.startsWith("pglite.before-restore-"))).toEqual([]);
    expect(await snapshot()).toEqual(before);
  }, 120_000);

  it("refuses to overwrite an existing file unless --force", async () => {
    const file = path.join(dataDir, "existing.tgz");
    writeFileSync(file, "keep me");
    const refused = await cli("db-backup", [file], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(file, "utf8")).toBe("keep me");

    const forced = await cli("db-backup", [file, "--force"], env());
    expect(forced.code).toBe(0);
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  }, 120_000);

  it("refuses while the database is open (the portal running on the same DATA_DIR)", async () => {
    const file = path.join(dataDir, "live.tgz");
    const live = openDatabase({ kind: "embedded", dir: pgliteDir });
    try {
      await live.pglite()!.query("SELECT 1");
      const result = await cli("db-backup", [file], env());
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("stop the portal");
      expect(existsSync(file)).toBe(false);
    } finally {
      await live.close();
    }
  }, 120_000);
});
