import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATEGORY_PRIORITY } from "@/lib/notifications/categories";
import type { Actor } from "@/lib/auth/actor";
import { database, db, openDatabase, type Database } from "@/lib/db/client";
import { withdrawRequest } from "@/lib/requests/close-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { runSlaScan } from "@/lib/sla/scheduler";
import { closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseFresh, requestRow } from "../requests/support";

// The obligation's scan (lib/sla/scheduler.ts) at chosen instants: the portal's clock is never
// waited for. November 2026 is GMT, so these UTC instants are UK times too. A request raised on
// Monday 2 November is due by the end of Monday 9 November (five Working Days: 3, 4, 5, 6 and 9);
// its assignee is reminded from the start of Friday 6 November, the Working Day before.

const RAISED = new Date("2026-11-02T10:00:00Z");
const DUE = new Date("2026-11-09T23:59:59.999Z");
const REMINDER_AT = new Date("2026-11-06T00:00:00Z");
const AFTER_DUE = new Date(DUE.getTime() + 1);
const CODE = "83FED3407A939723A5C639B26916D505";

const at = (iso: string) => new Date(iso);

/** The reminder and breach emails queued about a request, by recipient. */
async function noticesOf(reference: string) {
  const { id } = await requestRow(reference);
  const emails = await db().email.findMany({ where: { requestId: id }, orderBy: [{ to: "asc" }, { createdAt: "asc" }] });
  const reminders = emails.filter((e) => e.subject.includes(": Install Code due "));
  const breaches = emails.filter((e) => e.subject.includes(": Install Code overdue"));
  const rows = await db().slaNotice.findMany({ where: { requestId: id }, orderBy: [{ kind: "asc" }, { dueAt: "asc" }] });
  const breachedEvents = await db().requestEvent.findMany({ where: { requestId: id, type: "BREACHED" }, orderBy: { sequence: "asc" } });
  return { reminders, breaches, rows, breachedEvents, to: (list: { to: string }[]) => list.map((e) => e.to) };
}

async function scanAt(...instants: Date[]) {
  for (const instant of instants) await runSlaScan(instant);
}

