import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { database, db, openDatabase } from "@/lib/db/client";
import { addNote } from "@/lib/requests/add-note";
import { closeRequest } from "@/lib/requests/close-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { runSlaScan } from "@/lib/sla/scheduler";
import { dispatchDueWebhooks, MAX_ATTEMPTS, webhookDispatcherIdle } from "@/lib/webhooks/dispatcher";
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, MAX_ENDPOINTS } from "@/lib/webhooks/endpoints";
import { queueWebhookEvents, queueWebhooks, webhookPayloadSchema } from "@/lib/webhooks/queue";
import { startReceiver, verifiedWithWebCrypto, type ReceivedWebhook } from "../helpers/webhook-receiver";
import { addDevice, closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh, requestRow } from "./requests/support";

// Webhooks end to end on a real database: the use cases queue deliveries in their own transactions,
// the dispatcher posts them to a real HTTP server on 127.0.0.1 (allowed outside production), and the
// receiver checks the signatures with WebCrypto, an implementation the portal's signer shares nothing
// with. Each use case kicks the dispatcher after its commit; the tests wait for it to be idle.

const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
const BARE_CODE = "83FED3407A939723A5C639B26916D505";
const NEW_CODE = "00112233445566778899AABBCCDDEEFF";
const RAISED = new Date("2026-11-02T10:00:00Z");
const AFTER_DUE = new Date("2026-11-10T00:00:00Z");

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

