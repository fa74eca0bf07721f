import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database as processDatabase, db, setDatabase, type Database } from "@/lib/db/client";
import { readMigrations } from "@/lib/db/migrate";
import { seedDemoData } from "@/lib/db/seed";
import { transaction } from "@/lib/db/transaction";
import type { DispatchResult } from "@/lib/notifications/dispatcher";
import { queueEmail } from "@/lib/notifications/outbox";
import type { RaiseResult } from "@/lib/requests/raise-request";
import { parseReference } from "@/lib/requests/reference";
import type { ScanResult } from "@/lib/sla/scheduler";
import type { Actor } from "@/lib/auth/actor";
import { closeTestDatabase, createEmptyDatabase, serverUrl } from "../helpers/database";
import { both, resultOf, startPair, type Instance } from "../helpers/instances";
import { startSink } from "../helpers/smtp-sink";
import { addDevice, closeSeededDatabase, openSeededDatabase } from "./requests/support";

// docs/deployment.md, "Several instances on one PostgreSQL": what must happen once happens once when
// two portal processes share one database. Each instance is a Node process of its own
// (tests/helpers/instance-process.ts: its own connection pool, dispatcher and module state, the
// database opened from DATABASE_URL as `npm run serve` opens it), and the two are given the same
// command at the same moment. Only a PostgreSQL server can be shared by two processes (the embedded
// database belongs to one), so without TEST_DATABASE_URL there is nothing here to run.

function urlOf(database: Database): string {
  if (database.target.kind !== "postgres") throw new Error("instances need a PostgreSQL database");
  return database.target.url;
}

async function stopAll(instances: Instance[]): Promise<void> {
  await Promise.all(instances.map((instance) => instance.stop()));
}

