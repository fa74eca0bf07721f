import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { addNote } from "@/lib/requests/add-note";
import { withdrawRequest } from "@/lib/requests/close-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { viewRequest } from "@/lib/requests/view-request";
import { clocksFrom, type ClockEvent } from "@/lib/sla/clock";
import { DEFAULT_RULE } from "@/lib/sla/rule";
import { requestClocksInPeriod, supplierStatistics } from "@/lib/sla/statistics";
import { closeSeededDatabase, eventsOf, ON_POSTGRES, openSeededDatabase, raiseFresh, requestRow } from "../requests/support";

// The obligation from real timelines: requests raised, answered, noted, reassigned and closed
// through the use cases at chosen instants, then read back through viewRequest and the statistics.
// Expected values are worked out by hand from the England and Wales calendar (BST = UTC+1 from
// 29 March to 24 October 2026; GMT = UTC in February 2027).

const CODE = "83FED3407A939723A5C639B26916D505";
const at = (iso: string) => new Date(iso);

// Raised Thursday 2 April 2026, 10:00 BST. Good Friday and Easter Monday are bank holidays: the five
// Working Days are Tue 7, Wed 8, Thu 9, Fri 10 and Mon 13 April; due at the end of Monday 13 April.
const RAISED = "2026-04-02T09:00:00Z";
const DUE = "2026-04-13T22:59:59.999Z";

