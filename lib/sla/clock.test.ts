import { describe, expect, it } from "vitest";
import type { RequestEventType } from "../db/generated/client";
import { clocksFrom, slaState, type ClockEvent } from "./clock";
import { DEFAULT_RULE, type SlaRule } from "./rule";

// The obligation from hand-made timelines (docs/decisions/016-sla-clock.md). The main example: raised
// on Thursday 2 April 2026 at 10:00 BST; Good Friday (3 April) and Easter Monday (6 April) are bank
// holidays, so the five Working Days are Tue 7, Wed 8, Thu 9, Fri 10 and Mon 13 April, and the
// response is due at the end of Monday 13 April, 23:59:59.999 BST = 22:59:59.999Z.

const RAISER = "org-northwind";
const A = "org-southfield";
const B = "org-eastgate";

const RAISED_AT = "2026-04-02T09:00:00Z";
const DUE_AT = "2026-04-13T22:59:59.999Z";

function event(type: RequestEventType, at: string, who: { organisationId?: string; actor?: string } = {}): ClockEvent {
  return { type, at: new Date(at), organisationId: who.organisationId ?? null, actorOrganisationId: who.actor ?? null };
}

/** A raise by RAISER, assigned to `assignee`, at `at`. */
function raised(at = RAISED_AT, assignee = A): ClockEvent[] {
  return [event("RAISED", at, { actor: RAISER }), event("ASSIGNED", at, { organisationId: assignee })];
}
const code = (at: string, by = A) => event("INSTALL_CODE_PROVIDED", at, { actor: by });
const note = (at: string, by = A) => event("NOTE_ADDED", at, { actor: by });
const reassigned = (at: string, to: string) => event("REASSIGNED", at, { organisationId: to, actor: "org-dcc" });
const closed = (at: string) => event("CLOSED", at, { actor: RAISER });
const at = (iso: string) => new Date(iso);

