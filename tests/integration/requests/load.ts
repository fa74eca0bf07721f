import { db } from "@/lib/db/client";

// Many requests, written by PostgreSQL itself (seconds, not minutes): `organisations` Suppliers
// with a user each, `devices` Devices, and `requests` requests spread over them, each raised by one
// Supplier and assigned to another, at scattered times, 30 % assigned, 30 % answered, 40 % closed.
// (device, raiser) pairs are all distinct, as the open-request index requires.

export async function loadManyRequests(options: { organisations: number; devices: number; requests: number }) {
  const { organisations, devices, requests } = options;
  if (requests > organisations * devices) throw new Error("too many requests for distinct (device, raiser) pairs");
  const client = db();
  await client.$executeRaw`INSERT INTO "Organisation" ("id", "code", "name", "kind")
    SELECT gen_random_uuid(), 'L' || lpad(g::text, 5, '0'), 'Load ' || g, 'SUPPLIER' FROM generate_series(0, ${organisations - 1}::int) g`;
  await client.$executeRaw`INSERT INTO "User" ("id", "email", "name", "role", "organisationId", "organisationKind")
    SELECT gen_random_uuid(), lower(o."code") || '@load.example', 'Load user', 'SUPPLIER_USER', o."id", 'SUPPLIER' FROM "Organisation" o WHERE o."code" LIKE 'L%'`;
  await client.$executeRaw`INSERT INTO "Device" ("deviceId", "deviceType", "status", "manufacturer", "model", "firmwareVersion", "preNotifiedById")
    SELECT '0C-00-00-00-' || upper(substr(h, 1, 2)) || '-' || upper(substr(h, 3, 2)) || '-' || upper(substr(h, 5, 2)) || '-' || upper(substr(h, 7, 2)),
           'ESME', 'InstalledNotCommissioned', 'Load', 'L', '1', (SELECT "id" FROM "Organisation" WHERE "code" LIKE 'L%' ORDER BY "code" LIMIT 1)
    FROM (SELECT lpad(to_hex(g), 8, '0') AS h FROM generate_series(0, ${devices - 1}::int) g) x`;
  await client.$executeRaw`
    WITH o AS (SELECT o."id", u."id" AS "userId", row_number() OVER (ORDER BY o."code") - 1 AS n
               FROM "Organisation" o JOIN "User" u ON u."organisationId" = o."id" WHERE o."code" LIKE 'L%'),
         d AS (SELECT "deviceId", row_number() OVER (ORDER BY "deviceId") - 1 AS n FROM "Device" WHERE "deviceId" LIKE '0C-%'),
         g AS (SELECT g, g % ${organisations}::int AS raiser, (g / ${organisations}::int) % ${devices}::int AS device,
                      timestamptz '2026-01-01 00:00:00+00' + ((g::bigint * 7919) % ${requests}::int) * interval '1 minute' AS at
               FROM generate_series(0, ${requests - 1}::int) g)
    INSERT INTO "InstallCodeRequest" ("id", "deviceId", "raisedById", "raisingOrganisationId", "assignedOrganisationId", "status", "raisedAt", "dueAt", "respondedAt", "closedAt")
    SELECT gen_random_uuid(), d."deviceId", ro."userId", ro."id", ao."id",
           (CASE WHEN g.g % 10 < 3 THEN 'ASSIGNED' WHEN g.g % 10 < 6 THEN 'RESPONDED' ELSE 'CLOSED' END)::"RequestStatus",
           g.at, g.at + interval '7 days',
           CASE WHEN g.g % 10 >= 3 THEN g.at + (g.g % 10) * interval '1 day' END,
           CASE WHEN g.g % 10 >= 6 THEN g.at + 10 * interval '1 day' END
    FROM g
    JOIN o ro ON ro.n = g.raiser
    JOIN o ao ON ao.n = (g.raiser + 1 + (g.g / ${organisations}::int) % ${organisations - 1}::int) % ${organisations}::int
    JOIN d ON d.n = g.device`;
  await client.$executeRaw`ANALYZE`;
}
