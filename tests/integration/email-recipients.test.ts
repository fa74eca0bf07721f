import type { ParsedMail } from "mailparser";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Email, EmailCategory } from "@/lib/db/generated/client";
import { closeSmtpConnections, dispatchDueEmails, dispatcherIdle } from "@/lib/notifications/dispatcher";
import { sendDailyDigests } from "@/lib/notifications/digest";
import { setTeamEmail, updateEmailPreferences } from "@/lib/notifications/preferences";
import { addNote } from "@/lib/requests/add-note";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { generateDueReports } from "@/lib/sla/report";
import { runSlaScan } from "@/lib/sla/scheduler";
import { startSink } from "../helpers/smtp-sink";
import { addDevice, addUser, closeSeededDatabase, emailsQueuedBy, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh, requestRow } from "./requests/support";

// Who gets which email (docs/decisions/024-email-recipients.md), through the real use cases and a
// real SMTP server: per-person switches, the obligation's emails that cannot be turned off, the
// team address, the checks made again when an email is sent, the daily digest, threading to a team
// mailbox, and a change that rolls back.
//
// The portal's own SMTP server (SMTP_URL) is one that is down: the background dispatch after each
// change finds nothing listening and leaves the emails PENDING, so each test decides when they are
// delivered (to its own sink) and can change people and organisations in between.

const FROM = "Portal <portal@example.test>";
const SETTINGS_URL = "http://portal.test/settings/notifications";
const CODE = "83FED3407A939723A5C639B26916D505";
/** Raised on Monday 2 November 2026 (GMT): due by the end of Monday 9, reminded from Friday 6. */
const RAISED = new Date("2026-11-02T10:00:00Z");
const REMINDER_AT = new Date("2026-11-06T00:00:00Z");
const AFTER_DUE = new Date("2026-11-10T00:00:00Z");
/** Every switch off (an absent checkbox is off). */
const ALL_OFF = {};
const ALL_ON = { emailAnswers: true, emailNotes: true, emailReminders: true, emailReports: true };

const OPS = "ops@southfield.example";
const NWE_TEAM = "requests@northwind.example";

const addressOf = (mail: ParsedMail) => (mail.to && "text" in mail.to ? mail.to.text : "");
/** What the sink received, as "address subject", sorted. */
const deliveries = (received: ParsedMail[]) => received.map((m) => `${addressOf(m)} ${m.subject}`).sort();
/** Rows as "address category status", in the order given. */
const rows = (emails: Pick<Email, "to" | "category" | "status">[]) => emails.map((e) => `${e.to} ${e.category} ${e.status}`);

async function emailsAbout(reference: string, category?: EmailCategory): Promise<Email[]> {
  const { id } = await requestRow(reference);
  return db().email.findMany({ where: { requestId: id, ...(category ? { category } : {}) }, orderBy: [{ to: "asc" }, { createdAt: "asc" }] });
}

/** Delivers every due email through `url`, as the portal's dispatcher would once its SMTP server is back. */
async function deliver(url: string) {
  await dispatcherIdle();
  return dispatchDueEmails({ smtpUrl: url, mailFrom: FROM, now: () => new Date(Date.now() + 3 * 3600_000) });
}