describe("clocksFrom", () => {
  it("has no clock before any assignment", () => {
    expect(clocksFrom([], DEFAULT_RULE, at("2026-04-20T09:00:00Z"))).toEqual([]);
    const state = slaState([], DEFAULT_RULE, at("2026-04-20T09:00:00Z"));
    expect(state.current).toBeNull();
    expect(state.dueAt).toBeNull();
    expect(state.workingDaysLeft).toBe(0);
  });

  it("answered in time: the first code from the assignee stops the clock", () => {
    const [clock] = clocksFrom([...raised(), code("2026-04-08T14:00:00Z")], DEFAULT_RULE, at("2026-04-20T09:00:00Z"));
    expect(clock).toEqual({
      organisationId: A,
      startedAt: at(RAISED_AT),
      dueAt: at(DUE_AT),
      firstResponseAt: at("2026-04-08T14:00:00Z"),
      endedAt: at("2026-04-08T14:00:00Z"),
      outcome: "answered",
      respondedInTime: true,
      breachedAt: null,
      // Tue 7 and Wed 8 April after the start day.
      workingDaysToResponse: 2,
    });
  });

  it("a code at the last millisecond of the due day is in time; one millisecond later is late", () => {
    const onTime = clocksFrom([...raised(), code(DUE_AT)], DEFAULT_RULE, at("2026-04-20T09:00:00Z"))[0];
    expect(onTime.respondedInTime).toBe(true);
    expect(onTime.breachedAt).toBeNull();
    // 23:00Z on 13 April is 00:00 BST on Tuesday 14 April.
    const late = clocksFrom([...raised(), code("2026-04-13T23:00:00Z")], DEFAULT_RULE, at("2026-04-20T09:00:00Z"))[0];
    expect(late.respondedInTime).toBe(false);
    expect(late.breachedAt).toEqual(at(DUE_AT));
  });

  it("answered late: respondedInTime false, breached at the due time, and still counted as answered", () => {
    const [clock] = clocksFrom([...raised(), code("2026-04-15T10:00:00Z")], DEFAULT_RULE, at("2026-04-20T09:00:00Z"));
    expect(clock.outcome).toBe("answered");
    expect(clock.respondedInTime).toBe(false);
    expect(clock.breachedAt).toEqual(at(DUE_AT));
    // Tue 7 ... Mon 13, Tue 14, Wed 15.
    expect(clock.workingDaysToResponse).toBe(7);
  });

  it("never answered: not breached while inside the five Working Days, breached at the due time once it has passed", () => {
    const events = raised();
    const before = clocksFrom(events, DEFAULT_RULE, at("2026-04-13T22:00:00Z"))[0];
    expect(before).toMatchObject({ outcome: "open", endedAt: null, firstResponseAt: null, respondedInTime: null, breachedAt: null });
    const after = clocksFrom(events, DEFAULT_RULE, at("2026-04-13T23:00:00Z"))[0];
    expect(after).toMatchObject({ outcome: "open", endedAt: null, firstResponseAt: null, respondedInTime: null, breachedAt: at(DUE_AT) });
  });

  it("a note alone is not a response: the clock runs on and breaches", () => {
    const events = [...raised(), note("2026-04-07T09:00:00Z"), note("2026-04-08T09:00:00Z", RAISER)];
    const [clock] = clocksFrom(events, DEFAULT_RULE, at("2026-04-15T09:00:00Z"));
    expect(clock.outcome).toBe("open");
    expect(clock.firstResponseAt).toBeNull();
    expect(clock.breachedAt).toEqual(at(DUE_AT));
  });

  it("a code by an organisation that is not the current assignee does not stop the clock", () => {
    const events = [...raised(), code("2026-04-07T09:00:00Z", B), code("2026-04-08T09:00:00Z", RAISER)];
    const [clock] = clocksFrom(events, DEFAULT_RULE, at("2026-04-15T09:00:00Z"));
    expect(clock.outcome).toBe("open");
    expect(clock.firstResponseAt).toBeNull();
    expect(clock.breachedAt).toEqual(at(DUE_AT));
  });

  it("a replacement code does not move the first response", () => {
    const events = [...raised(), code("2026-04-08T09:00:00Z"), code("2026-04-15T09:00:00Z")];
    const [clock] = clocksFrom(events, DEFAULT_RULE, at("2026-04-20T09:00:00Z"));
    expect(clock.firstResponseAt).toEqual(at("2026-04-08T09:00:00Z"));
    expect(clock.respondedInTime).toBe(true);
    expect(clock.breachedAt).toBeNull();
  });

  it("reassigned after a response: the first clock stays answered, the new assignee's clock starts at the reassignment", () => {
    // Reassigned on Thursday 9 April at 11:00 BST: Fri 10, Mon 13, Tue 14, Wed 15, Thu 16 April.
    const events = [...raised(), code("2026-04-08T09:00:00Z"), reassigned("2026-04-09T10:00:00Z", B)];
    const clocks = clocksFrom(events, DEFAULT_RULE, at("2026-04-10T09:00:00Z"));
    expect(clocks.map((c) => [c.organisationId, c.outcome, c.respondedInTime, c.breachedAt])).toEqual([
      [A, "answered", true, null],
      [B, "open", null, null],
    ]);
    expect(clocks[1].startedAt).toEqual(at("2026-04-09T10:00:00Z"));
    expect(clocks[1].dueAt).toEqual(at("2026-04-16T22:59:59.999Z"));
    // The previous assignee's code does not answer for the new one.
    const state = slaState(events, DEFAULT_RULE, at("2026-04-10T09:00:00Z"));
    expect(state.current?.organisationId).toBe(B);
    expect(state.firstResponseAt).toBeNull();
    expect(state.respondedInTime).toBeNull();
    expect(state.dueAt).toEqual(at("2026-04-16T22:59:59.999Z"));
  });

  it("reassigned after the due time with no response: the first clock is breached and stays so; the new clock runs from the reassignment", () => {
    // Reassigned on Wednesday 15 April at 11:00 BST: Thu 16, Fri 17, Mon 20, Tue 21, Wed 22 April.
    const events = [...raised(), reassigned("2026-04-15T10:00:00Z", B), code("2026-04-17T09:00:00Z", B)];
    const [first, second] = clocksFrom(events, DEFAULT_RULE, at("2026-04-20T09:00:00Z"));
    expect(first).toMatchObject({
      organisationId: A,
      outcome: "reassigned",
      endedAt: at("2026-04-15T10:00:00Z"),
      firstResponseAt: null,
      respondedInTime: null,
      breachedAt: at(DUE_AT),
    });
    expect(second).toMatchObject({
      organisationId: B,
      startedAt: at("2026-04-15T10:00:00Z"),
      dueAt: at("2026-04-22T22:59:59.999Z"),
      outcome: "answered",
      respondedInTime: true,
      breachedAt: null,
      // Thu 16, Fri 17.
      workingDaysToResponse: 2,
    });
  });

  it("reassigned before the due time with no response: neither clock is breached yet", () => {
    const events = [...raised(), reassigned("2026-04-09T10:00:00Z", B)];
    const [first, second] = clocksFrom(events, DEFAULT_RULE, at("2026-04-14T09:00:00Z"));
    expect(first).toMatchObject({ outcome: "reassigned", breachedAt: null, respondedInTime: null });
    // B's due: end of Thursday 16 April.
    expect(second).toMatchObject({ outcome: "open", breachedAt: null });
  });

  it("the previous assignee's code after a reassignment does not answer for the new assignee", () => {
    const events = [...raised(), reassigned("2026-04-09T10:00:00Z", B), code("2026-04-10T09:00:00Z", A)];
    const [first, second] = clocksFrom(events, DEFAULT_RULE, at("2026-04-20T09:00:00Z"));
    expect(first.firstResponseAt).toBeNull();
    expect(second).toMatchObject({ outcome: "open", firstResponseAt: null, breachedAt: at("2026-04-16T22:59:59.999Z") });
  });

  it("closed before any response and before the due time: ended 'closed', never breached", () => {
    const events = [...raised(), closed("2026-04-08T09:00:00Z")];
    const [clock] = clocksFrom(events, DEFAULT_RULE, at("2026-05-20T09:00:00Z"));
    expect(clock).toMatchObject({ outcome: "closed", endedAt: at("2026-04-08T09:00:00Z"), firstResponseAt: null, respondedInTime: null, breachedAt: null });
  });

  it("closed after the due time with no response: breached at the due time", () => {
    const [clock] = clocksFrom([...raised(), closed("2026-04-15T09:00:00Z")], DEFAULT_RULE, at("2026-05-20T09:00:00Z"));
    expect(clock).toMatchObject({ outcome: "closed", breachedAt: at(DUE_AT) });
  });

  it("closing after the response changes nothing", () => {
    const [clock] = clocksFrom([...raised(), code("2026-04-08T09:00:00Z"), closed("2026-04-20T09:00:00Z")], DEFAULT_RULE, at("2026-05-20T09:00:00Z"));
    expect(clock).toMatchObject({ outcome: "answered", endedAt: at("2026-04-08T09:00:00Z"), respondedInTime: true, breachedAt: null });
  });

  it("ignores the timeline's other events (emails, reveals, a BREACHED record)", () => {
    const noise = [
      event("EMAIL_QUEUED", "2026-04-02T09:00:00Z"),
      event("EMAIL_SENT", "2026-04-02T09:01:00Z"),
      event("BREACHED", DUE_AT, { organisationId: A }),
      event("INSTALL_CODE_REVEALED", "2026-04-16T09:00:00Z", { actor: RAISER }),
    ];
    const clocks = clocksFrom([...raised(), ...noise, code("2026-04-15T09:00:00Z")], DEFAULT_RULE, at("2026-04-20T09:00:00Z"));
    expect(clocks).toHaveLength(1);
    expect(clocks[0]).toMatchObject({ outcome: "answered", respondedInTime: false, breachedAt: at(DUE_AT) });
  });

  it("takes the stored due time for the current clock only; earlier clocks follow the rule", () => {
    const stored = at("2026-04-24T16:00:00Z");
    const events = [...raised(), reassigned("2026-04-15T10:00:00Z", B)];
    const [first, second] = clocksFrom(events, DEFAULT_RULE, at("2026-04-23T09:00:00Z"), stored);
    expect(first.dueAt).toEqual(at(DUE_AT));
    expect(first.breachedAt).toEqual(at(DUE_AT));
    // By the rule B would be due at the end of 22 April and breached by 23 April; the stored time wins.
    expect(second.dueAt).toEqual(stored);
    expect(second.breachedAt).toBeNull();
    expect(slaState(events, DEFAULT_RULE, at("2026-04-23T09:00:00Z"), stored).dueAt).toEqual(stored);
  });

  it("follows the configured rule for each clock", () => {
    const rule: SlaRule = { workingDays: 5, dueTime: { hour: 17, minute: 0 }, sameDayCutoff: { hour: 12, minute: 0 } };
    // Raised Thursday 2 April 10:00 BST, before noon: Thu 2, Tue 7, Wed 8, Thu 9, Fri 10 at 17:00 BST.
    const [clock] = clocksFrom(raised(), rule, at("2026-04-10T16:30:00Z"));
    expect(clock.dueAt).toEqual(at("2026-04-10T16:00:00Z"));
    expect(clock.breachedAt).toEqual(at("2026-04-10T16:00:00Z"));
  });
});

