import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { database, db, openDatabase } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { env } from "@/lib/env";
import { closeSmtpConnections, dispatchDueEmails, dispatcherIdle, type DispatchOptions } from "@/lib/notifications/dispatcher";
import { CATEGORY_PRIORITY } from "@/lib/notifications/categories";
import { queueEmail } from "@/lib/notifications/outbox";
import { startSink } from "../helpers/smtp-sink";
import { closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseFresh } from "./requests/support";

// The email dispatcher under failure, against a real SMTP server on 127.0.0.1: an outage, racing
// dispatchers, a server that hangs mid-send, permanent and temporary rejections, and priorities.

const FROM = "Portal <portal@example.test>";
const message = (subject: string) => ({ subject, text: `${subject}: text`, html: `<p>${subject}</p>` });
/** Small timeouts, all shorter than the claim, as the dispatcher requires. */
const FAST: Partial<DispatchOptions> = { claimMs: 1_000, timeouts: { connectionMs: 300, greetingMs: 300, socketMs: 400 }, mailFrom: FROM };
const later = (hours: number) => () => new Date(Date.now() + hours * 3600_000);

describe("the email dispatcher under failure", () => {
  let alice: Awaited<ReturnType<typeof openSeededDatabase>>["alice"];
  let port: number;

  beforeAll(async () => {
    // The portal's own SMTP server is one that is down: the background dispatch after each raise
    // finds nothing listening (and there is no development mailbox to take the emails).
    const probe = await startSink();
    port = probe.port;
    await probe.close();
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    expect(env().smtpUrl).toBe(process.env.SMTP_URL);
    ({ alice } = await openSeededDatabase());
  });
  afterAll(async () => {
    closeSmtpConnections();
    await closeSeededDatabase();
  });
  beforeEach(async () => {
    await dispatcherIdle();
    await db().email.deleteMany();
  });

  it("keeps 50 requests' emails through an outage and delivers each once when the server is back", async () => {
    for (let i = 0; i < 50; i++) await raiseFresh(alice, "SFP");
    await dispatcherIdle();
    const queued = await db().email.findMany({ select: { to: true, subject: true, status: true, priority: true } });
    // Southfield's two people, for each of the 50 requests: assignment emails, after sign-in links only.
    expect(queued).toHaveLength(100);
    expect(queued.every((e) => e.priority === CATEGORY_PRIORITY.ASSIGNMENT)).toBe(true);
    expect(queued.every((e) => e.status === "PENDING")).toBe(true);
    // Down still: tried, refused, rescheduled; nothing lost.
    const down = await dispatchDueEmails({ ...FAST, smtpUrl: env().smtpUrl, now: later(2) });
    expect(down.sent).toBe(0);
    expect(await db().email.count({ where: { status: "PENDING", lastError: { not: null } } })).toBe(100);

    const sink = await startSink({ port });
    try {
      const up = await dispatchDueEmails({ ...FAST, smtpUrl: env().smtpUrl, now: later(4) });
      await dispatcherIdle();
      expect(up).toEqual({ sent: 100, failed: 0, cancelled: 0 });
      const delivered = sink.received.map((m) => `${m.subject} -> ${m.to && "text" in m.to ? m.to.text : ""}`);
      expect(delivered).toHaveLength(100);
      expect(new Set(delivered).size).toBe(100);
      expect(new Set(sink.received.map((m) => m.subject)).size).toBe(50);
      expect(await db().email.count({ where: { status: "SENT" } })).toBe(100);
    } finally {
      closeSmtpConnections();
      await sink.close();
    }
  });

  it("sends each email once when two dispatchers race", async () => {
    await transaction(async (tx) => {
      for (let i = 0; i < 40; i++) await queueEmail(tx, { to: `person${i}@southfield.example`, email: message(`Email ${i}`), category: "ANSWER" });
    });
    const sink = await startSink();
    // On PostgreSQL each dispatcher has its own connection pool, as separate processes would.
    const dispatchers = Array.from({ length: 2 }, () => (ON_POSTGRES ? openDatabase(database().target) : database()));
    try {
      const results = await Promise.all(dispatchers.map((d) => dispatchDueEmails({ ...FAST, smtpUrl: sink.url, database: d })));
      expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(40);
      expect(sink.received).toHaveLength(40);
      expect(new Set(sink.received.map((m) => m.subject)).size).toBe(40);
      expect(await db().email.count({ where: { status: "SENT", attempts: 1 } })).toBe(40);
    } finally {
      if (ON_POSTGRES) await Promise.all(dispatchers.map((d) => d.close()));
      closeSmtpConnections();
      await sink.close();
    }
  });

  it("does not send twice an email whose send hangs for longer than the claim", async () => {
    await transaction((tx) => queueEmail(tx, { to: "bob@southfield.example", email: message("Hanging"), category: "ANSWER" }));
    // The server takes the message, then holds its answer for twice the claim period.
    const sink = await startSink({ holdDataMs: (n) => (n === 0 ? 2 * FAST.claimMs! : 0) });
    try {
      const first = dispatchDueEmails({ ...FAST, smtpUrl: sink.url });
      // Another dispatcher, once the claim would have run out, while the first send still hangs.
      await new Promise((r) => setTimeout(r, FAST.claimMs! + 200));
      const second = await dispatchDueEmails({ ...FAST, smtpUrl: sink.url });
      expect(second).toEqual({ sent: 0, failed: 0, cancelled: 0 });
      // The first gave up waiting (its socket timeout is shorter than the claim) and will retry later.
      expect(await first).toEqual({ sent: 0, failed: 1, cancelled: 0 });
      expect(sink.arrivals).toHaveLength(1);
      const row = await db().email.findFirstOrThrow();
      expect(row).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(row.lastError).toMatch(/timeout/i);
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 10_000);
    } finally {
      closeSmtpConnections();
      await sink.close();
    }
  });

  it("fails an email at once, with the server's answer, on a permanent 5xx rejection", async () => {
    await transaction(async (tx) => {
      await queueEmail(tx, { to: "left.the.company@southfield.example", email: message("Rejected"), category: "ANSWER" });
      await queueEmail(tx, { to: "bob@southfield.example", email: message("Accepted"), category: "ANSWER" });
    });
    const sink = await startSink({ rejectRecipient: (a) => (a.startsWith("left.") ? { code: 550, message: "5.1.1 No such user here" } : undefined) });
    try {
      expect(await dispatchDueEmails({ ...FAST, smtpUrl: sink.url })).toEqual({ sent: 1, failed: 1, cancelled: 0 });
      const rejected = await db().email.findFirstOrThrow({ where: { subject: "Rejected" } });
      expect(rejected).toMatchObject({ status: "FAILED", attempts: 1 });
      expect(rejected.lastError).toContain("550 5.1.1 No such user here");
      // Not tried again, however long one waits.
      expect(await dispatchDueEmails({ ...FAST, smtpUrl: sink.url, now: later(24) })).toEqual({ sent: 0, failed: 0, cancelled: 0 });
      expect(sink.received.map((m) => m.subject)).toEqual(["Accepted"]);
    } finally {
      closeSmtpConnections();
      await sink.close();
    }
  });

  it("retries a temporary 4xx rejection with back-off, then delivers it", async () => {
    await transaction((tx) => queueEmail(tx, { to: "bob@southfield.example", email: message("Greylisted"), category: "ANSWER" }));
    let refusals = 1;
    const sink = await startSink({ rejectRecipient: () => (refusals-- > 0 ? { code: 451, message: "4.7.1 Greylisted, try again later" } : undefined) });
    try {
      const t0 = new Date();
      expect(await dispatchDueEmails({ ...FAST, smtpUrl: sink.url, now: () => t0 })).toEqual({ sent: 0, failed: 1, cancelled: 0 });
      const waiting = await db().email.findFirstOrThrow();
      expect(waiting).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(waiting.lastError).toContain("451");
      // Between half and all of the first 30 s back-off.
      expect(waiting.nextAttemptAt.getTime() - t0.getTime()).toBeGreaterThanOrEqual(15_000);
      expect(waiting.nextAttemptAt.getTime() - t0.getTime()).toBeLessThanOrEqual(30_000 + 1_000);
      expect(await dispatchDueEmails({ ...FAST, smtpUrl: sink.url, now: () => t0 })).toEqual({ sent: 0, failed: 0, cancelled: 0 });
      expect(await dispatchDueEmails({ ...FAST, smtpUrl: sink.url, now: later(1) })).toEqual({ sent: 1, failed: 0, cancelled: 0 });
      expect(sink.received.map((m) => m.subject)).toEqual(["Greylisted"]);
    } finally {
      closeSmtpConnections();
      await sink.close();
    }
  });

  it("sends a sign-in link before a backlog of 1,000 pending emails, and request emails before reminders", async () => {
    await transaction(async (tx) => {
      for (let i = 0; i < 500; i++) await queueEmail(tx, { to: `reminded${i}@southfield.example`, email: message(`Reminder ${i}`), category: "REMINDER" });
      for (let i = 0; i < 500; i++) await queueEmail(tx, { to: `assigned${i}@southfield.example`, email: message(`Assigned ${i}`), category: "ASSIGNMENT" });
    });
    await transaction((tx) => queueEmail(tx, { to: "alice@northwind.example", email: message("Sign in"), category: "SIGN_IN" }));
    const sink = await startSink();
    try {
      expect(await dispatchDueEmails({ ...FAST, smtpUrl: sink.url })).toEqual({ sent: 1001, failed: 0, cancelled: 0 });
      // In the first batch (one claim, sent over the pool's connections at once).
      expect(sink.arrivals.indexOf("alice@northwind.example")).toBeLessThan(4);
      // The assignment emails, queued after the reminders, still all go before them (give or take
      // the one batch that holds the last of them and the first reminders).
      const lastAssigned = sink.arrivals.findLastIndex((a) => a.startsWith("assigned"));
      const firstReminder = sink.arrivals.findIndex((a) => a.startsWith("reminded"));
      expect(lastAssigned).toBeLessThan(firstReminder + 4);
    } finally {
      closeSmtpConnections();
      await sink.close();
    }
  }, 60_000);
});
