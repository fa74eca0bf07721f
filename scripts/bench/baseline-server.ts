// The bench's floor: node:http + pg, no framework. GET / answers one organisation's newest page of
// requests (the hand-written keyset query, both sides of the organisation) as a small HTML table;
// GET /list the same page as JSON; POST /raise a bare raise (the API's floor): the Device's checks,
// the open-request check, the request, its RAISED, ASSIGNED and EMAIL_QUEUED events and one outbox
// row per user of the assignee, in one transaction, answered as JSON. No validation library, no
// permission map, no rate limit, no idempotency, no audit.
// Env: DATABASE_URL, PORT, BENCH_ORGANISATION_ID, BENCH_USER_ID.
import { createServer } from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const organisationId = process.env.BENCH_ORGANISATION_ID;
const userId = process.env.BENCH_USER_ID;
const port = Number(process.env.PORT);

const SQL = `
  SELECT r."number", r."deviceId", r."status", r."raisedAt", r."dueAt", ro."name" AS raising, ao."name" AS assigned
  FROM (
    (SELECT * FROM "InstallCodeRequest" WHERE "raisingOrganisationId" = $1 ORDER BY "raisedAt" DESC, "number" DESC LIMIT 51)
    UNION ALL
    (SELECT * FROM "InstallCodeRequest" WHERE "assignedOrganisationId" = $1 ORDER BY "raisedAt" DESC, "number" DESC LIMIT 51)
  ) r
  JOIN "Organisation" ro ON ro."id" = r."raisingOrganisationId"
  JOIN "Organisation" ao ON ao."id" = r."assignedOrganisationId"
  ORDER BY r."raisedAt" DESC, r."number" DESC LIMIT 51`;

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

type Row = { number: number; deviceId: string; status: string; raisedAt: Date; dueAt: Date; raising: string; assigned: string };

async function raise(body: string): Promise<[number, unknown]> {
  const { deviceId } = JSON.parse(body) as { deviceId: string };
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const device = (await client.query(`SELECT "deviceType", "status", "preNotifiedById" FROM "Device" WHERE "deviceId" = $1`, [deviceId])).rows[0];
    if (!device || device.status !== "InstalledNotCommissioned" || device.preNotifiedById === organisationId) {
      await client.query("ROLLBACK");
      return [422, { error: "not eligible" }];
    }
    const open = await client.query(`SELECT 1 FROM "InstallCodeRequest" WHERE "deviceId" = $1 AND "raisingOrganisationId" = $2 AND "status" <> 'CLOSED'`, [deviceId, organisationId]);
    if (open.rowCount) {
      await client.query("ROLLBACK");
      return [409, { error: "open" }];
    }
    const request = (
      await client.query(
        `INSERT INTO "InstallCodeRequest" ("id", "deviceId", "raisedById", "raisingOrganisationId", "assignedOrganisationId", "raisedAt", "dueAt")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, now(), now() + interval '7 days') RETURNING "id", "number", "status", "raisedAt", "dueAt"`,
        [deviceId, userId, organisationId, device.preNotifiedById],
      )
    ).rows[0];
    await client.query(
      `INSERT INTO "RequestEvent" ("id", "requestId", "type", "at", "actorId", "actorOrganisationId", "organisationId")
       VALUES (gen_random_uuid(), $1, 'RAISED', now(), $2, $3, NULL), (gen_random_uuid(), $1, 'ASSIGNED', now(), NULL, NULL, $4)`,
      [request.id, userId, organisationId, device.preNotifiedById],
    );
    const to = await client.query(
      `INSERT INTO "Email" ("id", "to", "subject", "html", "text", "requestId") SELECT gen_random_uuid(), "email", 'Request', '<p>Request</p>', 'Request', $1 FROM "User" WHERE "organisationId" = $2 RETURNING "to"`,
      [request.id, device.preNotifiedById],
    );
    for (const row of to.rows) {
      await client.query(`INSERT INTO "RequestEvent" ("id", "requestId", "type", "at", "organisationId", "detail") VALUES (gen_random_uuid(), $1, 'EMAIL_QUEUED', now(), $2, $3)`, [request.id, device.preNotifiedById, row.to]);
    }
    await client.query("COMMIT");
    return [201, { reference: `RIC${String(request.number).padStart(7, "0")}`, deviceId, status: request.status, raisedAt: request.raisedAt, dueAt: request.dueAt }];
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

createServer((req, res) => {
  const fail = (error: Error) => {
    res.writeHead(500);
    res.end(error.message);
  };
  if (req.method === "POST" && req.url === "/raise") {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      raise(body).then(([status, json]) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      }, fail);
    });
    return;
  }
  pool
    .query<Row>(SQL, [organisationId])
    .then(({ rows }) => {
      if (req.url === "/list") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ requests: rows.slice(0, 50).map((r) => ({ ...r, reference: `RIC${String(r.number).padStart(7, "0")}` })), nextCursor: null }));
        return;
      }
      const body = rows
        .slice(0, 50)
        .map((r) => `<tr><td>RIC${String(r.number).padStart(7, "0")}</td><td>${escape(r.deviceId)}</td><td>${r.status}</td><td>${r.raisedAt.toISOString()}</td><td>${r.dueAt.toISOString()}</td><td>${escape(r.raising)}</td><td>${escape(r.assigned)}</td></tr>`)
        .join("");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Requests</title><table>${body}</table>`);
    })
    .catch(fail);
}).listen(port, "127.0.0.1", () => console.log(`baseline listening on ${port}`));