describe("slaState: Working Days left, elapsed and overdue", () => {
  const state = (now: string, events: ClockEvent[] = raised(), rule: SlaRule = DEFAULT_RULE) => slaState(events, rule, at(now), undefined);

  it.each([
    // Raised Thursday 2 April: none of the five has started, so five are left.
    ["the day of raising", "2026-04-02T15:00:00Z", 5],
    ["Good Friday", "2026-04-03T09:00:00Z", 5],
    ["Tuesday 7 April (the first)", "2026-04-07T09:00:00Z", 5],
    // Thu 9 (today), Fri 10, Mon 13.
    ["Thursday 9 April", "2026-04-09T09:00:00Z", 3],
    ["Friday 10 April", "2026-04-10T09:00:00Z", 2],
    ["Saturday 11 April", "2026-04-11T09:00:00Z", 1],
    ["Monday 13 April, the due day", "2026-04-13T09:00:00Z", 1],
    ["the last minute of the due day", "2026-04-13T22:59:00Z", 1],
    ["Tuesday 14 April, after the due day", "2026-04-14T09:00:00Z", 0],
  ])("has the right Working Days left on %s", (_, now, left) => {
    expect(state(now).workingDaysLeft).toBe(left);
  });

  it("counts the start day among the days left when the cut-off counts it", () => {
    const noon: SlaRule = { ...DEFAULT_RULE, sameDayCutoff: { hour: 12, minute: 0 } };
    // Raised 10:00 BST Thursday 2 April, due Friday 10 April: Thu 2, Tue 7, Wed 8, Thu 9, Fri 10.
    expect(state("2026-04-02T15:00:00Z", raised(), noon).workingDaysLeft).toBe(5);
    expect(state("2026-04-09T09:00:00Z", raised(), noon).workingDaysLeft).toBe(2);
    // Thu 2, Tue 7, Wed 8, Thu 9 so far.
    expect(state("2026-04-09T09:00:00Z", raised(), noon).workingDaysElapsed).toBe(4);
    // Raised at 14:00 BST, after noon: the day does not count; Tue 7 ... Mon 13 are all left.
    expect(state("2026-04-02T15:00:00Z", raised("2026-04-02T13:00:00Z"), noon).workingDaysLeft).toBe(5);
  });

  it("has no Working Days left once answered", () => {
    expect(state("2026-04-09T09:00:00Z", [...raised(), code("2026-04-08T09:00:00Z")]).workingDaysLeft).toBe(0);
  });

  it("counts Working Days elapsed from the start day to today, or to the response", () => {
    expect(state("2026-04-02T15:00:00Z").workingDaysElapsed).toBe(0);
    // Tue 7, Wed 8, Thu 9.
    expect(state("2026-04-09T09:00:00Z").workingDaysElapsed).toBe(3);
    // Answered on Wednesday 8 April: Tue 7, Wed 8, however long ago.
    expect(state("2026-05-20T09:00:00Z", [...raised(), code("2026-04-08T09:00:00Z")]).workingDaysElapsed).toBe(2);
  });

  it("says 'Overdue by 2 Working Days' on Wednesday 15 April when still unanswered", () => {
    const s = state("2026-04-15T09:00:00Z");
    // Tue 14 and Wed 15 after the due day.
    expect(s.workingDaysOverdue).toBe(2);
    expect(s.workingDaysLeft).toBe(0);
    expect(s.breachedAt).toEqual(at(DUE_AT));
    expect(s.respondedInTime).toBeNull();
  });

  it("counts overdue days up to the late response, not to today", () => {
    // Answered on Tuesday 14 April: one Working Day late, however long ago.
    const s = state("2026-05-20T09:00:00Z", [...raised(), code("2026-04-14T09:00:00Z")]);
    expect(s.workingDaysOverdue).toBe(1);
    expect(s.respondedInTime).toBe(false);
    expect(s.firstResponseAt).toEqual(at("2026-04-14T09:00:00Z"));
  });

  it("is not overdue when answered in time, nor on the due day itself", () => {
    expect(state("2026-05-20T09:00:00Z", [...raised(), code("2026-04-13T20:00:00Z")]).workingDaysOverdue).toBe(0);
    expect(state("2026-04-13T20:00:00Z").workingDaysOverdue).toBe(0);
  });

  it("is breached but 0 Working Days overdue on the weekend right after a Friday due day", () => {
    // Raised Friday 5 June 2026, due at the end of Friday 12 June (BST).
    const events = raised("2026-06-05T09:00:00Z");
    const saturday = state("2026-06-13T09:00:00Z", events);
    expect(saturday.breachedAt).toEqual(at("2026-06-12T22:59:59.999Z"));
    expect(saturday.workingDaysOverdue).toBe(0);
    expect(state("2026-06-15T09:00:00Z", events).workingDaysOverdue).toBe(1);
  });

  it("counts the new assignee's days from the reassignment", () => {
    // Reassigned Wednesday 15 April, due Wednesday 22 April. On Monday 20 April: Mon 20, Tue 21, Wed 22 left; Thu 16, Fri 17, Mon 20 elapsed.
    const s = state("2026-04-20T09:00:00Z", [...raised(), reassigned("2026-04-15T10:00:00Z", B)]);
    expect(s.current?.organisationId).toBe(B);
    expect(s.workingDaysLeft).toBe(3);
    expect(s.workingDaysElapsed).toBe(3);
    expect(s.workingDaysOverdue).toBe(0);
    expect(s.breachedAt).toBeNull();
    // The previous clock's breach is on the previous clock.
    expect(s.clocks[0].breachedAt).toEqual(at(DUE_AT));
  });
});
