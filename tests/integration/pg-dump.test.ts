import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, db, openDatabase } from "@/lib/db/client";
import { seedDemoData } from "@/lib/db/seed";
import { parseReference } from "@/lib/requests/reference";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { postgresProgram } from "@/scripts/support/throwaway-postgres";
import { demoActors } from "../helpers/actors";
import { migrateAndUse, serverUrl } from "../helpers/database";
import { raiseAndProvide } from "./requests/support";

// docs/deployment.md's backup of a PostgreSQL server, exactly as written there: `pg_dump -Fc`, then
// `pg_restore` into a new empty database, or `--clean --if-exists` over the old one, then
// `npm run db:migrate`. A restored database must hold the same requests, reveal the same Install
// Codes with the same key, and keep its append-only triggers. PostgreSQL only (TEST_DATABASE_URL).

const CODE = "83FED3407A939723A5C639B26916D505";

describe.runIf(serverUrl())("pg_dump and pg_restore round trip", () => {
  const names = [`icr_dump_${process.pid}_a`, `icr_dump_${process.pid}_b`];
  const urlOf = (name: string) => Object.assign(new URL(serverUrl()!), { pathname: `/${name}` }).toString();
  const dir = mkdtempSync(path.join(tmpdir(), "icr-pgdump-"));
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  /** Opens the database and does what `npm run db:migrate` does after a restore; returns what it applied. */
  const use = async (name: string) => {
    await closeDatabase();
    return migrateAndUse(openDatabase({ kind: "postgres", url: urlOf(name) }));
  };

  beforeAll(async () => {
    for (const name of names) await admin(`CREATE DATABASE "${name}"`);
    expect((await use(names[0]!)).length).toBeGreaterThan(0);
    await seedDemoData(db());
  }, 60_000);

  afterAll(async () => {
    await closeDatabase();
    for (const name of names) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  it("restores into a new database and over the old one, with codes, timelines and triggers intact", async () => {
    const { alice, bob } = await demoActors();
    const { reference } = await raiseAndProvide(alice, bob, CODE);
    const counts = async () => ({
      requests: await db().installCodeRequest.count(),
      events: await db().requestEvent.count(),
      emails: await db().email.count(),
      audit: await db().auditEvent.count(),
    });
    // The raise's emails are sent in the background, each adding an EMAIL_SENT event: let them finish first.
    await dispatcherIdle();
    const before = await counts();
    const file = path.join(dir, "portal.dump");
    execFileSync(postgresProgram("pg_dump"), ["-Fc", "-f", file, urlOf(names[0]!)]);

    // A change after the backup, which a restore over the old database must undo.
    const later = await raiseAndProvide(alice, bob, CODE);
    await dispatcherIdle();
    const laterNumber = parseReference(later.reference)!;

    // 1. Into a new, empty database.
    execFileSync(postgresProgram("pg_restore"), ["-d", urlOf(names[1]!), file]);
    expect(await use(names[1]!)).toEqual([]);
    const restored = await counts();
    expect(restored.requests).toBe(before.requests);
    expect(restored.events).toBe(before.events);
    expect(restored.emails).toBe(before.emails);
    // (the reveal below adds an audit row: compare before it)
    expect(restored.audit).toBe(before.audit);
    expect((await revealInstallCode(alice, { reference })).installCode).toBe(CODE);
    const request = await db().installCodeRequest.findFirstOrThrow({ select: { id: true } });
    await expect(db().requestEvent.deleteMany({ where: { requestId: request.id } })).rejects.toThrow(/append-only/);

    // 2. Over the old database, as the docs' --clean --if-exists does.
    await dispatcherIdle();
    await closeDatabase();
    execFileSync(postgresProgram("pg_restore"), ["--clean", "--if-exists", "-d", urlOf(names[0]!), file]);
    expect(await use(names[0]!)).toEqual([]);
    expect((await counts()).requests).toBe(before.requests);
    expect(await db().installCodeRequest.findFirst({ where: { number: laterNumber } })).toBeNull();
    expect((await revealInstallCode(bob, { reference })).installCode).toBe(CODE);
  }, 120_000);
});
