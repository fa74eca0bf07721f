import { describe, expect, it } from "vitest";
import { clockDueAt, DEFAULT_RULE, dueDay, explainDue, parseTimeOfDay, reminderAt, type SlaRule } from "./rule";
import type { CalendarDay } from "./working-days";

// The obligation's rule (docs/decisions/016-sla-clock.md). Every expected value below is worked out
// by hand from the England and Wales calendar: BST is UTC+1 (29 March to 24 October 2026, 28 March
// to 30 October 2027), GMT is UTC+0.

const iso = (d: CalendarDay) => `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
const due = (raisedAt: string, rule: SlaRule = DEFAULT_RULE) => clockDueAt(new Date(raisedAt), rule).toISOString();

describe("the default rule", () => {
  it("is five Working Days, the day of assignment never counting, due at the end of the fifth", () => {
    expect(DEFAULT_RULE).toEqual({ workingDays: 5, dueTime: null, sameDayCutoff: null });
    // Thursday 2 April 2026, even at 00:01 BST: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13 April.
    expect(due("2026-04-01T23:01:00Z")).toBe("2026-04-13T22:59:59.999Z");
    expect(due("2026-04-02T09:00:00Z")).toBe("2026-04-13T22:59:59.999Z");
    expect(iso(dueDay(new Date("2026-04-02T09:00:00Z"), DEFAULT_RULE))).toBe("2026-04-13");
  });

  it("ends in GMT in winter", () => {
    // Christmas Eve 2026: 25, 26, 27, 28 (substitute) skipped, Tue 29, Wed 30, Thu 31, 1 January
    // skipped, Mon 4, Tue 5 January 2027.
    expect(due("2026-12-24T15:00:00Z")).toBe("2027-01-05T23:59:59.999Z");
  });
});

describe("SLA_SAME_DAY_CUTOFF", () => {
  const noon: SlaRule = { ...DEFAULT_RULE, sameDayCutoff: { hour: 12, minute: 0 } };

  it("counts a Working Day started before noon UK time as the first of the five", () => {
    // Monday 8 June 2026 at 11:59 BST (10:59Z): Mon 8 ... Fri 12 June.
    expect(due("2026-06-08T10:59:00Z", noon)).toBe("2026-06-12T22:59:59.999Z");
    // Monday 12 January 2026 at 11:30 GMT: Mon 12 ... Fri 16 January.
    expect(due("2026-01-12T11:30:00Z", noon)).toBe("2026-01-16T23:59:59.999Z");
  });

  it("does not count the day from noon UK time on", () => {
    // Monday 8 June 2026 at 12:00 BST (11:00Z) and at 12:30 BST (11:30Z, before noon in UTC):
    // Tue 9, Wed 10, Thu 11, Fri 12, Mon 15 June.
    expect(due("2026-06-08T11:00:00Z", noon)).toBe("2026-06-15T22:59:59.999Z");
    expect(due("2026-06-08T11:30:00Z", noon)).toBe("2026-06-15T22:59:59.999Z");
  });

  it("never counts a weekend or bank holiday morning", () => {
    // Saturday 13 June 2026 at 09:00 BST: Mon 15 ... Fri 19 June.
    expect(due("2026-06-13T08:00:00Z", noon)).toBe("2026-06-19T22:59:59.999Z");
    // Spring bank holiday, Monday 25 May 2026 at 09:00 BST: Tue 26, Wed 27, Thu 28, Fri 29 May, Mon 1 June.
    expect(due("2026-05-25T08:00:00Z", noon)).toBe("2026-06-01T22:59:59.999Z");
    // Good Friday 2027 at 08:00 GMT: Easter Monday skipped; Tue 30, Wed 31 March, Thu 1, Fri 2, Mon 5 April.
    expect(due("2027-03-26T08:00:00Z", noon)).toBe("2027-04-05T22:59:59.999Z");
  });

  it("with a one-day rule, makes a morning raise due the same day", () => {
    const oneDay: SlaRule = { ...noon, workingDays: 1 };
    // Thursday 2 April 2026 at 09:00 BST: due at the end of that day; at 14:00 BST: the next Working Day, Tue 7 April.
    expect(due("2026-04-02T08:00:00Z", oneDay)).toBe("2026-04-02T22:59:59.999Z");
    expect(due("2026-04-02T13:00:00Z", oneDay)).toBe("2026-04-07T22:59:59.999Z");
  });
});

describe("SLA_DUE_TIME", () => {
  const five: SlaRule = { ...DEFAULT_RULE, dueTime: { hour: 17, minute: 0 } };

  it("is 17:00 UK time on the last Working Day, in BST and in GMT", () => {
    // Thursday 2 April 2026: Monday 13 April at 17:00 BST = 16:00Z.
    expect(due("2026-04-02T09:00:00Z", five)).toBe("2026-04-13T16:00:00.000Z");
    // Christmas Eve 2026: Tuesday 5 January 2027 at 17:00 GMT = 17:00Z.
    expect(due("2026-12-24T15:00:00Z", five)).toBe("2027-01-05T17:00:00.000Z");
    // 23:30 on Sunday 25 October 2026 (clocks went back that morning): Friday 30 October at 17:00 GMT.
    expect(due("2026-10-25T23:30:00Z", five)).toBe("2026-10-30T17:00:00.000Z");
  });

  it("combines with the cut-off", () => {
    const rule: SlaRule = { workingDays: 5, dueTime: { hour: 17, minute: 30 }, sameDayCutoff: { hour: 12, minute: 0 } };
    // Monday 8 June 2026 at 10:00 BST: Mon 8 ... Fri 12 June at 17:30 BST = 16:30Z.
    expect(due("2026-06-08T09:00:00Z", rule)).toBe("2026-06-12T16:30:00.000Z");
  });
});

describe("RESPONSE_WORKING_DAYS", () => {
  it("1: the next Working Day", () => {
    const rule: SlaRule = { ...DEFAULT_RULE, workingDays: 1 };
    // Thursday 2 April 2026: Good Friday and Easter Monday skipped, Tuesday 7 April.
    expect(due("2026-04-02T09:00:00Z", rule)).toBe("2026-04-07T22:59:59.999Z");
    // Friday 24 December 2027: Tuesday 28 December is a substitute day too: Wednesday 29 December.
    expect(due("2027-12-24T09:00:00Z", rule)).toBe("2027-12-29T23:59:59.999Z");
  });

  it("10: ten Working Days", () => {
    const rule: SlaRule = { ...DEFAULT_RULE, workingDays: 10 };
    // Thursday 2 April 2026: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13, Tue 14, Wed 15, Thu 16, Fri 17, Mon 20 April.
    expect(due("2026-04-02T09:00:00Z", rule)).toBe("2026-04-20T22:59:59.999Z");
    // Christmas Eve 2026: Tue 29, Wed 30, Thu 31, Mon 4, Tue 5, Wed 6, Thu 7, Fri 8, Mon 11, Tue 12 January 2027.
    expect(due("2026-12-24T15:00:00Z", rule)).toBe("2027-01-12T23:59:59.999Z");
  });
});

describe("parseTimeOfDay", () => {
  it.each([
    ["17:00", { hour: 17, minute: 0 }],
    ["00:00", { hour: 0, minute: 0 }],
    ["23:59", { hour: 23, minute: 59 }],
    [" 09:30 ", { hour: 9, minute: 30 }],
  ])("reads %j", (text, time) => {
    expect(parseTimeOfDay(text)).toEqual(time);
  });

  it.each(["", "none", "NONE", undefined])("reads %j as no time (the end of the day / no cut-off)", (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });

  it.each(["25:00", "5pm", "17:60", "24:00", "1700", "17.00"])("refuses %j with a message that shows the expected form", (text) => {
    expect(() => parseTimeOfDay(text)).toThrow(`"${text}" is not a time of day like 17:00 (or "none")`);
  });
});

describe("reminderAt", () => {
  it("is the start of the Working Day before the due day", () => {
    // Thursday 2 April 2026, due Monday 13 April: Friday 10 April at 00:00 BST = 9 April 23:00Z.
    const raised = new Date("2026-04-02T09:00:00Z");
    expect(reminderAt(raised, clockDueAt(raised, DEFAULT_RULE))?.toISOString()).toBe("2026-04-09T23:00:00.000Z");
  });

  it("skips bank holidays and weekends back from the due day", () => {
    // Sunday 29 March 2026, due Tuesday 7 April: the Working Day before is Thursday 2 April (Good
    // Friday and Easter Monday between), 00:00 BST = 1 April 23:00Z.
    const easter = new Date("2026-03-29T22:30:00Z");
    expect(reminderAt(easter, clockDueAt(easter, DEFAULT_RULE))?.toISOString()).toBe("2026-04-01T23:00:00.000Z");
    // Christmas Eve 2026, due Tuesday 5 January 2027: Monday 4 January at 00:00 GMT.
    const christmas = new Date("2026-12-24T15:00:00Z");
    expect(reminderAt(christmas, clockDueAt(christmas, DEFAULT_RULE))?.toISOString()).toBe("2027-01-04T00:00:00.000Z");
  });

  it("does not move with SLA_DUE_TIME: still the start of the day before", () => {
    const raised = new Date("2026-04-02T09:00:00Z");
    const dueAt = clockDueAt(raised, { ...DEFAULT_RULE, dueTime: { hour: 17, minute: 0 } });
    expect(reminderAt(raised, dueAt)?.toISOString()).toBe("2026-04-09T23:00:00.000Z");
  });

  it("is the start of the first Working Day for a two-day rule", () => {
    // Monday 8 June 2026, two Working Days: due Wednesday 10 June; reminder Tuesday 9 June 00:00 BST.
    const raised = new Date("2026-06-08T09:00:00Z");
    expect(reminderAt(raised, clockDueAt(raised, { ...DEFAULT_RULE, workingDays: 2 }))?.toISOString()).toBe("2026-06-08T23:00:00.000Z");
  });

  it("is null for a one-day rule: there is no Working Day before the due day after the start", () => {
    const raised = new Date("2026-04-02T09:00:00Z");
    expect(reminderAt(raised, clockDueAt(raised, { ...DEFAULT_RULE, workingDays: 1 }))).toBeNull();
    // A Saturday raise with one day: due Monday, and Friday is before the start.
    const saturday = new Date("2026-06-13T09:00:00Z");
    expect(reminderAt(saturday, clockDueAt(saturday, { ...DEFAULT_RULE, workingDays: 1 }))).toBeNull();
  });
});

describe("explainDue", () => {
  const named = (e: ReturnType<typeof explainDue>) => ({
    counted: e.counted.map(iso),
    skipped: e.skipped.map((s) => `${iso(s.day)} ${s.why}`),
  });

  it("lists the five Working Days counted and the days skipped over Easter 2026, with why", () => {
    const explained = explainDue(new Date("2026-04-02T09:00:00Z"), DEFAULT_RULE);
    expect(explained.startDayCounts).toBe(false);
    expect(named(explained)).toEqual({
      counted: ["2026-04-07", "2026-04-08", "2026-04-09", "2026-04-10", "2026-04-13"],
      skipped: ["2026-04-03 Good Friday", "2026-04-04 Saturday", "2026-04-05 Sunday", "2026-04-06 Easter Monday", "2026-04-11 Saturday", "2026-04-12 Sunday"],
    });
    expect(explained.dueAt.toISOString()).toBe("2026-04-13T22:59:59.999Z");
  });

  it("names Christmas 2026's substitute day and New Year's Day", () => {
    expect(named(explainDue(new Date("2026-12-24T15:00:00Z"), DEFAULT_RULE))).toEqual({
      counted: ["2026-12-29", "2026-12-30", "2026-12-31", "2027-01-04", "2027-01-05"],
      skipped: [
        "2026-12-25 Christmas Day",
        "2026-12-26 Saturday",
        "2026-12-27 Sunday",
        "2026-12-28 Boxing Day (substitute day)",
        "2027-01-01 New Year's Day",
        "2027-01-02 Saturday",
        "2027-01-03 Sunday",
      ],
    });
  });

  it("names both substitute days of Christmas 2027 and New Year's Day 2028's", () => {
    expect(named(explainDue(new Date("2027-12-24T10:00:00Z"), DEFAULT_RULE))).toEqual({
      counted: ["2027-12-29", "2027-12-30", "2027-12-31", "2028-01-04", "2028-01-05"],
      skipped: [
        "2027-12-25 Saturday",
        "2027-12-26 Sunday",
        "2027-12-27 Christmas Day (substitute day)",
        "2027-12-28 Boxing Day (substitute day)",
        "2028-01-01 Saturday",
        "2028-01-02 Sunday",
        "2028-01-03 New Year's Day (substitute day)",
      ],
    });
  });

  it("counts the start day first when the cut-off allows, and says so", () => {
    const explained = explainDue(new Date("2026-06-08T09:00:00Z"), { ...DEFAULT_RULE, sameDayCutoff: { hour: 12, minute: 0 } });
    expect(explained.startDayCounts).toBe(true);
    expect(named(explained)).toEqual({ counted: ["2026-06-08", "2026-06-09", "2026-06-10", "2026-06-11", "2026-06-12"], skipped: [] });
  });

  it("gives the same due instant as clockDueAt, whatever the rule", () => {
    const rules: SlaRule[] = [
      DEFAULT_RULE,
      { workingDays: 1, dueTime: null, sameDayCutoff: { hour: 12, minute: 0 } },
      { workingDays: 10, dueTime: { hour: 17, minute: 0 }, sameDayCutoff: null },
    ];
    for (const rule of rules) {
      for (const at of ["2026-04-02T08:00:00Z", "2026-10-25T23:30:00Z", "2027-03-28T00:30:00Z", "2027-12-25T12:00:00Z"]) {
        const explained = explainDue(new Date(at), rule);
        expect(explained.dueAt).toEqual(clockDueAt(new Date(at), rule));
        expect(explained.counted).toHaveLength(rule.workingDays);
        expect(iso(explained.counted.at(-1)!)).toBe(iso(dueDay(new Date(at), rule)));
      }
    }
  });
});