describe(`webhooks (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor;
  let bob: Actor;
  let erin: Actor;
  let dana: Actor;
  /** Bob's colleague at Southfield: any user of the organisation manages its endpoints. */
  let bea: Actor;
  let orgs: Record<string, string>;
  const receivers: Receiver[] = [];

  async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
    const started = await startReceiver(...args);
    receivers.push(started);
    return started;
  }

  const json = (hook: ReceivedWebhook) => JSON.parse(hook.body) as { id: string; type: string; timestamp: string; data: Record<string, string> };

  /** The event types and references an endpoint received, in order. */
  const eventsOf = (hooks: ReceivedWebhook[]) => hooks.map((h) => `${json(h).type} ${json(h).data.reference}`);

  beforeAll(async () => {
    ({ alice, bob, erin, dana, bea, orgs } = await openSeededDatabase());
  });
  afterEach(async () => {
    await webhookDispatcherIdle();
    for (const r of receivers.splice(0)) await r.close();
    await db().webhookDelivery.deleteMany();
    await db().webhookEndpoint.deleteMany();
  });
  afterAll(async () => {
    await webhookDispatcherIdle();
    await closeSeededDatabase();
  });

  describe("registering an endpoint", () => {
    it("shows the secret once, keeps it only encrypted, and records who added it in the audit log (the address's origin only)", async () => {
      const { secret, endpoint } = await createWebhookEndpoint(bob, { url: "http://hooks.test/hooks/abc?token=t0k3n", description: "Billing system" });
      expect(secret).toMatch(/^whsec_/);
      expect(endpoint.events).toEqual([
        "request.assigned",
        "request.answered",
        "request.note_added",
        "request.closed",
        "request.reassigned",
        "request.breached",
        "request.declined",
        "request.closed_not_possible",
      ]);
      const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      expect(row.organisationId).toBe(orgs.SFP);
      expect(row.createdById).toBe(bob.userId);
      expect(row.encryptedSecret).toMatch(/^v2\.[0-9a-f]{8}\./);
      expect(JSON.stringify(row)).not.toContain(secret.slice(6));
      // The list never shows the secret again.
      const [listed] = await listWebhookEndpoints(bob);
      expect(listed).toMatchObject({ id: endpoint.id, url: "http://hooks.test/hooks/abc?token=t0k3n", description: "Billing system", recentDeliveries: [] });
      expect(JSON.stringify(listed)).not.toContain(secret.slice(6));
      const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "WEBHOOK_ENDPOINT_CREATED" }, orderBy: { sequence: "desc" } });
      expect(audit).toMatchObject({ actorUserId: bob.userId, actorOrganisationCode: "SFP", subject: "SFP", detail: `http://hooks.test (endpoint ${endpoint.id})` });
    });

    it("takes only the events chosen, and refuses none at all or an unknown one", async () => {
      const { endpoint } = await createWebhookEndpoint(bob, { url: "http://hooks.test/a", events: ["request.closed", "request.assigned", "request.closed"] });
      expect(endpoint.events).toEqual(["request.assigned", "request.closed"]);
      const none = await expectRefused(createWebhookEndpoint(bob, { url: "http://hooks.test/b", events: [] }), "VALIDATION");
      expect(none.fieldErrors.events).toEqual(["Choose at least one event to send"]);
      const unknown = await expectRefused(createWebhookEndpoint(bob, { url: "http://hooks.test/b", events: ["request.deleted"] }), "VALIDATION");
      expect(unknown.fieldErrors.events?.[0]).toMatch(/^Each event must be one of request\.assigned, /);
    });

    it("is for the organisation's administrators: Bea, a Southfield user, sees the endpoints and cannot add or delete one", async () => {
      const { endpoint } = await createWebhookEndpoint(bob, { url: "http://hooks.test/administrators-only" });
      const before = await db().webhookEndpoint.count({ where: { disabledAt: null } });
      await expectRefused(createWebhookEndpoint(bea, { url: "http://hooks.test/bea" }), "FORBIDDEN", "Only Southfield Power's administrators can register webhook endpoints: ask one of them");
      await expectRefused(deleteWebhookEndpoint(bea, { endpointId: endpoint.id }), "FORBIDDEN", "Only Southfield Power's administrators can delete webhook endpoints: ask one of them");
      expect(await db().webhookEndpoint.count({ where: { disabledAt: null } })).toBe(before);
      expect((await listWebhookEndpoints(bea)).map((e) => e.id)).toContain(endpoint.id);
      await deleteWebhookEndpoint(bob, { endpointId: endpoint.id });
    });

    it("refuses a bad address with a message for the field, the same address twice, and more than the limit", async () => {
      const bad = await expectRefused(createWebhookEndpoint(bob, { url: "https://user:pw@hooks.example.com/" }), "VALIDATION");
      expect(bad.fieldErrors.url?.[0]).toMatch(/^Remove the user name and password/);
      await createWebhookEndpoint(bob, { url: "http://hooks.test/same" });
      const twice = await expectRefused(createWebhookEndpoint(bob, { url: "http://hooks.test/same" }), "VALIDATION");
      expect(twice.fieldErrors.url).toEqual(["Your organisation already has an endpoint at this address"]);
      // Another organisation may use the same address.
      await createWebhookEndpoint(alice, { url: "http://hooks.test/same" });
      for (let i = 1; i < MAX_ENDPOINTS; i++) await createWebhookEndpoint(bob, { url: `http://hooks.test/n${i}` });
      await expectRefused(
        createWebhookEndpoint(bob, { url: "http://hooks.test/one-more" }),
        "CONFLICT",
        `Your organisation has ${MAX_ENDPOINTS} endpoints, the most allowed: delete one before adding another`,
      );
      expect(await db().webhookEndpoint.count({ where: { organisationId: orgs.SFP } })).toBe(MAX_ENDPOINTS);
    });

    it("is for Suppliers: the helpdesk can neither add nor list endpoints", async () => {
      const message = "Webhooks tell a Supplier's systems about its own requests: the DCC Helpdesk has none to register";
      await expectRefused(createWebhookEndpoint(dana, { url: "http://hooks.test/dcc" }), "FORBIDDEN", message);
      await expectRefused(listWebhookEndpoints(dana), "FORBIDDEN", message);
      expect(await db().webhookEndpoint.count()).toBe(0);
    });

    it("lists only the organisation's own endpoints, and another organisation cannot delete one (not found)", async () => {
      const { endpoint } = await createWebhookEndpoint(bob, { url: "http://hooks.test/sfp" });
      await createWebhookEndpoint(alice, { url: "http://hooks.test/nwe" });
      expect((await listWebhookEndpoints(bob)).map((e) => e.url)).toEqual(["http://hooks.test/sfp"]);
      expect((await listWebhookEndpoints(erin)).map((e) => e.url)).toEqual([]);
      await expectRefused(deleteWebhookEndpoint(alice, { endpointId: endpoint.id }), "NOT_FOUND", "No such endpoint: it may have been deleted already");
      await expectRefused(deleteWebhookEndpoint(bob, { endpointId: "not-a-uuid" }), "VALIDATION");
      expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).disabledAt).toBeNull();
    });
  });

  describe("queueing", () => {
    it("queues in the change's own transaction: a change that rolls back leaves no delivery", async () => {
      const hooks = await receiver();
      await createWebhookEndpoint(bob, { url: hooks.url() });
      const existing = await raiseFresh(alice, "SFP");
      await webhookDispatcherIdle();
      expect(eventsOf(hooks.received)).toEqual([`request.assigned ${existing.reference}`]);

      // A raise and a note queue their webhooks, then their emails: make the emails fail.
      await db().$executeRawUnsafe(`CREATE FUNCTION test_refuse_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'mail store down'; END $$`);
      await db().$executeRawUnsafe(`CREATE TRIGGER test_refuse_email BEFORE INSERT ON "Email" FOR EACH ROW EXECUTE FUNCTION test_refuse_email()`);
      const deviceId = await addDevice("SFP");
      try {
        await expect(raiseRequest(alice, { deviceId })).rejects.toThrow(/mail store down/);
        await expect(addNote(dana, { reference: existing.reference, body: "Any news?" })).rejects.toThrow(/mail store down/);
      } finally {
        await db().$executeRawUnsafe(`DROP TRIGGER test_refuse_email ON "Email"`);
        await db().$executeRawUnsafe(`DROP FUNCTION test_refuse_email()`);
      }
      await webhookDispatcherIdle();
      expect(await db().installCodeRequest.count({ where: { deviceId } })).toBe(0);
      expect(await db().note.count({ where: { requestId: (await requestRow(existing.reference)).id } })).toBe(0);
      expect(await db().webhookDelivery.count()).toBe(1);
      expect(hooks.received).toHaveLength(1);

      // The same raise, committed: its delivery commits with it.
      const { reference } = await raiseRequest(alice, { deviceId });
      await webhookDispatcherIdle();
      expect(eventsOf(hooks.received)).toEqual([`request.assigned ${existing.reference}`, `request.assigned ${reference}`]);
    });

    it("sends an endpoint only the events it chose", async () => {
      const hooks = await receiver();
      await createWebhookEndpoint(bob, { url: hooks.url(), events: ["request.closed"] });
      const { reference } = await raiseFresh(alice, "SFP");
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE });
      await closeRequest(alice, { reference });
      await webhookDispatcherIdle();
      expect(eventsOf(hooks.received)).toEqual([`request.closed ${reference}`]);
    });
  });

  describe("delivering", () => {
    it("posts the event, signed: the signature checks out with WebCrypto and the secret, and not with another secret", async () => {
      const hooks = await receiver();
      const { secret, endpoint } = await createWebhookEndpoint(bob, { url: hooks.url("/install-codes?source=portal") });
      const other = await createWebhookEndpoint(erin, { url: "http://hooks.test/never" });
      const before = Math.floor(Date.now() / 1000);
      const { reference, deviceId } = await raiseFresh(alice, "SFP");
      await webhookDispatcherIdle();

      expect(hooks.received).toHaveLength(1);
      const [hook] = hooks.received;
      expect(hook.method).toBe("POST");
      expect(hook.path).toBe("/install-codes?source=portal");
      expect(hook.headers["content-type"]).toBe("application/json");
      const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(json(hook)).toEqual({
        id: delivery.id,
        type: "request.assigned",
        timestamp: (await requestRow(reference)).raisedAt.toISOString(),
        data: { reference, deviceId, url: `http://portal.test/requests/${reference}` },
      });
      expect(hook.headers["webhook-id"]).toBe(delivery.id);
      const timestamp = Number(hook.headers["webhook-timestamp"]);
      expect(timestamp).toBeGreaterThanOrEqual(before);
      expect(timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
      expect(hook.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(await verifiedWithWebCrypto(secret, hook)).toBe(true);
      expect(await verifiedWithWebCrypto(other.secret, hook)).toBe(false);
      // A body changed on the way no longer matches its signature.
      expect(await verifiedWithWebCrypto(secret, { ...hook, body: hook.body.replace(reference, "RIC0000001") })).toBe(false);

      expect(delivery).toMatchObject({ status: "SENT", attempts: 1, lastStatus: 204, lastError: null, requestReference: reference, event: "ASSIGNED" });
      expect(delivery.deliveredAt).toBeInstanceOf(Date);
      const [listed] = await listWebhookEndpoints(bob);
      expect(listed.recentDeliveries.map((d) => [d.event, d.reference, d.status, d.attempts, d.lastStatus])).toEqual([["request.assigned", reference, "SENT", 1, 204]]);
    });

    it("retries a delivery the receiver refused, later, with the same webhook-id and body", async () => {
      const hooks = await receiver((_hook, count) => (count === 1 ? 500 : 200));
      const { secret, endpoint } = await createWebhookEndpoint(bob, { url: hooks.url() });
      await raiseFresh(alice, "SFP");
      await webhookDispatcherIdle();

      expect(hooks.received).toHaveLength(1);
      const waiting = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(waiting).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: 500, lastError: "HTTP 500 Internal Server Error" });
      expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
      expect((await listWebhookEndpoints(bob))[0].recentDeliveries[0]).toMatchObject({ status: "PENDING", lastStatus: 500, lastError: "HTTP 500 Internal Server Error" });

      // Not before its time.
      expect(await dispatchDueWebhooks()).toEqual({ sent: 0, failed: 0 });
      expect(hooks.received).toHaveLength(1);
      const later = new Date(waiting.nextAttemptAt.getTime() + 1);
      expect(await dispatchDueWebhooks({ now: () => later })).toEqual({ sent: 1, failed: 0 });

      expect(hooks.received).toHaveLength(2);
      const [first, second] = hooks.received;
      expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
      expect(second.body).toBe(first.body);
      expect(Number(second.headers["webhook-timestamp"])).toBe(Math.floor(later.getTime() / 1000));
      expect(await verifiedWithWebCrypto(secret, first)).toBe(true);
      expect(await verifiedWithWebCrypto(secret, second)).toBe(true);
      expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: "SENT", attempts: 2, lastStatus: 200, lastError: null });
    });

    it("counts no answer within the time allowed as a failure, and tries again", async () => {
      const hooks = await receiver((_hook, count) => (count === 1 ? "hang" : 200));
      const { endpoint } = await createWebhookEndpoint(bob, { url: hooks.url() });
      // Queued without the use case's kick, so that this test's dispatcher makes the first attempt.
      await db().$transaction((tx) => queueWebhooks(tx, { event: "ASSIGNED", organisationIds: [orgs.SFP], reference: "RIC0000042", deviceId: "00-DB-12-34-56-78-90-A0", at: new Date() }));
      const started = Date.now();
      expect(await dispatchDueWebhooks({ timeoutMs: 300 })).toEqual({ sent: 0, failed: 1 });
      expect(Date.now() - started).toBeLessThan(5_000);
      const waiting = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(waiting).toMatchObject({ status: "PENDING", attempts: 1, lastStatus: null, lastError: "No answer within 0.3 seconds" });

      expect(await dispatchDueWebhooks({ now: () => new Date(waiting.nextAttemptAt.getTime() + 1), timeoutMs: 300 })).toEqual({ sent: 1, failed: 0 });
      expect(hooks.received.map((h) => h.headers["webhook-id"])).toEqual([waiting.id, waiting.id]);
    });

    it("does not follow a redirect", async () => {
      const hooks = await receiver((hook) => (hook.path === "/moved" ? { redirect: "/elsewhere" } : 200));
      const { endpoint } = await createWebhookEndpoint(bob, { url: hooks.url("/moved") });
      await raiseFresh(alice, "SFP");
      await webhookDispatcherIdle();
      expect(hooks.received.map((h) => h.path)).toEqual(["/moved"]);
      expect(await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } })).toMatchObject({
        status: "PENDING",
        lastStatus: 302,
        lastError: "HTTP 302: a redirect, which is not followed (register the address it points to)",
      });
    });

    it(`gives up after ${MAX_ATTEMPTS} attempts and marks the delivery failed`, async () => {
      // A port on the loopback that nothing listens on any more: the connection is refused.
      const gone = await startReceiver();
      const url = gone.url("/down");
      await gone.close();
      const { endpoint } = await createWebhookEndpoint(bob, { url });
      await db().$transaction((tx) => queueWebhooks(tx, { event: "ASSIGNED", organisationIds: [orgs.SFP], reference: "RIC0000042", deviceId: "00-DB-12-34-56-78-90-A0", at: new Date() }));
      let now = new Date();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        expect(await dispatchDueWebhooks({ now: () => now })).toEqual({ sent: 0, failed: 1 });
        const row = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
        expect(row.attempts).toBe(attempt);
        expect(row.status).toBe(attempt === MAX_ATTEMPTS ? "FAILED" : "PENDING");
        expect(row.lastError).toBe("Connection refused (ECONNREFUSED)");
        now = new Date(row.nextAttemptAt.getTime() + 1);
      }
      expect(await dispatchDueWebhooks({ now: () => new Date(now.getTime() + 365 * 86_400_000) })).toEqual({ sent: 0, failed: 0 });
    });

    it("posts each delivery once when several dispatchers run at once", async () => {
      const hooks = await receiver(() => 200);
      await createWebhookEndpoint(bob, { url: hooks.url("/a") });
      await createWebhookEndpoint(bob, { url: hooks.url("/b") });
      // A batch, as a bulk raise would queue it: 15 events for Southfield's two endpoints, and one for
      // Eastgate, which has none.
      const batch = Array.from({ length: 15 }, (_, i) => ({
        event: "ASSIGNED" as const,
        organisationIds: [orgs.SFP],
        reference: `RIC${String(100 + i).padStart(7, "0")}`,
        deviceId: "00-DB-12-34-56-78-90-A0",
        at: new Date(),
      }));
      const queued = await db().$transaction((tx) =>
        queueWebhookEvents(tx, [...batch, { ...batch[0], organisationIds: [orgs.EGP], reference: "RIC0000999" }]),
      );
      expect(queued).toBe(30);
      // On PostgreSQL each dispatcher has its own connection pool, as separate processes would.
      const dispatchers = Array.from({ length: 3 }, () => (ON_POSTGRES ? openDatabase(database().target) : database()));
      try {
        const results = await Promise.all(dispatchers.map((d) => dispatchDueWebhooks({ database: d })));
        expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(30);
      } finally {
        if (ON_POSTGRES) await Promise.all(dispatchers.map((d) => d.close()));
      }
      const ids = hooks.received.map((h) => h.headers["webhook-id"]);
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
      expect(await db().webhookDelivery.count({ where: { status: "SENT", attempts: 1 } })).toBe(30);
    });
  });

  describe("who is told what", () => {
    it("tells each organisation only of its own requests, the events of the issue, with no code, note, reason or secret in any payload", async () => {
      const hooks = await receiver(() => 200);
      const nwe = await createWebhookEndpoint(alice, { url: hooks.url("/nwe") });
      const sfp = await createWebhookEndpoint(bob, { url: hooks.url("/sfp") });
      const egp = await createWebhookEndpoint(erin, { url: hooks.url("/egp") });
      const NOTES = ["Consumer moved in on Monday", "Label photo attached to our ticket", "Chasing this for the Consumer", "Helpdesk looking into it"];
      const REASON = "Eastgate installed it, per the MOP";

      // R1: Northwind raises, Southfield is assigned; notes both ways and from the helpdesk; Southfield
      // answers; the helpdesk reassigns to Eastgate, which answers; Northwind closes.
      const r1 = await raiseFresh(alice, "SFP", { note: NOTES[0] });
      await addNote(bob, { reference: r1.reference, body: NOTES[1] });
      await addNote(alice, { reference: r1.reference, body: NOTES[2] });
      await addNote(dana, { reference: r1.reference, body: NOTES[3] });
      await provideInstallCode(bob, { reference: r1.reference, installCode: LABEL_CODE });
      await reassignRequest(dana, { reference: r1.reference, organisationCode: "EGP", reason: REASON });
      await provideInstallCode(erin, { reference: r1.reference, installCode: NEW_CODE });
      await closeRequest(alice, { reference: r1.reference });
      // R2: raised by Northwind weeks ago, never answered by Southfield: breached.
      const r2 = await raiseFresh(alice, "SFP", { now: RAISED });
      await runSlaScan(AFTER_DUE);
      // R3: between Eastgate and Southfield; nothing of it goes to Northwind.
      const r3 = await raiseFresh(erin, "SFP");
      await webhookDispatcherIdle();

      const to = (path: string) => eventsOf(hooks.received.filter((h) => h.path === path)).sort();
      expect(to("/nwe")).toEqual(
        [
          `request.note_added ${r1.reference}`, // from Southfield
          `request.note_added ${r1.reference}`, // from the helpdesk
          `request.answered ${r1.reference}`, // Southfield's code
          `request.reassigned ${r1.reference}`,
          `request.answered ${r1.reference}`, // Eastgate's code
          `request.breached ${r2.reference}`,
        ].sort(),
      );
      expect(to("/sfp")).toEqual(
        [
          `request.assigned ${r1.reference}`,
          `request.note_added ${r1.reference}`, // from Northwind
          `request.note_added ${r1.reference}`, // from the helpdesk
          `request.reassigned ${r1.reference}`, // away from it
          `request.assigned ${r2.reference}`,
          `request.breached ${r2.reference}`,
          `request.assigned ${r3.reference}`,
        ].sort(),
      );
      expect(to("/egp")).toEqual([`request.assigned ${r1.reference}`, `request.closed ${r1.reference}`].sort());
      expect(hooks.received).toHaveLength(15);

      // The breach is dated when the five Working Days ran out, as on the timeline.
      const breach = hooks.received.find((h) => json(h).type === "request.breached" && h.path === "/sfp")!;
      expect(json(breach).timestamp).toBe((await requestRow(r2.reference)).dueAt.toISOString());

      // Every payload, as received and as stored: the event and the request, nothing else.
      const secrets = [nwe.secret, sfp.secret, egp.secret];
      const forbidden = [LABEL_CODE, BARE_CODE, NEW_CODE, ...NOTES, REASON, ...secrets, ...secrets.map((s) => s.slice(6)), "whsec_"];
      const stored = await db().webhookDelivery.findMany({ select: { payload: true } });
      expect(stored).toHaveLength(15);
      for (const body of [...hooks.received.map((h) => h.body), ...stored.map((s) => s.payload)]) {
        for (const text of forbidden) expect(body.toUpperCase()).not.toContain(text.toUpperCase());
        const payload = JSON.parse(body);
        expect(Object.keys(payload).sort()).toEqual(["data", "id", "timestamp", "type"]);
        expect(Object.keys(payload.data).sort()).toEqual(["deviceId", "reference", "url"]);
        // The published shape, with nothing more (strict objects).
        expect(webhookPayloadSchema.safeParse(payload).error).toBeUndefined();
      }
      for (const hook of hooks.received) {
        for (const text of forbidden) expect(JSON.stringify(hook.headers).toUpperCase()).not.toContain(text.toUpperCase());
      }
      // Each organisation's deliveries are signed with its own endpoint's secret only.
      const secretOf: Record<string, string> = { "/nwe": nwe.secret, "/sfp": sfp.secret, "/egp": egp.secret };
      for (const hook of hooks.received) {
        for (const [path, secret] of Object.entries(secretOf)) expect(await verifiedWithWebCrypto(secret, hook)).toBe(path === hook.path);
      }
    });
  });

  describe("deleting an endpoint", () => {
    it("stops its deliveries: pending ones fail, new events queue nothing, and the audit log records it", async () => {
      const hooks = await receiver(() => 503);
      const { endpoint } = await createWebhookEndpoint(bob, { url: hooks.url() });
      await raiseFresh(alice, "SFP");
      await webhookDispatcherIdle();
      expect(hooks.received).toHaveLength(1);
      const pending = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: endpoint.id } });
      expect(pending.status).toBe("PENDING");

      await deleteWebhookEndpoint(bob, { endpointId: endpoint.id });
      const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
      expect(row.disabledAt).toBeInstanceOf(Date);
      expect(row.encryptedSecret).toBeNull();
      expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
        status: "FAILED",
        lastError: "Not sent: the endpoint was deleted",
      });
      expect(await listWebhookEndpoints(bob)).toEqual([]);
      const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "WEBHOOK_ENDPOINT_DELETED" }, orderBy: { sequence: "desc" } });
      expect(audit).toMatchObject({ actorEmail: "bob@southfield.example", subject: "SFP", detail: `${new URL(hooks.url()).origin} (endpoint ${endpoint.id})` });

      const { reference } = await raiseFresh(alice, "SFP");
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE });
      await webhookDispatcherIdle();
      expect(await dispatchDueWebhooks({ now: () => new Date(Date.now() + 86_400_000) })).toEqual({ sent: 0, failed: 0 });
      expect(hooks.received).toHaveLength(1);
      expect(await db().webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(1);
      await expectRefused(deleteWebhookEndpoint(bob, { endpointId: endpoint.id }), "NOT_FOUND");
    });
  });

});