describe(`the obligation scan (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor;
  let bob: Actor;
  let dana: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, dana, orgs } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  it("reminds every user of the assigned organisation once, from the start of the Working Day before the due day", async () => {
    const { reference, deviceId } = await raiseFresh(alice, "SFP", { now: RAISED });
    expect((await requestRow(reference)).dueAt).toEqual(DUE);

    await scanAt(RAISED, at("2026-11-05T12:00:00Z"), new Date(REMINDER_AT.getTime() - 1));
    expect((await noticesOf(reference)).reminders).toHaveLength(0);

    const { id } = await requestRow(reference);
    const queuedFor = async () =>
      (await db().requestEvent.findMany({ where: { requestId: id, type: "EMAIL_QUEUED" }, select: { detail: true, organisationId: true } })).map(
        (e) => `${e.detail} ${e.organisationId === orgs.SFP ? "SFP" : e.organisationId}`,
      );
    const queuedBefore = await queuedFor();
    await scanAt(REMINDER_AT);
    const first = await noticesOf(reference);
    expect(first.to(first.reminders)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    const reminder = first.reminders[0];
    expect(reminder.subject).toBe(`${reference}: Install Code due by the end of Monday 9 November 2026 (2 Working Days left)`);
    expect(reminder.text).toContain(`Device ID: ${deviceId}`);
    expect(reminder.text).toContain("Raised by: Northwind Energy");
    expect(reminder.text).toContain("because your organisation is assigned this request");
    expect(reminder.text).toContain(`http://portal.test/requests/${reference}`);
    expect(first.rows.map((r) => [r.kind, r.organisationId, r.dueAt.toISOString()])).toEqual([["REMINDER", orgs.SFP, DUE.toISOString()]]);
    // The timeline says to whom it went, like every email about a request.
    const queuedNow = await queuedFor();
    for (const entry of queuedBefore) queuedNow.splice(queuedNow.indexOf(entry), 1);
    expect(queuedNow.sort()).toEqual(["bea@southfield.example SFP", "bob@southfield.example SFP"]);

    // However often it runs before the due time: still once.
    await scanAt(REMINDER_AT, at("2026-11-06T09:00:00Z"), at("2026-11-07T09:00:00Z"), at("2026-11-09T18:00:00Z"), DUE);
    const later = await noticesOf(reference);
    expect(later.reminders).toHaveLength(2);
    // Sent after the emails that move requests on (and sign-in links).
    expect(later.reminders.map((e) => e.priority)).toEqual([CATEGORY_PRIORITY.REMINDER, CATEGORY_PRIORITY.REMINDER]);
    expect(later.breaches).toHaveLength(0);
    expect(later.breachedEvents).toHaveLength(0);
  });

  it("a reminder sent late, on the due day itself, says it is due today", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: RAISED });
    await scanAt(at("2026-11-09T08:00:00Z"));
    const { reminders } = await noticesOf(reference);
    expect(reminders.map((e) => e.subject)).toEqual([
      `${reference}: Install Code due by the end of Monday 9 November 2026 (due today)`,
      `${reference}: Install Code due by the end of Monday 9 November 2026 (due today)`,
    ]);
  });

  it("at the due time records a breach once and tells the assignee, the raiser and the helpdesk", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: RAISED });

    // The first scan to see it is at the due time itself: not yet late, and too late to remind.
    await scanAt(DUE);
    expect((await noticesOf(reference)).breaches).toHaveLength(0);

    await scanAt(AFTER_DUE);
    const first = await noticesOf(reference);
    expect(first.reminders).toHaveLength(0);
    expect(first.to(first.breaches)).toEqual([
      "alice@northwind.example",
      "amir@northwind.example",
      "bea@southfield.example",
      "bob@southfield.example",
      "dana@dcc.example",
    ]);
    for (const email of first.breaches) {
      expect(email.subject).toBe(`${reference}: Install Code overdue (was due by the end of Monday 9 November 2026)`);
      expect(email.text).toContain(`http://portal.test/requests/${reference}`);
    }
    const byRecipient = new Map(first.breaches.map((e) => [e.to, e.text]));
    expect(byRecipient.get("bob@southfield.example")).toContain("Your organisation has not provided the Install Code");
    expect(byRecipient.get("alice@northwind.example")).toContain("Southfield Power has not provided the Install Code");
    expect(byRecipient.get("alice@northwind.example")).toContain("because your organisation raised this request");
    expect(byRecipient.get("dana@dcc.example")).toContain("because the DCC Helpdesk oversees");
    // On the timeline: breached at the due time, against the assignee.
    expect(first.breachedEvents.map((e) => [e.organisationId, e.at.toISOString()])).toEqual([[orgs.SFP, DUE.toISOString()]]);
    expect(first.rows.map((r) => r.kind)).toEqual(["BREACH"]);

    await scanAt(AFTER_DUE, at("2026-11-10T09:00:00Z"), at("2026-11-20T09:00:00Z"), at("2027-01-04T09:00:00Z"));
    const later = await noticesOf(reference);
    expect(later.breaches).toHaveLength(5);
    expect(new Set(later.breaches.map((e) => e.priority))).toEqual(new Set([CATEGORY_PRIORITY.BREACH]));
    expect(later.breachedEvents).toHaveLength(1);
    expect(later.rows).toHaveLength(1);
  });

  it("a request answered before the reminder gets nothing; one answered after it gets no breach", async () => {
    const early = await raiseFresh(alice, "SFP", { now: RAISED });
    const late = await raiseFresh(alice, "SFP", { now: RAISED });
    await provideInstallCode(bob, { reference: early.reference, installCode: CODE }, { now: at("2026-11-05T15:00:00Z") });
    await scanAt(REMINDER_AT);
    await provideInstallCode(bob, { reference: late.reference, installCode: CODE }, { now: at("2026-11-09T11:00:00Z") });
    await scanAt(at("2026-11-06T12:00:00Z"), AFTER_DUE, at("2026-11-16T09:00:00Z"));

    const answeredEarly = await noticesOf(early.reference);
    expect(answeredEarly.reminders).toHaveLength(0);
    expect(answeredEarly.breaches).toHaveLength(0);
    expect(answeredEarly.rows).toHaveLength(0);
    const answeredLater = await noticesOf(late.reference);
    expect(answeredLater.reminders).toHaveLength(2);
    expect(answeredLater.breaches).toHaveLength(0);
    expect(answeredLater.breachedEvents).toHaveLength(0);
  });

  it("a request closed before it is due gets no reminder and no breach", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: RAISED });
    await withdrawRequest(alice, { reference, reason: "NO_LONGER_NEEDED" }, { now: at("2026-11-04T10:00:00Z") });
    await scanAt(REMINDER_AT, AFTER_DUE, at("2026-12-01T09:00:00Z"));
    const notices = await noticesOf(reference);
    expect(notices.reminders).toHaveLength(0);
    expect(notices.breaches).toHaveLength(0);
    expect(notices.breachedEvents).toHaveLength(0);
  });

  it("a reassignment before the due time starts a clock for the new assignee only", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: RAISED });
    await scanAt(REMINDER_AT);
    // Reassigned on Southfield's due day, before the end of it: Eastgate's five Working Days are
    // 10, 11, 12, 13 and 16 November; it is reminded from Friday 13 November.
    await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate installed it" }, { now: at("2026-11-09T12:00:00Z") });
    expect((await requestRow(reference)).dueAt).toEqual(at("2026-11-16T23:59:59.999Z"));

    await scanAt(AFTER_DUE, at("2026-11-12T23:59:59Z"));
    let notices = await noticesOf(reference);
    expect(notices.to(notices.reminders)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    expect(notices.breaches).toHaveLength(0);

    await scanAt(at("2026-11-13T00:00:00Z"), at("2026-11-16T09:00:00Z"));
    notices = await noticesOf(reference);
    expect(notices.to(notices.reminders)).toEqual(["bea@southfield.example", "bob@southfield.example", "erin@eastgate.example"]);
    expect(notices.reminders.find((e) => e.to === "erin@eastgate.example")!.subject).toBe(
      `${reference}: Install Code due by the end of Monday 16 November 2026 (2 Working Days left)`,
    );

    await scanAt(at("2026-11-17T00:00:00Z"), at("2026-11-18T00:00:00Z"));
    notices = await noticesOf(reference);
    expect(notices.to(notices.breaches)).toEqual(["alice@northwind.example", "amir@northwind.example", "dana@dcc.example", "erin@eastgate.example"]);
    expect(notices.breachedEvents.map((e) => e.organisationId)).toEqual([orgs.EGP]);
  });

  it("after a breach and a reassignment, the new assignee gets its own reminder and breach and the previous one's breach is not repeated", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: RAISED });
    await scanAt(REMINDER_AT, AFTER_DUE);
    // Southfield answers late, then the helpdesk moves the request to Eastgate anyway: the code stays
    // Southfield's, and no email about Eastgate's clock may carry it.
    await provideInstallCode(bob, { reference, installCode: CODE }, { now: at("2026-11-10T09:00:00Z") });
    await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "The code did not work" }, { now: at("2026-11-10T10:00:00Z") });
    const eastgateDue = at("2026-11-17T23:59:59.999Z");
    expect((await requestRow(reference)).dueAt).toEqual(eastgateDue);

    await scanAt(at("2026-11-10T11:00:00Z"), at("2026-11-16T00:00:00Z"), new Date(eastgateDue.getTime() + 1), at("2026-11-25T09:00:00Z"));
    const notices = await noticesOf(reference);
    const southfield = (list: { to: string }[]) => notices.to(list).filter((to) => to.endsWith("@southfield.example"));
    expect(southfield(notices.reminders)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    expect(southfield(notices.breaches)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    expect(notices.reminders.filter((e) => e.to === "erin@eastgate.example")).toHaveLength(1);
    expect(notices.breaches.filter((e) => e.to === "erin@eastgate.example")).toHaveLength(1);
    expect(notices.breaches.filter((e) => e.to === "dana@dcc.example")).toHaveLength(2);
    expect(notices.breachedEvents.map((e) => [e.organisationId, e.at.toISOString()])).toEqual([
      [orgs.SFP, DUE.toISOString()],
      [orgs.EGP, eastgateDue.toISOString()],
    ]);
    expect(notices.rows.map((r) => `${r.kind} ${r.organisationId}`).sort()).toEqual(
      [`BREACH ${orgs.EGP}`, `BREACH ${orgs.SFP}`, `REMINDER ${orgs.EGP}`, `REMINDER ${orgs.SFP}`].sort(),
    );
    for (const email of [...notices.reminders, ...notices.breaches]) {
      expect(email.text).not.toContain(CODE);
      expect(email.html).not.toContain(CODE);
      expect(email.text).not.toContain("did not work");
    }
  });

  describe("several scanners at once", () => {
    const scanners: Database[] = [];
    const SCANNERS = 4;
    const RACE_RAISED = new Date("2026-12-07T10:00:00Z"); // Monday: due by the end of Monday 14 December
    const RACE_REMINDER = new Date("2026-12-11T09:00:00Z");
    const RACE_BREACH = new Date("2026-12-15T09:00:00Z");

    beforeAll(async () => {
      // On PostgreSQL each scanner has a client and connections of its own, as separate processes
      // would; the embedded database has one connection in one process, so its scanners share it.
      for (let i = 0; i < SCANNERS; i++) scanners.push(ON_POSTGRES ? openDatabase(database().target) : database());
    });
    afterAll(async () => {
      if (ON_POSTGRES) await Promise.all(scanners.map((s) => s.close()));
    });

    /** Requests raised for the race, and everything else first brought up to date at `before`. */
    async function raiseMany(n: number, before: Date) {
      const references: string[] = [];
      for (let i = 0; i < n; i++) references.push((await raiseFresh(alice, i % 2 ? "SFP" : "EGP", { now: RACE_RAISED })).reference);
      await runSlaScan(before);
      return references;
    }

    async function expectEachOnce(references: string[], kind: "reminders" | "breaches") {
      for (const reference of references) {
        const notices = await noticesOf(reference);
        const assignee = (await requestRow(reference)).assignedOrganisationId === orgs.SFP ? "SFP" : "EGP";
        const expected = kind === "reminders" ? (assignee === "SFP" ? 2 : 1) : assignee === "SFP" ? 5 : 4;
        expect(notices[kind], `${reference} ${kind}`).toHaveLength(expected);
        expect(new Set(notices.to(notices[kind])).size).toBe(expected);
        expect(notices.rows.filter((r) => r.kind === (kind === "reminders" ? "REMINDER" : "BREACH"))).toHaveLength(1);
        if (kind === "breaches") expect(notices.breachedEvents).toHaveLength(1);
      }
    }

    it(
      ON_POSTGRES
        ? "without the advisory lock, scanners racing on separate connections still send each reminder and breach exactly once"
        : "concurrent scans send each reminder and breach exactly once",
      async () => {
        const references = await raiseMany(8, RACE_RAISED);
        const reminded = await Promise.all(scanners.map((s) => runSlaScan(RACE_REMINDER, { database: s, lock: false })));
        expect(reminded.reduce((sum, r) => sum + r.reminders, 0)).toBe(references.length);
        await expectEachOnce(references, "reminders");

        const breached = await Promise.all(scanners.map((s) => runSlaScan(RACE_BREACH, { database: s, lock: false })));
        expect(breached.reduce((sum, r) => sum + r.breaches, 0)).toBe(references.length);
        await expectEachOnce(references, "breaches");
      },
    );

    it("with the advisory lock, racing scanners send each reminder and breach exactly once", async () => {
      const references = await raiseMany(6, RACE_RAISED);
      const reminded = await Promise.all(scanners.map((s) => runSlaScan(RACE_REMINDER, { database: s })));
      expect(reminded.reduce((sum, r) => sum + r.reminders, 0)).toBe(references.length);
      await expectEachOnce(references, "reminders");
      const breached = await Promise.all(scanners.map((s) => runSlaScan(RACE_BREACH, { database: s })));
      expect(breached.reduce((sum, r) => sum + r.breaches, 0)).toBe(references.length);
      await expectEachOnce(references, "breaches");
    });

    it(
      ON_POSTGRES
        ? "a scan that finds another process holding the scan's lock leaves the work to it"
        : "the embedded database has one process: a scan takes no lock and is never skipped",
      async () => {
        const [reference] = await raiseMany(1, RACE_RAISED);
        if (ON_POSTGRES) {
          const other = await database().connect();
          try {
            await other.query("SELECT pg_advisory_lock(7301122)");
            expect(await runSlaScan(RACE_REMINDER)).toEqual({ reminders: 0, breaches: 0, skipped: true });
            expect((await noticesOf(reference)).reminders).toHaveLength(0);
            await other.query("SELECT pg_advisory_unlock(7301122)");
          } finally {
            await other.release();
          }
        }
        expect(await runSlaScan(RACE_REMINDER)).toMatchObject({ reminders: 1, skipped: false });
        expect((await noticesOf(reference)).reminders).toHaveLength(1);
      },
    );
  });
});