describe(`who gets which email (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, amir: Actor, bob: Actor, bea: Actor, erin: Actor, dana: Actor, hana: Actor;
  let orgs: Record<string, string>;
  let homes: { id: string; organisationId: string; organisationKind: "SUPPLIER" | "HELPDESK" }[];

  beforeAll(async () => {
    const probe = await startSink();
    await probe.close();
    process.env.SMTP_URL = `smtp://127.0.0.1:${probe.port}`;
    ({ alice, amir, bob, bea, erin, dana, orgs } = await openSeededDatabase());
    hana = await addUser("hana@dcc.example", "Hana Ito", "DCC");
    homes = await db().user.findMany({ select: { id: true, organisationId: true, organisationKind: true } });
  });
  afterAll(async () => {
    closeSmtpConnections();
    await closeSeededDatabase();
  });
  beforeEach(async () => {
    await dispatcherIdle();
    await db().email.deleteMany();
  });
  afterEach(async () => {
    // Everyone back home, every switch back to its default, no team addresses.
    await dispatcherIdle();
    for (const home of homes) await db().user.update({ where: { id: home.id }, data: { organisationId: home.organisationId, organisationKind: home.organisationKind } });
    await db().user.updateMany({ data: { ...ALL_ON, emailDigest: false } });
    await db().organisation.updateMany({ data: { teamEmail: null } });
    closeSmtpConnections();
  });

  describe("each person's switches", () => {
    it("answers: a person who turned them off gets none; a colleague with them on does (a code given, a reassignment)", async () => {
      await updateEmailPreferences(amir, { ...ALL_ON, emailAnswers: false });
      const { reference } = await raiseFresh(alice, "SFP");
      const answered = await emailsQueuedBy(() => provideInstallCode(bob, { reference, installCode: CODE }));
      expect(rows(answered.emails)).toEqual(["alice@northwind.example ANSWER PENDING"]);

      const other = await raiseFresh(alice, "SFP");
      const reassigned = await emailsQueuedBy(() => reassignRequest(dana, { reference: other.reference, organisationCode: "EGP", reason: "Wrong supplier" }));
      expect(rows(reassigned.emails).filter((r) => r.includes("northwind"))).toEqual(["alice@northwind.example ANSWER PENDING"]);
    });

    it("notes: a person who turned them off gets none; a colleague with them on does", async () => {
      await updateEmailPreferences(bea, { ...ALL_ON, emailNotes: false });
      const { reference } = await raiseFresh(alice, "SFP");
      const noted = await emailsQueuedBy(() => addNote(alice, { reference, body: "Any news?" }));
      expect(rows(noted.emails)).toEqual(["bob@southfield.example NOTE PENDING"]);
    });

    it("reminders: a person who turned them off gets none; a colleague with them on does", async () => {
      await updateEmailPreferences(bea, { ...ALL_ON, emailReminders: false });
      const { reference } = await raiseFresh(alice, "SFP", { now: RAISED });
      await runSlaScan(REMINDER_AT);
      expect(rows(await emailsAbout(reference, "REMINDER"))).toEqual(["bob@southfield.example REMINDER PENDING"]);
    });

    it("reports: a helpdesk person who turned them off gets none; a colleague with them on does", async () => {
      await updateEmailPreferences(hana, { ...ALL_ON, emailReports: false });
      expect(await generateDueReports(new Date("2026-11-02T00:00:30Z"))).toEqual({ month: "2026-10", generated: true, emailed: 1 });
      const reports = await db().email.findMany({ where: { category: "REPORT" } });
      expect(rows(reports)).toEqual(["dana@dcc.example REPORT PENDING"]);
      expect(reports[0].subject).toBe("Install Code obligation report for October 2026 is ready");
    });

    it("assignment (at raise, reassigned to and away) and breach emails reach people with every switch off", async () => {
      for (const person of [bob, bea, erin, amir, hana]) await updateEmailPreferences(person, ALL_OFF);
      const raised = await emailsQueuedBy(() => raiseFresh(alice, "SFP"));
      expect(rows(raised.emails)).toEqual(["bea@southfield.example ASSIGNMENT PENDING", "bob@southfield.example ASSIGNMENT PENDING"]);
      for (const email of raised.emails) {
        expect(email.text).toContain(
          "You get this email because you are a member of Southfield Power. The emails about requests assigned to Southfield Power cannot be turned off: the five-Working-Day obligation needs them.",
        );
        expect(email.text).toContain(`To choose your other emails: ${SETTINGS_URL}`);
      }

      const reassigned = await emailsQueuedBy(() => reassignRequest(dana, { reference: raised.result.reference, organisationCode: "EGP", reason: "Wrong supplier" }));
      // To Eastgate (assigned), away from Southfield; Northwind's answer goes to Alice only (Amir turned answers off).
      expect(rows(reassigned.emails)).toEqual([
        "alice@northwind.example ANSWER PENDING",
        "bea@southfield.example ASSIGNMENT PENDING",
        "bob@southfield.example ASSIGNMENT PENDING",
        "erin@eastgate.example ASSIGNMENT PENDING",
      ]);
      expect(reassigned.emails.find((e) => e.to === "bob@southfield.example")!.subject).toBe(`${raised.result.reference} reassigned to Eastgate Gas & Power`);

      const late = await raiseFresh(alice, "SFP", { now: RAISED });
      await runSlaScan(AFTER_DUE);
      const breaches = await emailsAbout(late.reference, "BREACH");
      expect(rows(breaches)).toEqual([
        "alice@northwind.example BREACH PENDING",
        "amir@northwind.example BREACH PENDING",
        "bea@southfield.example BREACH PENDING",
        "bob@southfield.example BREACH PENDING",
        "dana@dcc.example BREACH PENDING",
        "hana@dcc.example BREACH PENDING",
      ]);
      for (const email of breaches) expect(email.text).toContain("cannot be turned off: the five-Working-Day obligation needs them.");

      // And they are delivered, not cancelled at send time.
      const sink = await startSink();
      try {
        await deliver(sink.url);
        const breachMails = sink.received.filter((m) => m.subject?.startsWith(`${late.reference}: Install Code overdue`));
        expect(breachMails.map(addressOf).sort()).toEqual(breaches.map((e) => e.to));
        expect(await db().email.count({ where: { status: { not: "SENT" } } })).toBe(0);
      } finally {
        await sink.close();
      }
    });
  });

  describe("the team address", () => {
    it("is set by the organisation's administrators: Bea, a Southfield user, is refused and nothing changes", async () => {
      const before = await db().auditEvent.count();
      await expectRefused(setTeamEmail(bea, { teamEmail: "bea-team@southfield.example" }), "FORBIDDEN", "Only Southfield Power's administrators can change the team address: ask one of them");
      expect((await db().organisation.findUniqueOrThrow({ where: { id: orgs.SFP } })).teamEmail).toBeNull();
      expect(await db().auditEvent.count()).toBe(before);
    });

    it("gets every kind of email while every person of the organisation turned everything off", async () => {
      for (const person of [bob, bea, alice, amir]) await updateEmailPreferences(person, ALL_OFF);
      expect(await setTeamEmail(bob, { teamEmail: " Ops@Southfield.example " })).toEqual({ teamEmail: OPS });
      await setTeamEmail(alice, { teamEmail: NWE_TEAM });

      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      await provideInstallCode(bob, { reference, installCode: CODE });
      await addNote(bob, { reference, body: "That is from the label" });
      expect(rows(await emailsAbout(reference))).toEqual([
        `bea@southfield.example ASSIGNMENT PENDING`,
        `bob@southfield.example ASSIGNMENT PENDING`,
        `${OPS} ASSIGNMENT PENDING`,
        `${OPS} NOTE PENDING`,
        `${NWE_TEAM} ANSWER PENDING`,
        `${NWE_TEAM} NOTE PENDING`,
      ]);
      const team = (await emailsAbout(reference)).filter((e) => e.to === OPS || e.to === NWE_TEAM);
      expect(team.map((e) => [e.userId, e.organisationId])).toEqual([
        [null, orgs.SFP],
        [null, orgs.SFP],
        [null, orgs.NWE],
        [null, orgs.NWE],
      ]);

      const late = await raiseFresh(alice, "SFP", { now: RAISED });
      await runSlaScan(REMINDER_AT);
      expect(rows(await emailsAbout(late.reference, "REMINDER"))).toEqual([`${OPS} REMINDER PENDING`]);
      await runSlaScan(AFTER_DUE);
      expect(rows(await emailsAbout(late.reference, "BREACH"))).toEqual([
        "alice@northwind.example BREACH PENDING",
        "amir@northwind.example BREACH PENDING",
        "bea@southfield.example BREACH PENDING",
        "bob@southfield.example BREACH PENDING",
        "dana@dcc.example BREACH PENDING",
        "hana@dcc.example BREACH PENDING",
        `${OPS} BREACH PENDING`,
        `${NWE_TEAM} BREACH PENDING`,
      ]);
    });

    it("is never held for a digest, while its people's optional emails are", async () => {
      for (const person of [bob, bea]) await updateEmailPreferences(person, { ...ALL_ON, emailDigest: true });
      await setTeamEmail(bob, { teamEmail: OPS });
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      expect(rows(await emailsAbout(reference, "NOTE"))).toEqual(["bea@southfield.example NOTE HELD", "bob@southfield.example NOTE HELD", `${OPS} NOTE PENDING`]);
      const sink = await startSink();
      try {
        await deliver(sink.url);
        expect(deliveries(sink.received).filter((d) => d.includes("added a note"))).toEqual([`${OPS} ${reference} updated: Northwind Energy added a note`]);
        // The digest is for people only: nothing held for the team address.
        await sendDailyDigests();
        expect(await db().email.count({ where: { category: "DIGEST", userId: null } })).toBe(0);
        expect((await db().email.findMany({ where: { category: "DIGEST" }, orderBy: { to: "asc" } })).map((e) => e.to)).toEqual([
          "bea@southfield.example",
          "bob@southfield.example",
        ]);
      } finally {
        await sink.close();
      }
    });

    it("that is also a person's address gets one copy, the team's", async () => {
      await setTeamEmail(bob, { teamEmail: "BEA@southfield.example" });
      const { emails } = await emailsQueuedBy(() => raiseFresh(alice, "SFP"));
      expect(rows(emails)).toEqual(["bea@southfield.example ASSIGNMENT PENDING", "bob@southfield.example ASSIGNMENT PENDING"]);
      const beas = emails.find((e) => e.to === "bea@southfield.example")!;
      expect(beas.userId).toBeNull();
      expect(beas.text).toContain("this address is Southfield Power's team address");
      const sink = await startSink();
      try {
        await deliver(sink.url);
        expect(sink.received.map(addressOf).sort()).toEqual(["bea@southfield.example", "bob@southfield.example"]);
      } finally {
        await sink.close();
      }
    });

    it("each recipient's footer says why they got it and where to change it", async () => {
      await setTeamEmail(bob, { teamEmail: OPS });
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      const sink = await startSink();
      try {
        await deliver(sink.url);
        const mail = (to: string, kind: string) => sink.received.find((m) => addressOf(m) === to && m.subject?.includes(kind))!;
        const teamAssignment = mail(OPS, "Install Code requested")!.text!;
        const personAssignment = mail("bob@southfield.example", "Install Code requested")!.text!;
        const personNote = mail("bob@southfield.example", "added a note")!.text!;
        const teamNote = mail(OPS, "added a note")!.text!;

        const teamFooter = [
          "You get this email because this address is Southfield Power's team address in the Install Code Request portal, which gets every email about its requests.",
          `To change the team address: ${SETTINGS_URL}`,
        ];
        for (const text of [teamAssignment, teamNote]) {
          for (const line of teamFooter) expect(text).toContain(line);
          expect(text).not.toContain("you are a member of");
          expect(text).not.toContain("cannot be turned off");
        }
        expect(personAssignment).toContain(
          "You get this email because you are a member of Southfield Power. The emails about requests assigned to Southfield Power cannot be turned off: the five-Working-Day obligation needs them.",
        );
        expect(personAssignment).toContain(`To choose your other emails: ${SETTINGS_URL}`);
        expect(personNote).toContain("You get this email because you are a member of Southfield Power and chose to get notes on Southfield Power's requests.");
        expect(personNote).toContain(`To change which emails you get: ${SETTINGS_URL}`);
        expect(personNote).not.toContain("cannot be turned off");
        for (const text of [personAssignment, personNote]) expect(text).not.toContain("team address");
        // The note's body is in no email.
        for (const m of sink.received) expect(`${m.text} ${m.html}`).not.toContain("Any news?");
      } finally {
        await sink.close();
      }
    });
  });

  describe("checked again when sent", () => {
    it("a person moved to another organisation after queueing is not emailed; their former colleague is", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      await dispatcherIdle();
      await db().user.update({ where: { id: bea.userId }, data: { organisationId: orgs.EGP, organisationKind: "SUPPLIER" } });
      const sink = await startSink();
      try {
        expect(await deliver(sink.url)).toEqual({ sent: 2, failed: 0, cancelled: 2 });
        expect(sink.received.map(addressOf)).toEqual(["bob@southfield.example", "bob@southfield.example"]);
        const emails = await emailsAbout(reference);
        expect(rows(emails)).toEqual([
          "bea@southfield.example ASSIGNMENT CANCELLED",
          "bea@southfield.example NOTE CANCELLED",
          "bob@southfield.example ASSIGNMENT SENT",
          "bob@southfield.example NOTE SENT",
        ]);
        for (const email of emails.filter((e) => e.status === "CANCELLED")) {
          expect(email.lastError).toBe("Not sent: the person is no longer in the organisation it was addressed to.");
        }
      } finally {
        await sink.close();
      }
    });

    it("a kind turned off after queueing is not sent; an obligation email still is", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      await dispatcherIdle();
      await updateEmailPreferences(bob, ALL_OFF);
      const sink = await startSink();
      try {
        await deliver(sink.url);
        expect(deliveries(sink.received)).toEqual([
          `bea@southfield.example ${reference} updated: Northwind Energy added a note`,
          expect.stringMatching(new RegExp(`^bea@southfield\\.example ${reference}: Install Code requested`)),
          expect.stringMatching(new RegExp(`^bob@southfield\\.example ${reference}: Install Code requested`)),
        ]);
        const emails = await emailsAbout(reference);
        expect(rows(emails)).toEqual([
          "bea@southfield.example ASSIGNMENT SENT",
          "bea@southfield.example NOTE SENT",
          "bob@southfield.example ASSIGNMENT SENT",
          "bob@southfield.example NOTE CANCELLED",
        ]);
        expect(emails[3].lastError).toBe("Not sent: the person turned this kind of email off.");
      } finally {
        await sink.close();
      }
    });

    it("a team address removed after queueing: not sent; changed: sent to the new address", async () => {
      await setTeamEmail(bob, { teamEmail: OPS });
      await setTeamEmail(alice, { teamEmail: NWE_TEAM });
      const { reference } = await raiseFresh(alice, "SFP");
      await provideInstallCode(bob, { reference, installCode: CODE });
      await dispatcherIdle();
      await setTeamEmail(bob, { teamEmail: "" });
      await setTeamEmail(alice, { teamEmail: "desk@northwind.example" });
      const sink = await startSink();
      try {
        await deliver(sink.url);
        const delivered = sink.received.map(addressOf).sort();
        expect(delivered).toEqual(["alice@northwind.example", "amir@northwind.example", "bea@southfield.example", "bob@southfield.example", "desk@northwind.example"]);
        expect(sink.received.find((m) => addressOf(m) === "desk@northwind.example")!.subject).toBe(`${reference} updated: Southfield Power provided the Install Code`);
        const team = (await emailsAbout(reference)).filter((e) => e.userId === null).sort((a, b) => a.category.localeCompare(b.category));
        expect(team.map((e) => [e.category, e.organisationId, e.status, e.lastError])).toEqual([
          ["ANSWER", orgs.NWE, "SENT", null],
          ["ASSIGNMENT", orgs.SFP, "CANCELLED", "Not sent: the organisation no longer has a team address."],
        ]);
        // Recorded with the address it went to, on the row and on the timeline.
        expect(team[0].to).toBe("desk@northwind.example");
        const { id } = await requestRow(reference);
        const sent = await db().requestEvent.findMany({ where: { requestId: id, type: "EMAIL_SENT", organisationId: orgs.NWE }, select: { detail: true } });
        expect(sent.map((e) => e.detail)).toContain("desk@northwind.example");
        expect(sent.map((e) => e.detail)).not.toContain(NWE_TEAM);
      } finally {
        await sink.close();
      }
    });
  });

  describe("the daily digest", () => {
    it("holds a person's optional emails, sends their obligation emails at once, then lists the held ones in one digest", async () => {
      await updateEmailPreferences(bea, { ...ALL_ON, emailDigest: true });
      const first = await raiseFresh(alice, "SFP");
      const second = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference: first.reference, body: "Any news?" });
      await addNote(dana, { reference: second.reference, body: "Please answer" });
      const sink = await startSink();
      try {
        await deliver(sink.url);
        expect(deliveries(sink.received).filter((d) => d.startsWith("bea@"))).toEqual([
          expect.stringMatching(new RegExp(`^bea@southfield\\.example ${first.reference}: Install Code requested`)),
          expect.stringMatching(new RegExp(`^bea@southfield\\.example ${second.reference}: Install Code requested`)),
        ]);
        expect(deliveries(sink.received).filter((d) => d.startsWith("bob@") && d.includes("added a note"))).toHaveLength(2);
        const held = await db().email.findMany({ where: { to: "bea@southfield.example", category: "NOTE" }, orderBy: { createdAt: "asc" } });
        expect(held.map((e) => e.status)).toEqual(["HELD", "HELD"]);

        expect(await sendDailyDigests()).toEqual({ digests: 1, cancelled: 0 });
        const digest = await db().email.findFirstOrThrow({ where: { category: "DIGEST" } });
        expect(digest).toMatchObject({ to: "bea@southfield.example", userId: bea.userId, organisationId: orgs.SFP, requestId: null, inReplyTo: null, threadReferences: null });
        const ids = [(await requestRow(first.reference)).id, (await requestRow(second.reference)).id];
        expect([...digest.requestIds].sort()).toEqual([...ids].sort());
        const digested = await db().email.findMany({ where: { id: { in: held.map((e) => e.id) } }, orderBy: { createdAt: "asc" } });
        expect(digested.map((e) => [e.status, e.digestId])).toEqual([
          ["DIGESTED", digest.id],
          ["DIGESTED", digest.id],
        ]);

        await deliver(sink.url);
        const digestMails = sink.received.filter((m) => m.subject?.startsWith("Your daily digest"));
        expect(digestMails.map(addressOf)).toEqual(["bea@southfield.example"]);
        const text = digestMails[0].text!;
        expect(digestMails[0].subject).toBe("Your daily digest: 2 updates on Southfield Power's Install Code requests");
        expect(text).toContain(`- ${first.reference} updated: Northwind Energy added a note`);
        expect(text).toContain(`- ${second.reference} updated: DCC Service Desk added a note`);
        expect(text).toContain("You get this digest because you chose to get your optional emails once a day.");
        expect(text).toContain(`To change which emails you get: ${SETTINGS_URL}`);
        expect(text).not.toContain("Any news?");
        expect(text).not.toContain("Please answer");
        // Each listed request's timeline shows the digest went out.
        for (const requestId of ids) {
          const sent = await db().requestEvent.findMany({ where: { requestId, type: "EMAIL_SENT", detail: "bea@southfield.example" } });
          expect(sent.length).toBeGreaterThanOrEqual(2); // the assignment and the digest
        }
        expect((await db().email.findUniqueOrThrow({ where: { id: digest.id } })).status).toBe("SENT");
        // The held notes were never sent on their own.
        expect(sink.received.filter((m) => addressOf(m) === "bea@southfield.example" && m.subject?.includes("added a note"))).toEqual([]);
      } finally {
        await sink.close();
      }
    });

    it("two digest runs at once make exactly one digest per person", async () => {
      for (const person of [bea, amir]) await updateEmailPreferences(person, { ...ALL_ON, emailDigest: true });
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      await provideInstallCode(bob, { reference, installCode: CODE });
      await addNote(bob, { reference, body: "From the label" });
      const results = await Promise.all([sendDailyDigests(), sendDailyDigests()]);
      expect(results.reduce((sum, r) => sum + r.digests, 0)).toBe(2);
      const digests = await db().email.findMany({ where: { category: "DIGEST" }, orderBy: { to: "asc" } });
      expect(digests.map((e) => e.to)).toEqual(["amir@northwind.example", "bea@southfield.example"]);
      const held = await db().email.findMany({ where: { userId: { in: [bea.userId, amir.userId] }, category: { in: ["NOTE", "ANSWER"] } }, orderBy: [{ to: "asc" }, { category: "asc" }] });
      expect(held.map((e) => `${e.to} ${e.category} ${e.status} ${e.digestId === digests.find((d) => d.to === e.to)!.id}`)).toEqual([
        "amir@northwind.example ANSWER DIGESTED true",
        "amir@northwind.example NOTE DIGESTED true",
        "bea@southfield.example NOTE DIGESTED true",
      ]);
      expect(await sendDailyDigests()).toEqual({ digests: 0, cancelled: 0 });
    });

    it("a person who left the organisation before the digest gets none: their held emails are cancelled", async () => {
      for (const person of [bea, bob]) await updateEmailPreferences(person, { ...ALL_ON, emailDigest: true });
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      await dispatcherIdle();
      await db().user.update({ where: { id: bea.userId }, data: { organisationId: orgs.EGP, organisationKind: "SUPPLIER" } });
      expect(await sendDailyDigests()).toEqual({ digests: 1, cancelled: 1 });
      const notes = await emailsAbout(reference, "NOTE");
      expect(rows(notes)).toEqual(["bea@southfield.example NOTE CANCELLED", "bob@southfield.example NOTE DIGESTED"]);
      expect(notes[0].lastError).toBe("Not sent: the person is no longer in the organisation it was addressed to.");
      expect((await db().email.findMany({ where: { category: "DIGEST" } })).map((e) => e.to)).toEqual(["bob@southfield.example"]);
    });
  });

  describe("threading", () => {
    it("a team mailbox's second email about a request replies to the first; held emails are never referred to", async () => {
      await setTeamEmail(bob, { teamEmail: OPS });
      await updateEmailPreferences(bea, { ...ALL_ON, emailDigest: true });
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "Any news?" });
      // Reassigned away from Southfield: an obligation email to Bea, after one held for her.
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Wrong supplier" });
      const sink = await startSink();
      try {
        await deliver(sink.url);
        const toOps = sink.received.filter((m) => addressOf(m) === OPS);
        expect(toOps.map((m) => m.subject).sort()).toEqual([
          `${reference} reassigned to Eastgate Gas & Power`,
          `${reference} updated: Northwind Energy added a note`,
          expect.stringMatching(new RegExp(`^${reference}: Install Code requested`)),
        ]);
        const assigned = toOps.find((m) => m.subject?.includes("Install Code requested"))!;
        const note = toOps.find((m) => m.subject?.includes("added a note"))!;
        const away = toOps.find((m) => m.subject?.includes("reassigned to"))!;
        expect(assigned.inReplyTo).toBeUndefined();
        expect(note.inReplyTo).toBe(assigned.messageId);
        expect(note.references).toBe(assigned.messageId);
        expect(away.inReplyTo).toBe(note.messageId);
        expect(away.references).toEqual([assigned.messageId, note.messageId]);

        // Bea's held note is in nobody's References: her reassignment email replies to her assignment.
        const heldNote = await db().email.findFirstOrThrow({ where: { to: "bea@southfield.example", category: "NOTE" } });
        expect(heldNote.status).toBe("HELD");
        const toBea = sink.received.filter((m) => addressOf(m) === "bea@southfield.example");
        const beaAssigned = toBea.find((m) => m.subject?.includes("Install Code requested"))!;
        const beaAway = toBea.find((m) => m.subject?.includes("reassigned to"))!;
        expect(beaAway.inReplyTo).toBe(beaAssigned.messageId);
        expect(beaAway.references).toBe(beaAssigned.messageId);
        for (const m of sink.received) {
          expect(m.inReplyTo ?? "").not.toContain(heldNote.messageId!);
          expect([m.references ?? []].flat()).not.toContain(heldNote.messageId);
        }
      } finally {
        await sink.close();
      }
    });
  });

  it("a change that rolls back leaves no email for anyone, its team addresses included", async () => {
    await setTeamEmail(bob, { teamEmail: OPS });
    await setTeamEmail(alice, { teamEmail: NWE_TEAM });
    const existing = await raiseFresh(alice, "SFP");
    await dispatcherIdle();
    await db().email.deleteMany();
    // The reassignment emails Eastgate, then Southfield (people, then its team), then Northwind's
    // people and last its team address: refuse only that last insert.
    await db().$executeRawUnsafe(`CREATE FUNCTION test_refuse_team_email() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW."to" = '${NWE_TEAM}' THEN RAISE EXCEPTION 'mail store down'; END IF; RETURN NEW; END $$`);
    await db().$executeRawUnsafe(`CREATE TRIGGER test_refuse_team_email BEFORE INSERT ON "Email" FOR EACH ROW EXECUTE FUNCTION test_refuse_team_email()`);
    const deviceId = await addDevice("NWE");
    try {
      await expect(reassignRequest(dana, { reference: existing.reference, organisationCode: "EGP", reason: "Wrong supplier" })).rejects.toThrow(/mail store down/);
      // A raise for Northwind: its people's assignment emails, then its team address's.
      await expect(raiseRequest(bob, { deviceId })).rejects.toThrow(/mail store down/);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER test_refuse_team_email ON "Email"`);
      await db().$executeRawUnsafe(`DROP FUNCTION test_refuse_team_email()`);
    }
    await dispatcherIdle();
    expect(await db().email.findMany({ select: { to: true } })).toEqual([]);
    expect((await requestRow(existing.reference)).assignedOrganisationId).toBe(orgs.SFP);
    expect(await db().requestEvent.count({ where: { requestId: (await requestRow(existing.reference)).id, type: "REASSIGNED" } })).toBe(0);
    expect(await db().installCodeRequest.count({ where: { deviceId } })).toBe(0);

    // The same reassignment, committed: every recipient's email is there, the team addresses' too.
    const { emails } = await emailsQueuedBy(() => reassignRequest(dana, { reference: existing.reference, organisationCode: "EGP", reason: "Wrong supplier" }));
    expect(rows(emails)).toEqual([
      "alice@northwind.example ANSWER PENDING",
      "amir@northwind.example ANSWER PENDING",
      "bea@southfield.example ASSIGNMENT PENDING",
      "bob@southfield.example ASSIGNMENT PENDING",
      "erin@eastgate.example ASSIGNMENT PENDING",
      `${OPS} ASSIGNMENT PENDING`,
      `${NWE_TEAM} ANSWER PENDING`,
    ]);
  });
});
