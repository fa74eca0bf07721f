import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { closeSmtpConnections, dispatchDueEmails } from "@/lib/notifications/dispatcher";
import { markStopping } from "@/lib/ops/stopping";
import { startSink } from "../helpers/smtp-sink";
import { closeSeededDatabase, openSeededDatabase } from "./requests/support";

// A process that is stopping (SIGTERM) claims no new emails: the ones waiting stay in the outbox,
// untouched, for the other instances or the next start. Found by the load-and-fault test, where a
// stopping instance went on claiming the emails the other instance kept queuing and never finished.
// Its own file: the stopping mark is the whole process's.

beforeAll(async () => {
  await openSeededDatabase();
});
afterAll(async () => {
  closeSmtpConnections();
  await closeSeededDatabase();
});

it("a stopping process sends no email it has not already claimed, and leaves them for others", async () => {
  const sink = await startSink();
  try {
    await db().email.deleteMany();
    for (let i = 0; i < 6; i++) {
      await db().email.create({ data: { to: "bob@southfield.example", subject: `Waiting ${i}`, text: "t", html: "<p>t</p>", messageId: `<stopping-${i}@portal.test>` } });
    }
    markStopping();
    const result = await dispatchDueEmails({ smtpUrl: sink.url, mailFrom: "portal@example.test" });
    expect(result).toEqual({ sent: 0, failed: 0, cancelled: 0 });
    expect(sink.received).toHaveLength(0);
    const left = await db().email.findMany({ select: { status: true, attempts: true } });
    expect(left).toHaveLength(6);
    expect(left.every((e) => e.status === "PENDING" && e.attempts === 0)).toBe(true);
  } finally {
    await sink.close();
  }
});
