import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { closeSmtpConnections, dispatchDueEmails, MAX_ATTEMPTS } from "@/lib/notifications/dispatcher";
import { queueEmail } from "@/lib/notifications/outbox";
import { closeTestDatabase, openTestDatabase } from "../helpers/database";
import { startSink } from "../helpers/smtp-sink";

const message = { subject: "Hello", text: "Plain text body", html: "<p>HTML body</p>" };
const FROM = "Portal <portal@example.test>";

describe("the email outbox", () => {
  beforeAll(async () => {
    await openTestDatabase();
  });
  afterAll(async () => {
    closeSmtpConnections();
    await closeTestDatabase();
  });
  beforeEach(async () => {
    await db().email.deleteMany();
  });

  it("sends nothing for a change that rolls back", async () => {
    await expect(
      transaction(async (tx) => {
        await queueEmail(tx, { to: "bob@southfield.example", email: message, category: "ANSWER" });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().email.count()).toBe(0);
  });

  it("delivers a queued email through SMTP and marks it sent", async () => {
    const sink = await startSink();
    try {
      await transaction((tx) => queueEmail(tx, { to: "bob@southfield.example", email: message, category: "ANSWER" }));
      expect(await dispatchDueEmails({ smtpUrl: sink.url, mailFrom: FROM })).toEqual({ sent: 1, failed: 0, cancelled: 0 });
      expect(sink.received).toHaveLength(1);
      expect(sink.received[0].subject).toBe("Hello");
      expect(sink.received[0].text?.trim()).toBe("Plain text body");
      expect(sink.received[0].to && "text" in sink.received[0].to ? sink.received[0].to.text : "").toBe("bob@southfield.example");
      const row = await db().email.findFirstOrThrow();
      expect(row.status).toBe("SENT");
      expect(row.sentAt).toBeInstanceOf(Date);
      // Sent once only.
      expect(await dispatchDueEmails({ smtpUrl: sink.url, mailFrom: FROM })).toEqual({ sent: 0, failed: 0, cancelled: 0 });
      expect(sink.received).toHaveLength(1);
    } finally {
      await sink.close();
    }
  });

  it("keeps an email through an SMTP outage and delivers it when the server is back", async () => {
    await transaction((tx) => queueEmail(tx, { to: "bob@southfield.example", email: message, category: "ANSWER" }));
    const t0 = new Date();
    // Nothing listens on port 9 of the loopback: the connection is refused.
    const down = await dispatchDueEmails({ smtpUrl: "smtp://127.0.0.1:9", mailFrom: FROM, now: () => t0 });
    expect(down).toEqual({ sent: 0, failed: 1, cancelled: 0 });
    const waiting = await db().email.findFirstOrThrow();
    expect(waiting.status).toBe("PENDING");
    expect(waiting.attempts).toBe(1);
    expect(waiting.lastError).toBeTruthy();
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(t0.getTime());

    const sink = await startSink();
    try {
      // Not due yet: nothing is sent before the back-off has passed.
      expect(await dispatchDueEmails({ smtpUrl: sink.url, mailFrom: FROM, now: () => t0 })).toEqual({ sent: 0, failed: 0, cancelled: 0 });
      const later = new Date(waiting.nextAttemptAt.getTime() + 1);
      expect(await dispatchDueEmails({ smtpUrl: sink.url, mailFrom: FROM, now: () => later })).toEqual({ sent: 1, failed: 0, cancelled: 0 });
      expect(sink.received.map((m) => m.subject)).toEqual(["Hello"]);
    } finally {
      await sink.close();
    }
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and marks the email failed`, async () => {
    await transaction((tx) => queueEmail(tx, { to: "bob@southfield.example", email: message, category: "ANSWER" }));
    let now = new Date();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const at = now;
      expect(await dispatchDueEmails({ smtpUrl: "smtp://127.0.0.1:9", mailFrom: FROM, now: () => at })).toEqual({ sent: 0, failed: 1, cancelled: 0 });
      now = new Date((await db().email.findFirstOrThrow()).nextAttemptAt.getTime() + 1);
    }
    const row = await db().email.findFirstOrThrow();
    expect(row.status).toBe("FAILED");
    expect(row.attempts).toBe(MAX_ATTEMPTS);
  });

  it("marks an email delivered to the development mailbox when no SMTP server is configured", async () => {
    await transaction((tx) => queueEmail(tx, { to: "alice@northwind.example", email: message, category: "ANSWER" }));
    expect(await dispatchDueEmails({ smtpUrl: undefined, mailFrom: FROM })).toEqual({ sent: 1, failed: 0, cancelled: 0 });
    expect((await db().email.findFirstOrThrow()).status).toBe("SENT");
  });

  it("keeps an email waiting, never 'sent', when there is neither an SMTP server nor a development mailbox", async () => {
    await transaction((tx) => queueEmail(tx, { to: "alice@northwind.example", email: message, category: "ANSWER" }));
    expect(await dispatchDueEmails({ smtpUrl: undefined, keepInMailbox: false, mailFrom: FROM })).toEqual({ sent: 0, failed: 0, cancelled: 0 });
    expect(await db().email.findFirstOrThrow()).toMatchObject({ status: "PENDING", attempts: 0, sentAt: null });
  });
});
