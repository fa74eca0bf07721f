import { createServer, type AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/keys";
import { databaseDownSince } from "@/lib/db/availability-state";
import { isDatabaseUnreachable, isPoolExhausted, stopDatabaseProbe } from "@/lib/db/availability";
import { BoundedConnectClient, closeDatabase, db, openDatabase } from "@/lib/db/client";
import { seedDemoData } from "@/lib/db/seed";
import { isAppError } from "@/lib/errors";
import { processReadinessSources, readiness } from "@/lib/ops/health";
import { raiseRequest } from "@/lib/requests/raise-request";
import { startThrowawayPostgres, type ThrowawayPostgres } from "@/scripts/support/throwaway-postgres";
import { demoActors } from "../helpers/actors";
import { migrateAndUse, serverUrl } from "../helpers/database";
import { addDevice } from "./requests/support";
import { api } from "./api/client";
import { closeSmtpConnections, dispatchDueEmails } from "@/lib/notifications/dispatcher";
import { startSink } from "../helpers/smtp-sink";
import { summariseRequest } from "@/lib/requests/list-requests";

// The database goes away and comes back (issue 12, part 3): readiness goes 503 and back, the API
// answers 503 with Retry-After and a clear message (never a 500), a use case refuses as UNAVAILABLE
// and changes nothing, and the portal recovers by itself. The test runs its own PostgreSQL server,
// which it stops and starts; it needs PostgreSQL's programs, so it runs with the PostgreSQL suite
// (TEST_DATABASE_URL set, as .ci/run does), not in `npm test` on a machine with no PostgreSQL.

describe.runIf(serverUrl())("a PostgreSQL outage", () => {
  let server: ThrowawayPostgres;
  let key = "";

  beforeAll(async () => {
    server = await startThrowawayPostgres();
    await migrateAndUse(openDatabase({ kind: "postgres", url: server.url }));
    await seedDemoData(db());
    key = (await createApiKey({ organisationCode: "NWE", name: "outage test" })).key;
  }, 120_000);

  afterAll(async () => {
    stopDatabaseProbe();
    await closeDatabase();
    server?.dispose();
  });

  const sources = () => ({ ...processReadinessSources(), dispatcherLastTick: Date.now(), runsScheduler: false });

  async function until(condition: () => Promise<boolean> | boolean, what: string, limitMs = 30_000): Promise<void> {
    const end = Date.now() + limitMs;
    while (!(await condition())) {
      if (Date.now() > end) throw new Error(`still waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it("answers 503 with Retry-After while the server is down, and recovers by itself when it returns", async () => {
    const { alice } = await demoActors();
    const before = await readiness(sources());
    expect(before.checks.database).toEqual({ ok: true, detail: "answers" });
    expect(before.ready).toBe(true);
    const deviceId = await addDevice("SFP");
    const requestsBefore = await db().installCodeRequest.count();

    await server.stop();

    // Readiness says so, naming the check, and the process now knows the database is down.
    const during = await readiness(sources());
    expect(during.ready).toBe(false);
    expect(during.checks.database.ok).toBe(false);
    expect(during.checks.database.detail).toMatch(/^unreachable|no answer/);
    expect(databaseDownSince()).not.toBeNull();

    // The API: 503, Retry-After, the error shape every client already reads; never a 500.
    const listed = await api("GET", "/api/v1/install-code-requests", { key });
    expect(listed.status).toBe(503);
    expect(listed.headers.get("retry-after")).toBe("5");
    expect(listed.json.error.code).toBe("UNAVAILABLE");
    expect(listed.json.error.message).toMatch(/cannot reach its database.*nothing was saved or changed/);
    const raised = await api("POST", "/api/v1/install-code-requests", { key, body: { deviceId } });
    expect(raised.status).toBe(503);
    expect(raised.headers.get("retry-after")).toBe("5");

    // A use case (what a page's form calls) refuses as UNAVAILABLE, with when to try again.
    const refusal = await raiseRequest(alice, { deviceId }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(isAppError(refusal) && refusal.code).toBe("UNAVAILABLE");
    expect(isAppError(refusal) && refusal.retryAfterSeconds).toBe(5);

    await server.start();

    // The probe notices by itself; nothing has to be restarted.
    await until(() => databaseDownSince() === null, "the probe to find the database again");
    const after = await readiness(sources());
    expect(after.ready).toBe(true);
    expect(await db().installCodeRequest.count()).toBe(requestsBefore);
    const retried = await api("POST", "/api/v1/install-code-requests", { key, body: { deviceId } });
    expect(retried.status).toBe(201);
    expect(retried.json.deviceId).toBe(deviceId);
    expect(await db().installCodeRequest.count()).toBe(requestsBefore + 1);
  }, 120_000);

  it("the answer to a change already committed waits for a database that went away, rather than a 503 a retry would repeat the change for", async () => {
    const { alice } = await demoActors();
    const raised = await api("POST", "/api/v1/install-code-requests", { key, body: { deviceId: await addDevice("SFP") } });
    expect(raised.status).toBe(201);
    await server.stop();
    const answer = summariseRequest(alice, raised.json.reference);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await server.start();
    expect(await answer).toMatchObject({ reference: raised.json.reference, status: "ASSIGNED" });
  }, 120_000);

  it("an email the mail server accepted just as the database went away is recorded sent when it is back, and never sent again", async () => {
    // The mail server holds its answer to the message for 1.5 s: the database is stopped meanwhile.
    const sink = await startSink({ holdDataMs: () => 1_500 });
    try {
      const email = await db().email.create({
        data: { to: "bob@southfield.example", subject: "Outage test", text: "t", html: "<p>t</p>", messageId: "<outage-test@portal.test>" },
      });
      const options = { smtpUrl: sink.url, mailFrom: "portal@example.test", claimMs: 20_000, timeouts: { connectionMs: 2_000, greetingMs: 2_000, socketMs: 5_000 } };
      const sending = dispatchDueEmails(options);
      const end = Date.now() + 10_000;
      while (sink.arrivals.length === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(sink.arrivals).toHaveLength(1);
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await server.start();
      expect(await sending).toMatchObject({ sent: 1 });
      expect(await db().email.findUniqueOrThrow({ where: { id: email.id } })).toMatchObject({ status: "SENT" });
      // Past its claim, a dispatch finds nothing to send: it went once.
      const later = await dispatchDueEmails({ ...options, now: () => new Date(Date.now() + 60_000) });
      expect(later.sent).toBe(0);
      expect(sink.received).toHaveLength(1);
    } finally {
      closeSmtpConnections();
      await sink.close();
    }
  }, 120_000);

  it("tells an overloaded pool from an unreachable server: only the second is an outage", async () => {
    // Every connection of a pool busy past its wait: pg-pool's own error.
    const pool = new pg.Pool({ connectionString: server.url, max: 1, connectionTimeoutMillis: 200 });
    const held = await pool.connect();
    const busy: unknown = await pool.connect().catch((error: unknown) => error);
    held.release();
    await pool.end();
    expect(isPoolExhausted(busy)).toBe(true);
    expect(isDatabaseUnreachable(busy)).toBe(false);

    // A server that takes the connection and never answers: the connect bound gives up.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    const client = new BoundedConnectClient({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    const lost: unknown = await client.connect().catch((error: unknown) => error);
    silent.close();
    expect(isDatabaseUnreachable(lost)).toBe(true);
    expect(isPoolExhausted(lost)).toBe(false);
  }, 30_000);
});