describe(`the obligation from a request's timeline (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, erin, dana, orgs } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  /** The SLA the raiser's request page shows at `now`. */
  const slaAt = async (reference: string, now: string) => (await viewRequest(alice, reference, { now: at(now) })).sla;

  /** The stored due time must be the current clock's, as the default rule computes it from the events. */
  async function expectStoredDueIsTheCurrentClocks(reference: string) {
    const events = (await eventsOf(reference)) as ClockEvent[];
    const computed = clocksFrom(events, DEFAULT_RULE, at("2030-01-01T00:00:00Z")).at(-1);
    expect((await requestRow(reference)).dueAt).toEqual(computed?.dueAt);
  }

  it("runs under the default rule here", () => {
    expect(env().slaRule).toEqual(DEFAULT_RULE);
  });

  it("in time: due at the end of Monday 13 April, answered on Wednesday 8 April", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });
    expect((await requestRow(reference)).dueAt).toEqual(at(DUE));
    await provideInstallCode(bob, { reference, installCode: CODE }, { now: at("2026-04-08T13:00:00Z") });

    const sla = await slaAt(reference, "2026-04-20T09:00:00Z");
    expect(sla.clocks).toHaveLength(1);
    expect(sla.current).toMatchObject({
      organisationId: orgs.SFP,
      startedAt: at(RAISED),
      dueAt: at(DUE),
      firstResponseAt: at("2026-04-08T13:00:00Z"),
      outcome: "answered",
      respondedInTime: true,
      breachedAt: null,
      // Tue 7, Wed 8.
      workingDaysToResponse: 2,
    });
    expect(sla).toMatchObject({ respondedInTime: true, breachedAt: null, workingDaysLeft: 0, workingDaysOverdue: 0, workingDaysElapsed: 2 });
    await expectStoredDueIsTheCurrentClocks(reference);
  });

  it("explains the due day on the request page: the days counted and the bank holidays skipped", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });
    const view = await viewRequest(bob, reference, { now: at("2026-04-09T09:00:00Z") });
    const days = (list: { year: number; month: number; day: number }[]) => list.map((d) => `${d.day}/${d.month}`);
    expect(days(view.dueExplanation!.counted)).toEqual(["7/4", "8/4", "9/4", "10/4", "13/4"]);
    expect(view.dueExplanation!.skipped.map((s) => `${s.day.day}/${s.day.month} ${s.why}`)).toEqual([
      "3/4 Good Friday",
      "4/4 Saturday",
      "5/4 Sunday",
      "6/4 Easter Monday",
      "11/4 Saturday",
      "12/4 Sunday",
    ]);
    expect(view.dueExplanation!.dueAt).toEqual(at(DUE));
  });

  it("late: answered on Wednesday 15 April, two Working Days after the due day", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });
    await provideInstallCode(bob, { reference, installCode: CODE }, { now: at("2026-04-15T09:00:00Z") });

    const sla = await slaAt(reference, "2026-05-01T09:00:00Z");
    expect(sla).toMatchObject({ dueAt: at(DUE), firstResponseAt: at("2026-04-15T09:00:00Z"), respondedInTime: false, breachedAt: at(DUE) });
    // Tue 14 and Wed 15 after the due day; Tue 7 ... Wed 15 to the response.
    expect(sla.workingDaysOverdue).toBe(2);
    expect(sla.current?.workingDaysToResponse).toBe(7);
    await expectStoredDueIsTheCurrentClocks(reference);
  });

  it("never answered: five Working Days left on the day of raising, three on Thursday 9 April, breached after Monday 13 April", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });

    expect((await slaAt(reference, "2026-04-02T15:00:00Z")).workingDaysLeft).toBe(5);
    const thursday = await slaAt(reference, "2026-04-09T09:00:00Z");
    expect(thursday).toMatchObject({ workingDaysLeft: 3, workingDaysElapsed: 3, breachedAt: null, respondedInTime: null, firstResponseAt: null });
    expect((await slaAt(reference, "2026-04-13T09:00:00Z")).workingDaysLeft).toBe(1);

    const after = await slaAt(reference, "2026-04-15T09:00:00Z");
    expect(after).toMatchObject({ workingDaysLeft: 0, workingDaysOverdue: 2, breachedAt: at(DUE), respondedInTime: null });
    expect(after.current?.outcome).toBe("open");
    // The list's "overdue" agrees.
    expect((await viewRequest(alice, reference, { now: at("2026-04-15T09:00:00Z") })).overdue).toBe(true);
    await expectStoredDueIsTheCurrentClocks(reference);
  });

  it("a note is not a response: the assignee's note does not stop the clock", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });
    await addNote(bob, { reference, body: "We are looking for this Device's label" }, { now: at("2026-04-07T09:00:00Z") });

    const sla = await slaAt(reference, "2026-04-15T09:00:00Z");
    expect(sla.current).toMatchObject({ outcome: "open", firstResponseAt: null, breachedAt: at(DUE) });
    expect((await requestRow(reference)).status).toBe("ASSIGNED");
  });

  it("reassigned after a response: the first clock stays answered in time; the new assignee's runs from the reassignment", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });
    await provideInstallCode(bob, { reference, installCode: CODE }, { now: at("2026-04-08T09:00:00Z") });
    // Reassigned on Thursday 9 April, 11:00 BST: Fri 10, Mon 13, Tue 14, Wed 15, Thu 16 April.
    await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "The Device moved to Eastgate" }, { now: at("2026-04-09T10:00:00Z") });

    const sla = await slaAt(reference, "2026-04-10T09:00:00Z");
    expect(sla.clocks.map((c) => [c.organisationId, c.outcome, c.respondedInTime, c.breachedAt])).toEqual([
      [orgs.SFP, "answered", true, null],
      [orgs.EGP, "open", null, null],
    ]);
    expect(sla.current).toMatchObject({ startedAt: at("2026-04-09T10:00:00Z"), dueAt: at("2026-04-16T22:59:59.999Z") });
    // The new assignee has not answered: the previous assignee's code does not count for it. On
    // Friday 10 April all five of its Working Days are left (Fri 10 ... Thu 16).
    expect(sla).toMatchObject({ firstResponseAt: null, respondedInTime: null, workingDaysLeft: 5 });
    expect((await requestRow(reference)).dueAt).toEqual(at("2026-04-16T22:59:59.999Z"));
    await expectStoredDueIsTheCurrentClocks(reference);

    await provideInstallCode(erin, { reference, installCode: CODE }, { now: at("2026-04-14T09:00:00Z") });
    const answered = await slaAt(reference, "2026-04-20T09:00:00Z");
    // Fri 10, Mon 13, Tue 14.
    expect(answered.current).toMatchObject({ organisationId: orgs.EGP, outcome: "answered", respondedInTime: true, workingDaysToResponse: 3 });
  });

  it("reassigned after the due time with no response: the first clock is breached; the new one is not", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });
    // Wednesday 15 April, 11:00 BST: Thu 16, Fri 17, Mon 20, Tue 21, Wed 22 April.
    await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "No answer from Southfield" }, { now: at("2026-04-15T10:00:00Z") });

    const sla = await slaAt(reference, "2026-04-16T09:00:00Z");
    expect(sla.clocks[0]).toMatchObject({ organisationId: orgs.SFP, outcome: "reassigned", breachedAt: at(DUE), endedAt: at("2026-04-15T10:00:00Z") });
    expect(sla.current).toMatchObject({ organisationId: orgs.EGP, dueAt: at("2026-04-22T22:59:59.999Z"), breachedAt: null });
    expect(sla.workingDaysLeft).toBe(5);
    await expectStoredDueIsTheCurrentClocks(reference);
  });

  it("closed before any response and before due: the clock ends 'closed' and is never breached", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(RAISED) });
    await withdrawRequest(alice, { reference, reason: "NO_LONGER_NEEDED" }, { now: at("2026-04-08T09:00:00Z") });

    const sla = await slaAt(reference, "2026-05-20T09:00:00Z");
    expect(sla.current).toMatchObject({ outcome: "closed", endedAt: at("2026-04-08T09:00:00Z"), breachedAt: null, respondedInTime: null });
    expect(sla.workingDaysOverdue).toBe(0);
  });

  it.each([
    // 23:30 BST on Sunday 29 March 2026: Mon 30, Tue 31, Wed 1, Thu 2, Tue 7 April (BST).
    ["2026-03-29T22:30:00Z", "2026-04-07T22:59:59.999Z"],
    // 23:30 GMT on Sunday 25 October 2026: Mon 26 ... Fri 30 October (GMT).
    ["2026-10-25T23:30:00Z", "2026-10-30T23:59:59.999Z"],
    // Christmas Day 2026: Tue 29, Wed 30, Thu 31 December, Mon 4, Tue 5 January 2027 (GMT).
    ["2026-12-25T12:00:00Z", "2027-01-05T23:59:59.999Z"],
  ])("a raise at %s stores the due time %s, the current clock's", async (raisedAt, due) => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at(raisedAt) });
    expect((await requestRow(reference)).dueAt).toEqual(at(due));
    await expectStoredDueIsTheCurrentClocks(reference);
  });

  describe("statistics over February 2027", () => {
    const FEBRUARY = { from: at("2027-02-01T00:00:00Z"), to: at("2027-03-01T00:00:00Z") };
    const NOW = at("2027-03-01T09:00:00Z");
    const numbers: Record<string, number> = {};

    beforeAll(async () => {
      const raise = async (name: string, iso: string) => {
        const { reference } = await raiseFresh(alice, "SFP", { now: at(iso) });
        numbers[name] = (await requestRow(reference)).number;
        return reference;
      };
      // In time: raised Mon 1 Feb, due end of Mon 8 Feb; answered Wed 3 Feb (2 Working Days).
      const inTime = await raise("inTime", "2027-02-01T09:00:00Z");
      await provideInstallCode(bob, { reference: inTime, installCode: CODE }, { now: at("2027-02-03T10:00:00Z") });
      // Late: raised Tue 2 Feb, due end of Tue 9 Feb; answered Wed 10 Feb (6 Working Days).
      const late = await raise("late", "2027-02-02T09:00:00Z");
      await provideInstallCode(bob, { reference: late, installCode: CODE }, { now: at("2027-02-10T10:00:00Z") });
      // Never answered (a note only): raised Wed 3 Feb, due end of Wed 10 Feb: breached.
      const unanswered = await raise("unanswered", "2027-02-03T09:00:00Z");
      await addNote(bob, { reference: unanswered, body: "Still looking" }, { now: at("2027-02-05T09:00:00Z") });
      // Raised Thu 4 Feb, due end of Thu 11 Feb; reassigned to EGP on Mon 15 Feb (after due: counts
      // against SFP); EGP due end of Mon 22 Feb, answered Wed 17 Feb (2 Working Days).
      const movedLate = await raise("movedLate", "2027-02-04T09:00:00Z");
      await reassignRequest(dana, { reference: movedLate, organisationCode: "EGP", reason: "No answer" }, { now: at("2027-02-15T10:00:00Z") });
      await provideInstallCode(erin, { reference: movedLate, installCode: CODE }, { now: at("2027-02-17T10:00:00Z") });
      // Raised Fri 5 Feb, due end of Fri 12 Feb; reassigned to EGP on Tue 9 Feb (before due); EGP due
      // end of Tue 16 Feb, never answered: breached for EGP.
      const movedEarly = await raise("movedEarly", "2027-02-05T09:00:00Z");
      await reassignRequest(dana, { reference: movedEarly, organisationCode: "EGP", reason: "Wrong Supplier" }, { now: at("2027-02-09T10:00:00Z") });
      // Raised Mon 8 Feb, closed by the raiser Tue 9 Feb with no response: no outcome.
      const closedEarly = await raise("closedEarly", "2027-02-08T09:00:00Z");
      await withdrawRequest(alice, { reference: closedEarly, reason: "NO_LONGER_NEEDED" }, { now: at("2027-02-09T09:00:00Z") });
      // Outside the period: raised Fri 29 January, answered Mon 1 February.
      const january = await raise("january", "2027-01-29T09:00:00Z");
      await provideInstallCode(bob, { reference: january, installCode: CODE }, { now: at("2027-02-01T10:00:00Z") });
    });

    it("finds the requests with a clock started in the period, and only those", async () => {
      const all = await requestClocksInPeriod(FEBRUARY, DEFAULT_RULE, NOW);
      const inFebruary = ["inTime", "late", "unanswered", "movedLate", "movedEarly", "closedEarly"].map((n) => numbers[n]);
      expect(all.map((r) => r.number).sort((a, b) => a - b)).toEqual(inFebruary.sort((a, b) => a - b));
      // Narrowed to Eastgate: the two requests reassigned to it.
      const eastgate = await requestClocksInPeriod(FEBRUARY, DEFAULT_RULE, NOW, { organisationId: orgs.EGP });
      expect(eastgate.map((r) => r.number).sort((a, b) => a - b)).toEqual([numbers.movedLate, numbers.movedEarly].sort((a, b) => a - b));
    });

    it("counts each Supplier's clocks: a reassignment after due counts against the previous assignee", async () => {
      const stats = supplierStatistics(await requestClocksInPeriod(FEBRUARY, DEFAULT_RULE, NOW), FEBRUARY);
      expect([...stats.keys()].sort()).toEqual([orgs.SFP, orgs.EGP].sort());
      expect(stats.get(orgs.SFP)).toEqual({
        organisationId: orgs.SFP,
        received: 6,
        answered: 2,
        answeredInTime: 1,
        answeredLate: 1,
        // The late answer, the unanswered one, the one reassigned away after due.
        breached: 3,
        reassignedAway: 2,
        // 2 and 6: median 4; p90 rank 0.9: 2 + 0.9 x 4 = 5.6.
        medianWorkingDays: 4,
        p90WorkingDays: expect.closeTo(5.6, 10),
        // 1 in time of 4 decided (in time, late, unanswered, reassigned after due).
        percentInTime: 25,
      });
      expect(stats.get(orgs.EGP)).toEqual({
        organisationId: orgs.EGP,
        received: 2,
        answered: 1,
        answeredInTime: 1,
        answeredLate: 0,
        breached: 1,
        reassignedAway: 0,
        medianWorkingDays: 2,
        p90WorkingDays: 2,
        percentInTime: 50,
      });
    });
  });
});
