import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { migrate, readMigrations } from "@/lib/db/migrate";
import type { SqlConnection } from "@/lib/db/sql-connection";
import { decryptInstallCode, encryptInstallCode } from "@/lib/install-code/encryption";
import { createEmptyDatabase } from "../helpers/database";

// The trust migration on a database that already holds data written under the old rules: codes move
// to their owners, no session survives, and a user whose role disagrees with its organisation stops it.

const TRUST = "20261130010000_trust";
const CODE = "83FED3407A939723A5C639B26916D505";

describe(`the trust migration on existing data (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "embedded"})`, () => {
  let database: Database | undefined;
  let conn: SqlConnection | undefined;

  afterEach(async () => {
    await conn?.release();
    await database?.close();
    conn = undefined;
    database = undefined;
  });

  async function beforeTrust() {
    database = await createEmptyDatabase();
    conn = await database.connect();
    await migrate(conn, readMigrations().filter((m) => m.name < TRUST), () => {});
    const q = conn.query.bind(conn);
    const org = async (code: string, kind: string) => {
      const id = randomUUID();
      await q(`INSERT INTO "Organisation" (id, code, name, kind) VALUES ($1, $2, $3, $4)`, [id, code, `${code} name`, kind]);
      return id;
    };
    const orgs = { NWE: await org("NWE", "SUPPLIER"), SFP: await org("SFP", "SUPPLIER"), EGP: await org("EGP", "SUPPLIER"), DCC: await org("DCC", "HELPDESK") };
    const user = async (email: string, organisationId: string, role = "SUPPLIER_USER") => {
      const id = randomUUID();
      await q(`INSERT INTO "User" (id, email, name, role, "organisationId") VALUES ($1, $2, $2, $3, $4)`, [id, email, role, organisationId]);
      return id;
    };
    const users = { alice: await user("alice@nwe.example", orgs.NWE), bob: await user("bob@sfp.example", orgs.SFP), dana: await user("dana@dcc.example", orgs.DCC, "HELPDESK") };
    let devices = 0;
    /** A request raised by Northwind, assigned to Southfield, answered with CODE at 10:00. */
    const request = async (events: { type: string; at: string; actorId?: string; actorOrganisationId?: string; organisationId?: string }[]) => {
      const id = randomUUID();
      // One open request per Device and raiser: a Device each.
      const deviceId = `00-DB-00-00-00-00-00-0${++devices}`;
      await q(
        `INSERT INTO "Device" ("deviceId", "deviceType", status, manufacturer, model, "firmwareVersion", "preNotifiedById") VALUES ($1, 'ESME', 'InstalledNotCommissioned', 'M', 'X', '1', $2)`,
        [deviceId, orgs.SFP],
      );
      await q(
        `INSERT INTO "InstallCodeRequest" (id, "deviceId", "raisedById", "raisingOrganisationId", "assignedOrganisationId", status, "raisedAt", "dueAt", "respondedAt", "installCodeEncrypted", "installCodeProvidedAt", "closedAt")
         VALUES ($1, $7, $2, $3, $4, $5, '2026-01-05T09:00:00Z', '2026-01-12T23:59:59Z', '2026-01-05T10:00:00Z', $6, '2026-01-05T10:00:00Z', NULL)`,
        [id, users.alice, orgs.NWE, events.some((e) => e.type === "REASSIGNED") ? orgs.EGP : orgs.SFP, "RESPONDED", encryptInstallCode(CODE, id), deviceId],
      );
      for (const e of events) {
        await q(
          `INSERT INTO "RequestEvent" (id, "requestId", type, at, "actorId", "actorOrganisationId", "organisationId") VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [randomUUID(), id, e.type, e.at, e.actorId ?? null, e.actorOrganisationId ?? null, e.organisationId ?? null],
        );
      }
      return id;
    };
    return { q, orgs, users, request };
  }

  async function applyTrust() {
    return migrate(conn!, readMigrations(), () => {});
  }

  it("gives each existing code to the Supplier that gave it, marks one given before a reassignment, and keeps the ciphertext readable", async () => {
    const { q, orgs, users, request } = await beforeTrust();
    const assigned = { type: "ASSIGNED", at: "2026-01-05T09:00:00Z", organisationId: orgs.SFP };
    const provided = { type: "INSTALL_CODE_PROVIDED", at: "2026-01-05T10:00:00Z", actorId: users.bob, actorOrganisationId: orgs.SFP };
    const reassigned = { type: "REASSIGNED", at: "2026-01-06T09:00:00Z", actorId: users.dana, actorOrganisationId: orgs.DCC, organisationId: orgs.EGP };
    const answered = await request([assigned, provided]);
    const movedOn = await request([assigned, provided, reassigned]);
    // No provision event (written by hand, say): the owner is who was assigned when it was given.
    const noEvent = await request([assigned, reassigned]);
    await q(`INSERT INTO "Session" (id, "sessionToken", "userId", expires) VALUES ($1, 'old-raw-token', $2, now() + interval '30 days')`, [randomUUID(), users.alice]);

    await applyTrust();

    const codes = await q<{ requestId: string; providedByOrganisationId: string; providedById: string | null; encrypted: string; reassignedAwayAt: Date | null }>(
      `SELECT "requestId", "providedByOrganisationId", "providedById", encrypted, "reassignedAwayAt" FROM "InstallCode"`,
    );
    const of = (id: string) => codes.find((c) => c.requestId === id)!;
    expect(codes).toHaveLength(3);
    expect(of(answered)).toMatchObject({ providedByOrganisationId: orgs.SFP, providedById: users.bob, reassignedAwayAt: null });
    expect(of(movedOn)).toMatchObject({ providedByOrganisationId: orgs.SFP, reassignedAwayAt: new Date("2026-01-06T09:00:00Z") });
    expect(of(noEvent)).toMatchObject({ providedByOrganisationId: orgs.SFP, providedById: null });
    for (const id of [answered, movedOn, noEvent]) expect(decryptInstallCode(of(id).encrypted, id)).toBe(CODE);
    // The requests keep what the old rules said of them.
    expect((await q<{ status: string }>(`SELECT status FROM "InstallCodeRequest" WHERE id = $1`, [movedOn]))[0]!.status).toBe("RESPONDED");
    // Every session from before is gone: its token sits in old backups and it had no absolute limit.
    expect(await q(`SELECT * FROM "Session"`)).toEqual([]);
    // And the users' kinds follow their organisations.
    expect(await q(`SELECT email, "organisationKind" FROM "User" ORDER BY email`)).toEqual([
      { email: "alice@nwe.example", organisationKind: "SUPPLIER" },
      { email: "bob@sfp.example", organisationKind: "SUPPLIER" },
      { email: "dana@dcc.example", organisationKind: "HELPDESK" },
    ]);
  });

  it("stops, naming them, when a user's role disagrees with its organisation, and changes nothing", async () => {
    const { q, orgs } = await beforeTrust();
    await q(`INSERT INTO "User" (id, email, name, role, "organisationId") VALUES ($1, 'mole@nwe.example', 'Mole', 'HELPDESK', $2)`, [randomUUID(), orgs.NWE]);
    await q(`INSERT INTO "User" (id, email, name, role, "organisationId") VALUES ($1, 'temp@dcc.example', 'Temp', 'SUPPLIER_USER', $2)`, [randomUUID(), orgs.DCC]);
    await expect(applyTrust()).rejects.toThrow(
      /mole@nwe\.example \(HELPDESK in a SUPPLIER organisation\), temp@dcc\.example \(SUPPLIER_USER in a HELPDESK organisation\)/,
    );
    expect(await q(`SELECT migration_name FROM "_prisma_migrations" WHERE migration_name = $1`, [TRUST])).toEqual([]);
    expect(await q(`SELECT role FROM "User" WHERE email = 'mole@nwe.example'`)).toEqual([{ role: "HELPDESK" }]);
    expect(await q(`SELECT to_regclass('"AuditEvent"') AS t`)).toEqual([{ t: null }]);
  });
});
