// The bench's floor: node:http + pg, no framework. GET / answers one organisation's newest page of
// requests (the hand-written keyset query, both sides of the organisation) as a small HTML table.
// Env: DATABASE_URL, PORT, BENCH_ORGANISATION_ID.
import { createServer } from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const organisationId = process.env.BENCH_ORGANISATION_ID;
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

createServer((req, res) => {
  pool
    .query<{ number: number; deviceId: string; status: string; raisedAt: Date; dueAt: Date; raising: string; assigned: string }>(SQL, [organisationId])
    .then(({ rows }) => {
      const body = rows
        .slice(0, 50)
        .map((r) => `<tr><td>RIC${String(r.number).padStart(7, "0")}</td><td>${escape(r.deviceId)}</td><td>${r.status}</td><td>${r.raisedAt.toISOString()}</td><td>${r.dueAt.toISOString()}</td><td>${escape(r.raising)}</td><td>${escape(r.assigned)}</td></tr>`)
        .join("");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!doctype html><title>Requests</title><table>${body}</table>`);
    })
    .catch((error: Error) => {
      res.writeHead(500);
      res.end(error.message);
    });
}).listen(port, "127.0.0.1", () => console.log(`baseline listening on ${port}`));
