import { describe, expect, it } from "vitest";
import { dueByPhrase, slaState, type ClockEvent } from "./clock";
import { dueCountPhrase, formatDueWithCount } from "./phrases";
import { clockDueAt, DEFAULT_RULE, type SlaRule } from "./rule";

// The due date as the request page and every email say it (issue 13, part 5): "by the end of Friday
// 4 December 2026 (3 Working Days left)", counted on the England and Wales Working Day calendar in
// UK time. Instants below are UTC: GMT in November and December, BST (UTC+1) in April.

const at = (iso: string) => new Date(iso);

/** The phrase at `now` for a clock started at `start` under `rule`. */
function phrase(start: string, now: string, rule: SlaRule = DEFAULT_RULE): string {
  return dueByPhrase(at(start), clockDueAt(at(start), rule), at(now), rule);
}

describe("dueByPhrase", () => {
  // Raised on Friday 27 November 2026: Mon 30 Nov, Tue 1, Wed 2, Thu 3 and Fri 4 December.
  const RAISED = "2026-11-27T10:00:00Z";

  it("says the issue's example: three Working Days left on the Wednesday, today included", () => {
    expect(phrase(RAISED, "2026-12-02T09:00:00Z")).toBe("by the end of Friday 4 December 2026 (3 Working Days left)");
  });

  it("has all five ahead on the day of raising, and the weekend after it counts for nothing", () => {
    expect(phrase(RAISED, RAISED)).toBe("by the end of Friday 4 December 2026 (5 Working Days left)");
    expect(phrase(RAISED, "2026-11-28T12:00:00Z")).toBe("by the end of Friday 4 December 2026 (5 Working Days left)"); // Saturday
    expect(phrase(RAISED, "2026-11-30T09:00:00Z")).toBe("by the end of Friday 4 December 2026 (5 Working Days left)"); // Monday, the first
    expect(phrase(RAISED, "2026-12-03T09:00:00Z")).toBe("by the end of Friday 4 December 2026 (2 Working Days left)");
  });

  it("says 'due today' all through the due day, up to its last second", () => {
    expect(phrase(RAISED, "2026-12-04T00:00:00Z")).toBe("by the end of Friday 4 December 2026 (due today)");
    expect(phrase(RAISED, "2026-12-04T23:59:59.999Z")).toBe("by the end of Friday 4 December 2026 (due today)");
  });

  it("says 'overdue' over the weekend after a Friday due day, then counts the Working Days since", () => {
    expect(phrase(RAISED, "2026-12-05T00:00:00Z")).toBe("by the end of Friday 4 December 2026 (overdue)");
    expect(phrase(RAISED, "2026-12-06T18:00:00Z")).toBe("by the end of Friday 4 December 2026 (overdue)");
    expect(phrase(RAISED, "2026-12-07T09:00:00Z")).toBe("by the end of Friday 4 December 2026 (overdue by 1 Working Day)");
    expect(phrase(RAISED, "2026-12-08T09:00:00Z")).toBe("by the end of Friday 4 December 2026 (overdue by 2 Working Days)");
  });

  it("passes over Good Friday and Easter Monday (bank holidays), in British Summer Time", () => {
    // Raised on Thursday 2 April 2026, 10:00 BST: Tue 7, Wed 8, Thu 9, Fri 10 and Mon 13 April.
    const start = "2026-04-02T09:00:00Z";
    expect(phrase(start, start)).toBe("by the end of Monday 13 April 2026 (5 Working Days left)");
    expect(phrase(start, "2026-04-03T09:00:00Z")).toBe("by the end of Monday 13 April 2026 (5 Working Days left)"); // Good Friday
    expect(phrase(start, "2026-04-06T09:00:00Z")).toBe("by the end of Monday 13 April 2026 (5 Working Days left)"); // Easter Monday
    expect(phrase(start, "2026-04-09T09:00:00Z")).toBe("by the end of Monday 13 April 2026 (3 Working Days left)");
    expect(phrase(start, "2026-04-11T09:00:00Z")).toBe("by the end of Monday 13 April 2026 (1 Working Day left)"); // Saturday
    // 23:30 BST on the due day is 22:30Z: still due today; 00:30 BST on Tuesday is overdue by that Tuesday.
    expect(phrase(start, "2026-04-13T22:30:00Z")).toBe("by the end of Monday 13 April 2026 (due today)");
    expect(phrase(start, "2026-04-13T23:30:00Z")).toBe("by the end of Monday 13 April 2026 (overdue by 1 Working Day)");
  });

  it("passes over Christmas, Boxing Day's substitute and the weekend between them", () => {
    // Raised on Tuesday 22 December 2026: Wed 23, Thu 24, Tue 29, Wed 30 and Thu 31 December.
    const start = "2026-12-22T10:00:00Z";
    expect(phrase(start, start)).toBe("by the end of Thursday 31 December 2026 (5 Working Days left)");
    expect(phrase(start, "2026-12-25T10:00:00Z")).toBe("by the end of Thursday 31 December 2026 (3 Working Days left)"); // Christmas Day
    expect(phrase(start, "2026-12-28T10:00:00Z")).toBe("by the end of Thursday 31 December 2026 (3 Working Days left)"); // the substitute day
  });

  it("says the time of day, in UK time, when the rule has a due time (SLA_DUE_TIME), and 'overdue' once it has passed", () => {
    const rule: SlaRule = { ...DEFAULT_RULE, dueTime: { hour: 17, minute: 0 } };
    expect(phrase(RAISED, "2026-12-04T16:59:00Z", rule)).toBe("by 17:00 UK time on Friday 4 December 2026 (due today)");
    expect(phrase(RAISED, "2026-12-04T17:01:00Z", rule)).toBe("by 17:00 UK time on Friday 4 December 2026 (overdue)");
  });

  it("counts the day of raising as the first when the cut-off says so (SLA_SAME_DAY_CUTOFF): still five on that day", () => {
    const rule: SlaRule = { ...DEFAULT_RULE, sameDayCutoff: { hour: 12, minute: 0 } };
    // Before noon on Monday 30 November: Mon 30, Tue 1, Wed 2, Thu 3 and Fri 4 December.
    expect(phrase("2026-11-30T09:00:00Z", "2026-11-30T09:00:00Z", rule)).toBe("by the end of Friday 4 December 2026 (5 Working Days left)");
    expect(phrase("2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z", rule)).toBe("by the end of Friday 4 December 2026 (4 Working Days left)");
  });

  it("counts as the request page's obligation does, hour by hour over a whole clock", () => {
    const start = at("2026-04-02T09:00:00Z");
    const dueAt = clockDueAt(start, DEFAULT_RULE);
    const events: ClockEvent[] = [{ type: "ASSIGNED", at: start, organisationId: "org", actorOrganisationId: null }];
    for (let now = start.getTime(); now < at("2026-04-20T00:00:00Z").getTime(); now += 3_600_000) {
      const sla = slaState(events, DEFAULT_RULE, new Date(now));
      const page = formatDueWithCount(dueAt, { ...sla, overdue: Boolean(sla.breachedAt) });
      expect(dueByPhrase(start, dueAt, new Date(now), DEFAULT_RULE), new Date(now).toISOString()).toBe(page);
    }
  });
});

describe("dueCountPhrase", () => {
  it.each([
    [{ overdue: false, workingDaysOverdue: 0, workingDaysLeft: 3, dueToday: false }, "3 Working Days left"],
    [{ overdue: false, workingDaysOverdue: 0, workingDaysLeft: 1, dueToday: false }, "1 Working Day left"],
    [{ overdue: false, workingDaysOverdue: 0, workingDaysLeft: 1, dueToday: true }, "due today"],
    [{ overdue: true, workingDaysOverdue: 0, workingDaysLeft: 0, dueToday: false }, "overdue"],
    [{ overdue: true, workingDaysOverdue: 1, workingDaysLeft: 0, dueToday: false }, "overdue by 1 Working Day"],
    [{ overdue: true, workingDaysOverdue: 2, workingDaysLeft: 0, dueToday: false }, "overdue by 2 Working Days"],
  ])("%o reads %s", (count, words) => {
    expect(dueCountPhrase(count)).toBe(words);
  });
});