describe.runIf(serverUrl())("two instances on one PostgreSQL database (needs TEST_DATABASE_URL)", () => {
  describe("starting together on an empty database", () => {
    let database: Database;
    let instances: Instance[] = [];

    beforeAll(async () => {
      // The test's own connections read it once the instances have prepared it.
      database = await createEmptyDatabase();
      setDatabase(database);
    });
    afterAll(async () => {
      await stopAll(instances);
      await closeTestDatabase(); // drops it, WITH (FORCE)
    });

    it("runs each migration once; the other instance waits and finds nothing to do; the schema works", async () => {
      const env = { DATABASE_URL: urlOf(database) };
      instances = await startPair(env);
      const [a, b] = instances;
      const replies = await both(a, b, { action: "prepare" });

      const migrations = readMigrations().map((m) => m.name);
      const summaries = replies.map((reply) => resultOf<{ lines: string[] }>(reply).lines.at(-1)).sort();
      expect(summaries).toEqual([
        `Database ready: 0 migration(s) applied, ${migrations.length} already applied`,
        `Database ready: ${migrations.length} migration(s) applied, 0 already applied`,
      ]);

      const recorded = await db().$queryRaw<{ migration_name: string; times: number; finished: number }[]>`
        SELECT migration_name, count(*)::int AS times, count(finished_at)::int AS finished
        FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`;
      expect(recorded).toEqual(migrations.map((name) => ({ migration_name: name, times: 1, finished: 1 })));
      // With DATABASE_URL set, starting is not demo mode: no demo organisations or people were made.
      expect(await db().organisation.count()).toBe(0);
      expect(await db().user.count()).toBe(0);

      // The migrated schema takes a raise through an instance, as a server would make it.
      await seedDemoData(db());
      const deviceId = await addDevice("SFP");
      const raised = resultOf<RaiseResult>(await a.send({ action: "raise", email: "alice@northwind.example", deviceId }));
      expect(raised.created).toBe(true);
      expect(await db().installCodeRequest.count({ where: { deviceId } })).toBe(1);

      expect(await Promise.all(instances.map((instance) => instance.stop()))).toEqual([0, 0]);
    });
  });

  describe("serving together on one database", () => {
    let sink: Awaited<ReturnType<typeof startSink>>;
    let instances: Instance[] = [];
    let a: Instance;
    let b: Instance;
    let alice: Actor;
    let amir: Actor;

    beforeAll(async () => {
      // Each answer to DATA held a little: a dispatcher's batch is still being sent when the other claims.
      sink = await startSink({ holdDataMs: () => 20 });
      ({ alice, amir } = await openSeededDatabase());
      const env = { DATABASE_URL: urlOf(processDatabase()), SMTP_URL: sink.url };
      instances = await startPair(env);
      [a, b] = instances;
    });
    afterAll(async () => {
      await stopAll(instances);
      await closeSeededDatabase();
      await sink?.close();
    });

    /** Lets both instances' background deliveries finish, then dispatches in both until nothing is due. */
    async function deliverEverything(): Promise<void> {
      await both(a, b, { action: "idle" });
      for (let round = 0; round < 5 && (await db().email.count({ where: { status: "PENDING" } })) > 0; round++) {
        await both(a, b, { action: "dispatch" });
      }
    }

    /** Every email row was sent, and reached the SMTP server exactly once; each request's timeline says so once. */
    async function expectEachEmailSentOnce(): Promise<void> {
      await deliverEverything();
      const rows = await db().email.findMany({ select: { messageId: true, status: true, requestId: true, requestIds: true } });
      expect(rows.filter((row) => row.status !== "SENT")).toEqual([]);
      const times = new Map<string, number>();
      for (const mail of sink.received) times.set(mail.messageId ?? "none", (times.get(mail.messageId ?? "none") ?? 0) + 1);
      expect([...times.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect([...times.keys()].sort()).toEqual(rows.map((row) => row.messageId).sort());
      const sentEvents = await db().requestEvent.count({ where: { type: "EMAIL_SENT" } });
      expect(sentEvents).toBe(rows.reduce((n, row) => n + (row.requestId ? 1 : row.requestIds.length), 0));
    }

    async function assignmentAddresses(requestId: string): Promise<string[]> {
      return (await db().email.findMany({ where: { requestId, category: "ASSIGNMENT" }, select: { to: true } })).map((e) => e.to).sort();
    }

    it("a raise of one Device in both at once makes one request: one instance raises it, the other is told it is already open", async () => {
      // A Device raised on its own first: the addresses one raise's assignment email goes to.
      const alone = resultOf<RaiseResult>(await a.send({ action: "raise", email: alice.email, deviceId: await addDevice("SFP") }));
      const aloneRequest = await db().installCodeRequest.findUniqueOrThrow({ where: { number: parseReference(alone.reference)! } });
      const recipients = await assignmentAddresses(aloneRequest.id);
      expect(recipients.length).toBeGreaterThan(0);

      for (let round = 0; round < 10; round++) {
        const deviceId = await addDevice("SFP");
        const replies = await both(a, b, { action: "raise", email: alice.email, deviceId }, { action: "raise", email: amir.email, deviceId });
        const [fromA, fromB] = replies.map((reply) => resultOf<RaiseResult>(reply));
        // Exactly one raised it; the other got the open request's reference (the API's 409), not an error.
        expect([fromA.created, fromB.created].sort()).toEqual([false, true]);
        expect(fromA.reference).toBe(fromB.reference);

        const requests = await db().installCodeRequest.findMany({ where: { deviceId } });
        expect(requests).toHaveLength(1);
        const [request] = requests;
        expect(request.raisedById).toBe(fromA.created ? alice.userId : amir.userId);
        const events = await db().requestEvent.findMany({ where: { requestId: request.id, type: { in: ["RAISED", "ASSIGNED", "EMAIL_QUEUED"] } } });
        expect(events.filter((e) => e.type === "RAISED")).toHaveLength(1);
        expect(events.filter((e) => e.type === "ASSIGNED")).toHaveLength(1);
        expect(events.filter((e) => e.type === "EMAIL_QUEUED").map((e) => e.detail).sort()).toEqual(recipients);
        expect(await assignmentAddresses(request.id)).toEqual(recipients);
      }
      await expectEachEmailSentOnce();
    });

    it("60 queued emails, dispatched by both instances at once: each reaches the SMTP server once and is marked sent", async () => {
      const raised = resultOf<RaiseResult>(await a.send({ action: "raise", email: alice.email, deviceId: await addDevice("SFP") }));
      const request = await db().installCodeRequest.findUniqueOrThrow({ where: { number: parseReference(raised.reference)! } });
      await deliverEverything();
      const before = sink.received.length;

      // Written as every use case writes them: queued in a transaction, with a Message-ID, about the request.
      await transaction(async (tx) => {
        for (let i = 0; i < 60; i++) {
          const n = String(i).padStart(2, "0");
          await queueEmail(tx, {
            to: `reader-${n}@example.test`,
            email: { subject: `${raised.reference}: notice ${n}`, text: `Notice ${n}`, html: `<p>Notice ${n}</p>` },
            category: "ANSWER",
            about: request.id,
          });
        }
      });
      const replies = await both(a, b, { action: "dispatch" });
      const [byA, byB] = replies.map((reply) => resultOf<DispatchResult>(reply));
      expect(byA.sent + byB.sent).toBe(60);
      // Both took part (a batch is claimed four at a time and each send is held): the race was real.
      expect(byA.sent).toBeGreaterThan(0);
      expect(byB.sent).toBeGreaterThan(0);
      expect(byA.failed + byB.failed + byA.cancelled + byB.cancelled).toBe(0);

      const arrived = sink.received.slice(before).map((mail) => mail.subject ?? "");
      expect(arrived.filter((subject) => subject.startsWith(`${raised.reference}: notice `)).sort()).toEqual(
        Array.from({ length: 60 }, (_, i) => `${raised.reference}: notice ${String(i).padStart(2, "0")}`),
      );
      await expectEachEmailSentOnce();
    });

    it("the reminder and breach scan run by both at once (with and without its lock) sends one notice per request", async () => {
      // Raised Monday 3 November 2025 (GMT): due by the end of Monday 10 November, reminded from
      // the start of Friday 7 November. The requests of the other tests, raised now, are not yet due.
      const raisedAt = "2025-11-03T10:00:00.000Z";
      const requestIds: string[] = [];
      for (let i = 0; i < 6; i++) {
        const raised = resultOf<RaiseResult>(await (i % 2 ? b : a).send({ action: "raise", email: alice.email, deviceId: await addDevice("SFP"), now: raisedAt }));
        requestIds.push((await db().installCodeRequest.findUniqueOrThrow({ where: { number: parseReference(raised.reference)! } })).id);
      }

      const reminders = (await both(a, b, { action: "scan", now: "2025-11-07T12:00:00.000Z" })).map((r) => resultOf<ScanResult>(r));
      expect(reminders.reduce((n, r) => n + r.reminders, 0)).toBe(6);
      // Without the lock both scan every request: the unique notice row alone decides who sends.
      const breaches = (await both(a, b, { action: "scan", now: "2025-11-11T12:00:00.000Z", lock: false })).map((r) => resultOf<ScanResult>(r));
      expect(breaches.reduce((n, r) => n + r.breaches, 0)).toBe(6);

      const emailsOf = async (requestId: string, category: "REMINDER" | "BREACH") =>
        (await db().email.findMany({ where: { requestId, category }, select: { to: true } })).map((e) => e.to).sort();
      const firstBreachAddresses = await emailsOf(requestIds[0], "BREACH");
      expect(new Set(firstBreachAddresses).size).toBe(firstBreachAddresses.length);
      for (const requestId of requestIds) {
        const notices = await db().slaNotice.findMany({ where: { requestId }, select: { kind: true } });
        expect(notices.map((n) => n.kind).sort()).toEqual(["BREACH", "REMINDER"]);
        expect(await db().requestEvent.count({ where: { requestId, type: "BREACHED" } })).toBe(1);
        const remindersTo = await emailsOf(requestId, "REMINDER");
        expect(remindersTo.length).toBeGreaterThan(0);
        expect(new Set(remindersTo).size).toBe(remindersTo.length);
        expect(await emailsOf(requestId, "BREACH")).toEqual(firstBreachAddresses);
      }
      await expectEachEmailSentOnce();
    });
  });
});
