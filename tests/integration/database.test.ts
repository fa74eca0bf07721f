import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { DEMO_ORGANISATIONS, DEMO_USERS, isEmpty, seedDemoData } from "@/lib/db/seed";
import { createEmptyDatabase } from "../helpers/database";

describe(`a fresh database (${process.env.TEST_DATABASE_URL ? "PostgreSQL server" : "embedded"})`, () => {
  let database: Database;

  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it("is migrated from nothing to the current schema, each migration recorded once", async () => {
    const migrations = readMigrations();
    const conn = await database.connect();
    try {
      const result = await migrate(conn, migrations);
      expect(result.applied).toEqual(migrations.map((m) => m.name));
      const again = await migrate(conn, migrations);
      expect(again).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });
      const rows = await conn.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    } finally {
      await conn.release();
    }
    // The Prisma client works against the migrated tables.
    expect(await isEmpty(database.client)).toBe(true);
  });

  it("is seeded with the demo organisations and users, and seeding twice changes nothing", async () => {
    await seedDemoData(database.client);
    const snapshot = async () => ({
      organisations: await database.client.organisation.findMany({ orderBy: { code: "asc" } }),
      users: await database.client.user.findMany({ orderBy: { email: "asc" } }),
    });
    const first = await snapshot();
    expect(first.organisations.map((o) => [o.code, o.name, o.kind])).toEqual(
      [...DEMO_ORGANISATIONS].sort((a, b) => a.code.localeCompare(b.code)).map((o) => [o.code, o.name, o.kind]),
    );
    expect(first.users.map((u) => u.email)).toEqual(DEMO_USERS.map((u) => u.email).sort());
    const dana = first.users.find((u) => u.email === "dana@dcc.example")!;
    expect(dana.role).toBe("HELPDESK");
    expect(first.organisations.find((o) => o.id === dana.organisationId)?.code).toBe("DCC");

    await seedDemoData(database.client);
    expect(await snapshot()).toEqual(first);
  });
});
