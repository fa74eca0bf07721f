import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { closeTestDatabase, openTestDatabase } from "../helpers/database";

// openTestDatabase() copies the run's migrated template (docs/decisions/032): each copy must be
// exactly "every migration applied", and what one test writes must never reach another's database.

describe("the test databases", () => {
  afterAll(closeTestDatabase);

  it("have every migration applied, and nothing else to apply", async () => {
    const database = await openTestDatabase();
    const recorded = await db().$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`;
    expect(recorded.map((row) => row.migration_name)).toEqual(readMigrations().map((m) => m.name));
    const conn = await database.connect();
    try {
      expect((await migrate(conn, readMigrations())).applied).toEqual([]);
    } finally {
      await conn.release();
    }
    await closeTestDatabase();
  });

  it("are each a copy of their own: what one test wrote is not in the next", async () => {
    await openTestDatabase();
    await db().organisation.create({ data: { code: "ZZT", name: "Template Check Ltd", kind: "SUPPLIER" } });
    expect(await db().organisation.count({ where: { code: "ZZT" } })).toBe(1);
    await closeTestDatabase();

    await openTestDatabase();
    expect(await db().organisation.count()).toBe(0);
    await closeTestDatabase();
  });
});
