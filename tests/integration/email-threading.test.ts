import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { dispatchDueEmails, dispatcherIdle } from "@/lib/notifications/dispatcher";
import { addNote } from "@/lib/requests/add-note";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { startSink } from "../helpers/smtp-sink";
import { closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseFresh } from "./requests/support";

// One request's emails to one person thread together in a mail client (issue 10, part 4): each has
// its own Message-ID, and every later one names the first and the previous in References and
// In-Reply-To. Delivered through a real SMTP server and read back as the mail client would.

describe(`email threading (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;
  beforeAll(async () => {
    people = await openSeededDatabase();
    await dispatcherIdle();
    await db().email.updateMany({ where: { status: "PENDING" }, data: { status: "SENT" } });
  });
  afterAll(closeSeededDatabase);

  /** Sends this test's emails through the real SMTP server (the demo mailbox kept them as sent). */
  async function deliverNewSince(before: Date, url: string) {
    await dispatcherIdle();
    await db().email.updateMany({ where: { createdAt: { gte: before } }, data: { status: "PENDING", sentAt: null, nextAttemptAt: before } });
    await dispatchDueEmails({ smtpUrl: url, mailFrom: "Portal <portal@example.test>" });
  }

  it("the second and third emails about a request to Bob refer to the first; another request's do not", async () => {
    const sink = await startSink();
    const before = new Date(Date.now() - 1);
    try {
      const { reference } = await raiseFresh(people.alice, "SFP");
      await addNote(people.alice, { reference, body: "Still waiting, please" });
      await addNote(people.alice, { reference, body: "Any news?" });
      const other = await raiseFresh(people.alice, "SFP");
      await deliverNewSince(before, sink.url);

      // The pooled transport sends several at once: the order of arrival is not the order of queueing.
      const toBob = sink.received.filter((m) => JSON.stringify(m.to).includes("bob@southfield.example"));
      const about = (ref: string) => toBob.filter((m) => m.subject?.includes(ref));
      expect(about(reference)).toHaveLength(3);
      const ids = toBob.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^<[0-9a-f-]{36}@[^>]+>$/);
      // The first is the assignment; the second replies to it; the third to the second, naming both.
      const first = about(reference).find((m) => m.inReplyTo === undefined)!;
      expect(first.subject).toContain("Install Code requested");
      const second = about(reference).find((m) => m.inReplyTo === first.messageId)!;
      expect(second.references).toBe(first.messageId);
      const third = about(reference).find((m) => m.inReplyTo === second.messageId)!;
      expect(third.references).toEqual([first.messageId, second.messageId]);
      // Another request starts its own thread.
      const [otherFirst] = about(other.reference);
      expect(otherFirst!.inReplyTo).toBeUndefined();
      expect(otherFirst!.references).toBeUndefined();
    } finally {
      await sink.close();
    }
  });

  it("threads the raiser's emails too, each address on its own", async () => {
    const sink = await startSink();
    const before = new Date(Date.now() - 1);
    try {
      const { reference } = await raiseFresh(people.alice, "SFP");
      await provideInstallCode(people.bob, { reference, installCode: "83FED3407A939723A5C639B26916D505C3B5" });
      await addNote(people.bob, { reference, body: "That is the code from the label" });
      await deliverNewSince(before, sink.url);
      const toAlice = sink.received.filter((m) => JSON.stringify(m.to).includes("alice@northwind.example") && m.subject?.includes(reference));
      expect(toAlice).toHaveLength(2);
      const root = toAlice.find((m) => m.inReplyTo === undefined)!;
      expect(root.subject).toContain("provided the Install Code");
      expect(toAlice.find((m) => m !== root)!.inReplyTo).toBe(root.messageId);
    } finally {
      await sink.close();
    }
  });
});
