import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { transaction } from "@/lib/db/transaction";
import { isAppError } from "@/lib/errors";
import { dispatchDueEmails, dispatcherIdle, MAX_ATTEMPTS } from "@/lib/notifications/dispatcher";
import { listEmailProblems, retryEmail } from "@/lib/notifications/email-problems";
import { markEmailFailed } from "@/lib/notifications/failed";
import { queueEmail } from "@/lib/notifications/outbox";
import { viewRequest } from "@/lib/requests/view-request";
import { startSink } from "../helpers/smtp-sink";
import { closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseFresh, requestRow } from "./requests/support";

// Issue 10, part 2: an email the portal gives up on is seen: on its request's timeline, on the
// helpdesk's /helpdesk/emails with a retry, and on the request page of the organisation it was for.

// The dispatcher kicked by a retry reads SMTP_URL from env(), parsed once per process: switched here.
const mailServer = vi.hoisted(() => ({ smtpUrl: undefined as string | undefined }));
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return { ...real, env: () => (mailServer.smtpUrl ? { ...real.env(), smtpUrl: mailServer.smtpUrl } : real.env()) };
});

const FROM = "Portal <portal@example.test>";

/** A real SMTP server on 127.0.0.1 that refuses `refused` with a permanent 550 and accepts the rest. */
function startRefusingServer(refused: string, responseCode = 550) {
  const accepted: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onRcptTo(address, _session, callback) {
      if (address.address === refused) {
        const text = responseCode >= 500 ? "5.1.1 Mailbox unavailable: no such user" : "4.2.2 Mailbox full, try again later";
        return callback(Object.assign(new Error(text), { responseCode }));
      }
      callback();
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on("end", () => {
        accepted.push(...session.envelope.rcptTo.map((r) => r.address));
        callback();
      });
    },
  });
  return new Promise<{ url: string; accepted: string[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.server.address() as AddressInfo;
      resolve({ url: `smtp://127.0.0.1:${port}`, accepted, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

const message = (reference: string) => ({ subject: `Install Code request ${reference} assigned to you`, text: "secret body text", html: "<p>secret body html</p>" });

describe(`failed emails are seen (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;

  beforeAll(async () => {
    people = await openSeededDatabase();
  });
  afterAll(closeSeededDatabase);
  beforeEach(async () => {
    // Only this test's emails: the raise's own (kept in the development mailbox, or waiting for an
    // SMTP server that these tests do not configure) are not what is looked at.
    await dispatcherIdle();
    await db().email.deleteMany({ where: { status: { in: ["PENDING", "FAILED"] } } });
  });
  afterEach(() => {
    mailServer.smtpUrl = undefined;
  });

  /** Queues `message` to `to` about `requestIds`, as a use case does (the raise's own emails gone). */
  async function queue(to: string, reference: string, about: string | string[]) {
    await dispatcherIdle();
    await db().email.deleteMany({ where: { status: "PENDING" } });
    const person = await db().user.findUniqueOrThrow({ where: { email: to }, select: { id: true, organisationId: true } });
    return (await transaction((tx) => queueEmail(tx, { to, email: message(reference), category: "ANSWER", about, organisationId: person.organisationId, userId: person.id }))).id;
  }

  it("a temporary 4xx refusal: retried, and on the timeline only once the last attempt fails", async () => {
    const { reference } = await raiseFresh(people.alice, "SFP");
    const request = await requestRow(reference);
    const emailId = await queue(people.bob.email, reference, request.id);
    const refusing = await startRefusingServer(people.bob.email, 452);
    try {
      let now = new Date();
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const at = now;
        expect(await dispatchDueEmails({ smtpUrl: refusing.url, mailFrom: FROM, now: () => at })).toEqual({ sent: 0, failed: 1, cancelled: 0 });
        const row = await db().email.findUniqueOrThrow({ where: { id: emailId } });
        // Not on the timeline until the portal gives up.
        expect(await db().requestEvent.count({ where: { requestId: request.id, type: "EMAIL_FAILED" } })).toBe(attempt === MAX_ATTEMPTS ? 1 : 0);
        now = new Date(row.nextAttemptAt.getTime() + 1);
      }
      expect(refusing.accepted).toEqual([]);
    } finally {
      await refusing.close();
    }
    expect(await db().email.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({ status: "FAILED", attempts: MAX_ATTEMPTS });
  });

  it("a permanent 550 rejection: failed at once, on the timeline, on the helpdesk's list; retry from the list sends it", async () => {
    const { reference } = await raiseFresh(people.alice, "SFP");
    const request = await requestRow(reference);
    const emailId = await queue(people.bob.email, reference, request.id);

    const refusing = await startRefusingServer(people.bob.email);
    try {
      expect(await dispatchDueEmails({ smtpUrl: refusing.url, mailFrom: FROM })).toEqual({ sent: 0, failed: 1, cancelled: 0 });
      expect(await db().requestEvent.count({ where: { requestId: request.id, type: "EMAIL_FAILED" } })).toBe(1);
      // Never tried again.
      expect(await dispatchDueEmails({ smtpUrl: refusing.url, mailFrom: FROM, now: () => new Date(Date.now() + 86_400_000) })).toEqual({ sent: 0, failed: 0, cancelled: 0 });
      expect(refusing.accepted).toEqual([]);
    } finally {
      await refusing.close();
    }
    const failed = await db().email.findUniqueOrThrow({ where: { id: emailId } });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(failed.lastError).toContain("550");

    // The timeline: the recipient's organisation and address recorded; the address is not shown.
    const event = await db().requestEvent.findFirstOrThrow({ where: { requestId: request.id, type: "EMAIL_FAILED" } });
    expect(event).toMatchObject({ organisationId: people.bob.organisationId, detail: people.bob.email, actorId: null });
    for (const viewer of [people.alice, people.bob, people.dana]) {
      const shown = (await viewRequest(viewer, reference)).timeline.filter((e) => e.type === "EMAIL_FAILED");
      expect(shown).toEqual([expect.objectContaining({ organisation: people.bob.organisationName, detail: null })]);
    }

    // The helpdesk's list: recipient, subject, reference, attempts and error; never the body.
    const list = await listEmailProblems(people.dana, { status: "FAILED" });
    expect(list.failed).toBe(1);
    expect(list.emails).toHaveLength(1);
    const [row] = list.emails;
    expect(row).toMatchObject({ id: emailId, to: people.bob.email, status: "FAILED", attempts: 1, references: [reference], moreReferences: 0 });
    expect(row!.subject).toContain(reference);
    expect(row!.lastError).toContain("550");
    expect(JSON.stringify(list)).not.toContain("secret body");

    // Retry: back in the queue, the dispatcher kicked, delivered through the (now fixed) mail server.
    const sink = await startSink();
    mailServer.smtpUrl = sink.url;
    try {
      await retryEmail(people.dana, { emailId });
      await dispatcherIdle();
      expect(sink.received.map((m) => m.subject)).toEqual([message(reference).subject]);
      expect(await db().email.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({ status: "SENT" });
    } finally {
      await sink.close();
    }
    expect((await listEmailProblems(people.dana)).emails.map((e) => e.id)).not.toContain(emailId);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "EMAIL_RETRIED" }, orderBy: { sequence: "desc" } });
    expect(audit).toMatchObject({ actorEmail: people.dana.email, subject: people.bob.email, requestReference: reference });
    // Delivered since: the notice on the request page is gone; the timeline keeps both.
    expect((await viewRequest(people.bob, reference)).undeliveredEmails).toEqual([]);
    const types = (await viewRequest(people.dana, reference)).timeline.map((e) => e.type);
    expect(types.lastIndexOf("EMAIL_SENT")).toBeGreaterThan(types.indexOf("EMAIL_FAILED"));
  });

  it("an email about several requests (a bulk raise's) fails on each one's timeline", async () => {
    const first = await raiseFresh(people.alice, "SFP");
    const second = await raiseFresh(people.alice, "SFP");
    const ids = [(await requestRow(first.reference)).id, (await requestRow(second.reference)).id];
    const emailId = await queue(people.bob.email, first.reference, ids);
    await transaction((tx) => markEmailFailed(tx, { id: emailId, to: people.bob.email, organisationId: people.bob.organisationId, requestId: null, requestIds: ids }, new Error("550 no such user"), new Date()));
    for (const requestId of ids) {
      expect(await db().requestEvent.findMany({ where: { requestId, type: "EMAIL_FAILED" }, select: { organisationId: true, detail: true } })).toEqual([
        { organisationId: people.bob.organisationId, detail: people.bob.email },
      ]);
    }
    const [row] = (await listEmailProblems(people.dana, { status: "FAILED" })).emails;
    expect(row).toMatchObject({ id: emailId, references: [first.reference, second.reference].sort(), moreReferences: 0 });
  });

  it("the failure and its event are one transaction: rolled back, neither is written", async () => {
    const { reference } = await raiseFresh(people.alice, "SFP");
    const request = await requestRow(reference);
    const emailId = await queue(people.bob.email, reference, request.id);
    await expect(
      transaction(async (tx) => {
        await markEmailFailed(tx, { id: emailId, to: people.bob.email, organisationId: people.bob.organisationId, requestId: request.id, requestIds: [] }, new Error("550"), new Date());
        throw new Error("the dispatcher crashed");
      }),
    ).rejects.toThrow("the dispatcher crashed");
    expect(await db().email.findUniqueOrThrow({ where: { id: emailId } })).toMatchObject({ status: "PENDING" });
    expect(await db().requestEvent.count({ where: { requestId: request.id, type: "EMAIL_FAILED" } })).toBe(0);
    // An email no longer pending (sent meanwhile by another dispatcher) is left alone.
    await db().email.update({ where: { id: emailId }, data: { status: "SENT" } });
    expect(await transaction((tx) => markEmailFailed(tx, { id: emailId, to: people.bob.email, organisationId: people.bob.organisationId, requestId: request.id, requestIds: [] }, new Error("550"), new Date()))).toBe(false);
    expect(await db().requestEvent.count({ where: { requestId: request.id, type: "EMAIL_FAILED" } })).toBe(0);
  });

  it("the request page tells the organisation whose email failed and the helpdesk, nobody else", async () => {
    const { reference } = await raiseFresh(people.alice, "SFP");
    const request = await requestRow(reference);
    const toBob = await queue(people.bob.email, reference, request.id);
    await transaction((tx) => markEmailFailed(tx, { id: toBob, to: people.bob.email, organisationId: people.bob.organisationId, requestId: request.id, requestIds: [] }, new Error("550"), new Date()));

    const southfield = people.bob.organisationName;
    expect((await viewRequest(people.bob, reference)).undeliveredEmails).toEqual([{ organisation: southfield, failedAt: expect.any(Date) }]);
    // Bob's colleague too: it is the organisation that missed the email.
    expect((await viewRequest(people.bea, reference)).undeliveredEmails.map((u) => u.organisation)).toEqual([southfield]);
    expect((await viewRequest(people.dana, reference)).undeliveredEmails.map((u) => u.organisation)).toEqual([southfield]);
    expect((await viewRequest(people.alice, reference)).undeliveredEmails).toEqual([]);

    // An email to the raiser that failed: the raiser is told, and the helpdesk sees both.
    const toAlice = await queue(people.alice.email, reference, request.id);
    await transaction((tx) => markEmailFailed(tx, { id: toAlice, to: people.alice.email, organisationId: people.alice.organisationId, requestId: request.id, requestIds: [] }, new Error("552 mailbox full"), new Date()));
    expect((await viewRequest(people.alice, reference)).undeliveredEmails.map((u) => u.organisation)).toEqual([people.alice.organisationName]);
    expect((await viewRequest(people.bob, reference)).undeliveredEmails.map((u) => u.organisation)).toEqual([southfield]);
    expect((await viewRequest(people.dana, reference)).undeliveredEmails.map((u) => u.organisation).sort()).toEqual([southfield, people.alice.organisationName].sort());
  });

  it("a failed copy stays on the page though a colleague's copy of the same email went out; a resent copy clears it", async () => {
    const { reference } = await raiseFresh(people.alice, "SFP");
    const request = await requestRow(reference);
    const team = "ops@southfield.example";
    const toTeam = await transaction((tx) =>
      queueEmail(tx, { to: team, email: message(reference), category: "NOTE", about: request.id, organisationId: people.bob.organisationId }),
    );
    await transaction((tx) => markEmailFailed(tx, { id: toTeam.id, to: team, organisationId: people.bob.organisationId, requestId: request.id, requestIds: [] }, new Error("550"), new Date()));
    // Bob's own copy of the same email went out a moment later.
    const sent = (to: string) => db().requestEvent.create({ data: { requestId: request.id, type: "EMAIL_SENT", detail: to, organisationId: people.bob.organisationId } });
    await sent(people.bob.email);
    expect((await viewRequest(people.bob, reference)).undeliveredEmails.map((u) => u.organisation)).toEqual([people.bob.organisationName]);
    await sent(team);
    expect((await viewRequest(people.bob, reference)).undeliveredEmails).toEqual([]);
  });

  it("retry: only a failed email, never a sign-in link, and for the helpdesk only", async () => {
    const { reference } = await raiseFresh(people.alice, "SFP");
    const request = await requestRow(reference);
    const pending = await queue(people.bob.email, reference, request.id);
    const code = (work: Promise<unknown>) => work.then(() => "ok", (error: unknown) => (isAppError(error) ? error.code : String(error)));
    expect(await code(retryEmail(people.dana, { emailId: pending }))).toBe("CONFLICT");
    expect(await code(retryEmail(people.dana, { emailId: "not-an-id" }))).toBe("NOT_FOUND");
    expect(await code(retryEmail(people.dana, { emailId: "00000000-0000-4000-8000-000000000000" }))).toBe("NOT_FOUND");

    const signIn = (await transaction((tx) => queueEmail(tx, { to: people.bob.email, email: { subject: "Sign in to the portal", text: "link", html: "link" }, category: "SIGN_IN" }))).id;
    await transaction((tx) => markEmailFailed(tx, { id: signIn, to: people.bob.email, organisationId: people.bob.organisationId, requestId: null, requestIds: [] }, new Error("550"), new Date()));
    expect(await code(retryEmail(people.dana, { emailId: signIn }))).toBe("FORBIDDEN");
    expect(await db().email.findUniqueOrThrow({ where: { id: signIn } })).toMatchObject({ status: "FAILED" });

    for (const supplier of [people.alice, people.bob]) {
      expect(await code(listEmailProblems(supplier))).toBe("NOT_FOUND");
      expect(await code(retryEmail(supplier, { emailId: signIn }))).toBe("NOT_FOUND");
    }
  });
});
