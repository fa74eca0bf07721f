import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  addWorkingDays,
  compareDays,
  nextDay,
  bankHolidayName,
  endOfLondonDay,
  formatDueAt,
  isWorkingDay,
  londonDay,
  responseDueAt,
  startOfLondonDay,
  workingDaysAfter,
} from "./working-days";

// DOMAIN.md, "Working Days and the five-day clock": Working Days exclude weekends and England and Wales
// bank holidays; a response is due by the end (23:59:59 Europe/London) of the fifth Working Day after
// the London day of raising. BST is UTC+1 (so a day ends at 22:59:59.999Z), GMT is UTC+0.

const day = (iso: string) => {
  const [year, month, d] = iso.split("-").map(Number);
  return { year, month, day: d };
};

// England and Wales bank holidays 2026, as listed in DOMAIN.md.
const BANK_HOLIDAYS_2026 = [
  "2026-01-01",
  "2026-04-03",
  "2026-04-06",
  "2026-05-04",
  "2026-05-25",
  "2026-08-31",
  "2026-12-25",
  "2026-12-28",
];

describe("isWorkingDay", () => {
  it.each(BANK_HOLIDAYS_2026)("is false for the bank holiday %s", (iso) => {
    expect(isWorkingDay(day(iso))).toBe(false);
  });

  it("has no other weekday off in 2026 than those bank holidays", () => {
    const weekdaysOff: string[] = [];
    for (let d = new Date(Date.UTC(2026, 0, 1)); d.getUTCFullYear() === 2026; d.setUTCDate(d.getUTCDate() + 1)) {
      const iso = d.toISOString().slice(0, 10);
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      if (!weekend && !isWorkingDay(day(iso))) weekdaysOff.push(iso);
    }
    expect(weekdaysOff).toEqual(BANK_HOLIDAYS_2026);
  });

  it.each(["2026-04-04", "2026-04-05", "2026-06-13", "2026-06-14", "2026-12-26", "2027-01-02"])(
    "is false for the weekend day %s",
    (iso) => {
      expect(isWorkingDay(day(iso))).toBe(false);
    },
  );

  it("is false for Boxing Day 2025 (a Friday)", () => {
    expect(isWorkingDay(day("2025-12-26"))).toBe(false);
  });

  it.each(["2026-04-07", "2026-04-02", "2026-06-05", "2026-12-29", "2027-01-04"])("is true for the ordinary weekday %s", (iso) => {
    expect(isWorkingDay(day(iso))).toBe(true);
  });
});

describe("responseDueAt (five Working Days)", () => {
  it("is the end of Monday 13 April for a raise on Thursday 2 April 2026 (Good Friday and Easter Monday skipped, BST)", () => {
    expect(responseDueAt(new Date("2026-04-02T10:00:00Z"), 5).toISOString()).toBe("2026-04-13T22:59:59.999Z");
  });

  it("is the end of the next Friday for a raise on a Friday", () => {
    expect(responseDueAt(new Date("2026-06-05T09:00:00Z"), 5).toISOString()).toBe("2026-06-12T22:59:59.999Z");
  });

  it("skips 25 Dec, 28 Dec (Boxing Day substitute) and 1 Jan for a raise on Christmas Eve (GMT)", () => {
    expect(responseDueAt(new Date("2026-12-24T15:00:00Z"), 5).toISOString()).toBe("2027-01-05T23:59:59.999Z");
  });

  it("counts from the London day when the UTC instant is still the previous day", () => {
    // 23:30Z on 1 July is 00:30 BST on Thursday 2 July: count Fri 3, Mon 6, Tue 7, Wed 8, Thu 9.
    expect(responseDueAt(new Date("2026-07-01T23:30:00Z"), 5).toISOString()).toBe("2026-07-09T22:59:59.999Z");
    // An hour earlier it is still Wednesday 1 July in London: due one Working Day sooner.
    expect(responseDueAt(new Date("2026-07-01T22:30:00Z"), 5).toISOString()).toBe("2026-07-08T22:59:59.999Z");
  });

  it("counts from the UTC day in winter, when London is on GMT", () => {
    // 23:30Z on Wednesday 14 January is 23:30 GMT the same day: Thu 15 ... Wed 21.
    expect(responseDueAt(new Date("2026-01-14T23:30:00Z"), 5).toISOString()).toBe("2026-01-21T23:59:59.999Z");
  });

  it("counts from the next Working Day for a raise on a Saturday or Sunday", () => {
    // Saturday 13 or Sunday 14 June: Mon 15 ... Fri 19.
    expect(responseDueAt(new Date("2026-06-13T12:00:00Z"), 5).toISOString()).toBe("2026-06-19T22:59:59.999Z");
    expect(responseDueAt(new Date("2026-06-14T12:00:00Z"), 5).toISOString()).toBe("2026-06-19T22:59:59.999Z");
  });

  it("counts from the next Working Day for a raise on a bank holiday", () => {
    // Early May bank holiday, Monday 4 May: Tue 5, Wed 6, Thu 7, Fri 8, Mon 11.
    expect(responseDueAt(new Date("2026-05-04T12:00:00Z"), 5).toISOString()).toBe("2026-05-11T22:59:59.999Z");
  });

  it("is the same for any time of the London day of raising", () => {
    // 00:00 BST and 23:59:59.999 BST on Thursday 2 April 2026.
    expect(responseDueAt(new Date("2026-04-01T23:00:00Z"), 5)).toEqual(responseDueAt(new Date("2026-04-02T22:59:59.999Z"), 5));
  });
});

describe("addWorkingDays", () => {
  it("never counts the day of raising", () => {
    expect(addWorkingDays(new Date("2026-06-09T08:00:00Z"), 1)).toEqual(day("2026-06-10"));
  });

  it("gives the London calendar day of the nth Working Day", () => {
    expect(addWorkingDays(new Date("2026-04-02T10:00:00Z"), 1)).toEqual(day("2026-04-07"));
    expect(addWorkingDays(new Date("2026-04-02T10:00:00Z"), 5)).toEqual(day("2026-04-13"));
    expect(addWorkingDays(new Date("2026-12-24T10:00:00Z"), 3)).toEqual(day("2026-12-31"));
    expect(addWorkingDays(new Date("2026-12-24T10:00:00Z"), 4)).toEqual(day("2027-01-04"));
  });
});

describe("londonDay", () => {
  it.each([
    ["2026-07-01T23:30:00Z", "2026-07-02"], // BST: already the next day
    ["2026-07-01T22:59:59.999Z", "2026-07-01"],
    ["2026-01-01T23:30:00Z", "2026-01-01"], // GMT: same as UTC
    ["2026-03-29T00:59:59.999Z", "2026-03-29"], // just before the clocks go forward
    ["2026-10-24T23:00:00Z", "2026-10-25"], // 00:00 BST on 25 October
    ["2026-12-31T23:59:59.999Z", "2026-12-31"],
  ])("puts %s on %s", (instant, iso) => {
    expect(londonDay(new Date(instant))).toEqual(day(iso));
  });
});

describe("endOfLondonDay", () => {
  it.each([
    ["2026-03-28", "2026-03-28T23:59:59.999Z"], // GMT
    ["2026-03-29", "2026-03-29T22:59:59.999Z"], // clocks go forward: the day ends in BST
    ["2026-04-30", "2026-04-30T22:59:59.999Z"], // BST, month end
    ["2026-10-24", "2026-10-24T22:59:59.999Z"], // BST
    ["2026-10-25", "2026-10-25T23:59:59.999Z"], // clocks go back: the day ends in GMT
    ["2026-12-31", "2026-12-31T23:59:59.999Z"], // GMT, year end
  ])("ends %s at %s", (iso, end) => {
    expect(endOfLondonDay(day(iso)).toISOString()).toBe(end);
  });

  it("makes 29 March 2026 a 23-hour day and 25 October 2026 a 25-hour day", () => {
    const hours = (iso: string, before: string) =>
      (endOfLondonDay(day(iso)).getTime() - endOfLondonDay(day(before)).getTime()) / 3_600_000;
    expect(hours("2026-03-29", "2026-03-28")).toBe(23);
    expect(hours("2026-10-25", "2026-10-24")).toBe(25);
    expect(hours("2026-06-02", "2026-06-01")).toBe(24);
  });

  it("is the last millisecond of the London day", () => {
    const end = endOfLondonDay(day("2026-03-29"));
    expect(londonDay(end)).toEqual(day("2026-03-29"));
    expect(londonDay(new Date(end.getTime() + 1))).toEqual(day("2026-03-30"));
  });
});

// The published England and Wales bank holidays (gov.uk/bank-holidays), with their names there.
const PUBLISHED: Record<number, [string, string][]> = {
  2026: [
    ["2026-01-01", "New Year's Day"],
    ["2026-04-03", "Good Friday"],
    ["2026-04-06", "Easter Monday"],
    ["2026-05-04", "Early May bank holiday"],
    ["2026-05-25", "Spring bank holiday"],
    ["2026-08-31", "Summer bank holiday"],
    ["2026-12-25", "Christmas Day"],
    ["2026-12-28", "Boxing Day (substitute day)"],
  ],
  2027: [
    ["2027-01-01", "New Year's Day"],
    ["2027-03-26", "Good Friday"],
    ["2027-03-29", "Easter Monday"],
    ["2027-05-03", "Early May bank holiday"],
    ["2027-05-31", "Spring bank holiday"],
    ["2027-08-30", "Summer bank holiday"],
    ["2027-12-27", "Christmas Day (substitute day)"],
    ["2027-12-28", "Boxing Day (substitute day)"],
  ],
};

/** Every day of a year as "YYYY-MM-DD" with its weekday (0 Sunday). */
function daysOf(year: number): { iso: string; weekday: number }[] {
  const out: { iso: string; weekday: number }[] = [];
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    out.push({ iso: d.toISOString().slice(0, 10), weekday: d.getUTCDay() });
  }
  return out;
}

describe.each([2026, 2027])("the %i calendar against the published bank holidays", (year) => {
  const published = PUBLISHED[year];

  it("has exactly the published bank holidays as weekdays off, and every weekend day off", () => {
    const days = daysOf(year);
    const weekdaysOff = days.filter((d) => d.weekday !== 0 && d.weekday !== 6 && !isWorkingDay(day(d.iso))).map((d) => d.iso);
    expect(weekdaysOff).toEqual(published.map(([iso]) => iso));
    const weekendWorking = days.filter((d) => (d.weekday === 0 || d.weekday === 6) && isWorkingDay(day(d.iso)));
    expect(weekendWorking).toEqual([]);
    // 365 days, 104 weekend days in both years (2026 starts on a Thursday, 2027 on a Friday), 8 bank holidays.
    expect(days.filter((d) => isWorkingDay(day(d.iso))).length).toBe(365 - 104 - 8);
  });

  it.each(published)("names %s %s", (iso, name) => {
    expect(bankHolidayName(day(iso))).toBe(name);
  });

  it("names no ordinary day", () => {
    const holidays = new Set(published.map(([iso]) => iso));
    const named = daysOf(year).filter((d) => !holidays.has(d.iso) && bankHolidayName(day(d.iso)) !== null);
    expect(named.map((d) => `${d.iso} ${bankHolidayName(day(d.iso))}`)).toEqual([]);
  });
});

describe("Easter, Christmas and Boxing Day", () => {
  it("takes Good Friday and Easter Monday off around a working Easter week in both years", () => {
    // 2026: Easter Sunday 5 April. 2027: Easter Sunday 28 March.
    expect([2, 3, 6, 7].map((d) => isWorkingDay({ year: 2026, month: 4, day: d }))).toEqual([true, false, false, true]);
    expect([25, 26, 29, 30].map((d) => isWorkingDay({ year: 2027, month: 3, day: d }))).toEqual([true, false, false, true]);
  });

  it("gives Boxing Day 2026 (a Saturday) its substitute on Monday 28 December, and Tuesday 29 December is worked", () => {
    expect(["2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2026-12-29"].map((iso) => isWorkingDay(day(iso)))).toEqual([
      true, false, false, false, false, true,
    ]);
  });

  it("gives Christmas Day and Boxing Day 2027 (Saturday and Sunday) substitutes on Monday 27 and Tuesday 28 December", () => {
    expect(["2027-12-24", "2027-12-25", "2027-12-26", "2027-12-27", "2027-12-28", "2027-12-29"].map((iso) => isWorkingDay(day(iso)))).toEqual([
      true, false, false, false, false, true,
    ]);
  });

  it("does not call the weekend day itself a bank holiday: the substitute day is the bank holiday", () => {
    expect(bankHolidayName(day("2026-12-26"))).toBeNull();
    expect(bankHolidayName(day("2027-12-25"))).toBeNull();
    expect(bankHolidayName(day("2027-12-26"))).toBeNull();
    // Easter Sunday is not a bank holiday either.
    expect(bankHolidayName(day("2026-04-05"))).toBeNull();
  });

  it("gives New Year's Day 2028 (a Saturday) its substitute on Monday 3 January", () => {
    expect(bankHolidayName(day("2028-01-03"))).toBe("New Year's Day (substitute day)");
    expect(isWorkingDay(day("2028-01-03"))).toBe(false);
    expect(isWorkingDay(day("2028-01-04"))).toBe(true);
  });
});

describe("raises on the last Sunday of March and of October (clock changes)", () => {
  // 29 March 2026 and 28 March 2027: clocks go forward at 01:00 GMT, so 00:30 is GMT and 23:30 is BST.
  // 25 October 2026 and 31 October 2027: clocks go back at 01:00 GMT, so 00:30 is BST and 23:30 is GMT.
  it.each([
    // Sunday 29 March 2026: Mon 30, Tue 31, Wed 1, Thu 2 (Good Friday 3 and Easter Monday 6 skipped), Tue 7 April (BST).
    ["23:30 BST on Sunday 29 March 2026", "2026-03-29T22:30:00Z", "2026-04-07T22:59:59.999Z"],
    ["00:30 GMT on Sunday 29 March 2026", "2026-03-29T00:30:00Z", "2026-04-07T22:59:59.999Z"],
    // Sunday 25 October 2026: Mon 26 ... Fri 30 October (GMT).
    ["23:30 GMT on Sunday 25 October 2026", "2026-10-25T23:30:00Z", "2026-10-30T23:59:59.999Z"],
    ["00:30 BST on Sunday 25 October 2026", "2026-10-24T23:30:00Z", "2026-10-30T23:59:59.999Z"],
    // Sunday 28 March 2027 (Easter Sunday): Easter Monday 29 skipped, Tue 30, Wed 31, Thu 1, Fri 2, Mon 5 April (BST).
    ["23:30 BST on Sunday 28 March 2027", "2027-03-28T22:30:00Z", "2027-04-05T22:59:59.999Z"],
    ["00:30 GMT on Sunday 28 March 2027", "2027-03-28T00:30:00Z", "2027-04-05T22:59:59.999Z"],
    // Sunday 31 October 2027: Mon 1 ... Fri 5 November (GMT).
    ["23:30 GMT on Sunday 31 October 2027", "2027-10-31T23:30:00Z", "2027-11-05T23:59:59.999Z"],
    ["00:30 BST on Sunday 31 October 2027", "2027-10-30T23:30:00Z", "2027-11-05T23:59:59.999Z"],
  ])("a raise at %s is due at %s", (_, raisedAt, due) => {
    // Both raises fall on the Sunday in London, whatever the UTC date.
    const { year, month, day: date } = londonDay(new Date(raisedAt));
    expect(new Date(Date.UTC(year, month - 1, date)).getUTCDay()).toBe(0);
    expect(responseDueAt(new Date(raisedAt), 5).toISOString()).toBe(due);
  });

  it("puts 23:30 UTC on the last Sunday of March on the Monday in London (00:30 BST), one Working Day later", () => {
    // Mon 30 March 2026 counts from Tue 31: Tue 31, Wed 1, Thu 2, Tue 7, Wed 8 April.
    expect(londonDay(new Date("2026-03-29T23:30:00Z"))).toEqual(day("2026-03-30"));
    expect(responseDueAt(new Date("2026-03-29T23:30:00Z"), 5).toISOString()).toBe("2026-04-08T22:59:59.999Z");
  });

  it("ends a count that crosses a clock change in the new offset", () => {
    // Raised Wed 21 October 2026 (BST): Thu 22, Fri 23, Mon 26, Tue 27, Wed 28 October, by then GMT.
    expect(responseDueAt(new Date("2026-10-21T10:00:00Z"), 5).toISOString()).toBe("2026-10-28T23:59:59.999Z");
    // Raised Wed 25 March 2026 (GMT): Thu 26, Fri 27, Mon 30, Tue 31 March, Wed 1 April, by then BST.
    expect(responseDueAt(new Date("2026-03-25T10:00:00Z"), 5).toISOString()).toBe("2026-04-01T22:59:59.999Z");
  });
});

describe("raises on a bank holiday or at a weekend", () => {
  it.each([
    // Good Friday 2026: Easter Monday skipped too; Tue 7, Wed 8, Thu 9, Fri 10, Mon 13 April.
    ["Good Friday 2026", "2026-04-03T09:00:00Z", "2026-04-13T22:59:59.999Z"],
    // Easter Monday 2026: Tue 7 ... Mon 13 April.
    ["Easter Monday 2026", "2026-04-06T15:00:00Z", "2026-04-13T22:59:59.999Z"],
    // Christmas Day 2026 (Friday): Sat, Sun, Mon 28 (substitute) skipped; Tue 29, Wed 30, Thu 31, Mon 4, Tue 5 January 2027.
    ["Christmas Day 2026", "2026-12-25T12:00:00Z", "2027-01-05T23:59:59.999Z"],
    // Boxing Day (substitute) 2026, Monday 28 December: the same five days.
    ["Boxing Day (substitute day) 2026", "2026-12-28T08:00:00Z", "2027-01-05T23:59:59.999Z"],
    // Good Friday 2027: Easter Monday skipped; Tue 30, Wed 31 March, Thu 1, Fri 2, Mon 5 April.
    ["Good Friday 2027", "2027-03-26T10:00:00Z", "2027-04-05T22:59:59.999Z"],
    // Christmas Day 2027 (Saturday): Mon 27 and Tue 28 (substitutes) skipped; Wed 29, Thu 30, Fri 31,
    // Mon 3 January 2028 skipped (New Year's Day substitute), Tue 4, Wed 5 January 2028.
    ["Christmas Day 2027", "2027-12-25T12:00:00Z", "2028-01-05T23:59:59.999Z"],
    // Saturday 27 March 2027 (Easter weekend): Tue 30 ... Mon 5 April.
    ["Saturday 27 March 2027", "2027-03-27T12:00:00Z", "2027-04-05T22:59:59.999Z"],
    // Sunday 11 October 2026: Mon 12 ... Fri 16 October (BST).
    ["Sunday 11 October 2026", "2026-10-11T20:00:00Z", "2026-10-16T22:59:59.999Z"],
  ])("%s: the day never counts, the count starts at the next Working Day", (_, raisedAt, due) => {
    expect(responseDueAt(new Date(raisedAt), 5).toISOString()).toBe(due);
  });

  it("gives a raise on the holiday the same due day as one on the Working Day before it", () => {
    // Thursday 2 April 2026 and Good Friday 3 April 2026 both count from Tuesday 7 April.
    expect(responseDueAt(new Date("2026-04-03T09:00:00Z"), 5)).toEqual(responseDueAt(new Date("2026-04-02T09:00:00Z"), 5));
    // Friday 24 December 2027 and Christmas Day 2027 both count from Wednesday 29 December.
    expect(responseDueAt(new Date("2027-12-24T09:00:00Z"), 5)).toEqual(responseDueAt(new Date("2027-12-25T09:00:00Z"), 5));
  });
});

describe("workingDaysAfter", () => {
  it("counts the Working Days after the first day up to and including the second", () => {
    // Thu 2 April 2026 to Mon 13 April: Tue 7, Wed 8, Thu 9, Fri 10, Mon 13.
    expect(workingDaysAfter(day("2026-04-02"), day("2026-04-13"))).toBe(5);
    // Thu 24 December 2026 to Mon 4 January 2027: Tue 29, Wed 30, Thu 31, Mon 4.
    expect(workingDaysAfter(day("2026-12-24"), day("2027-01-04"))).toBe(4);
    // Fri 26 March 2027 (Good Friday) to Tue 30 March: Tue 30 only.
    expect(workingDaysAfter(day("2027-03-26"), day("2027-03-30"))).toBe(1);
  });

  it("is 0 for the same day, a later first day, or only a weekend in between", () => {
    expect(workingDaysAfter(day("2026-04-02"), day("2026-04-02"))).toBe(0);
    expect(workingDaysAfter(day("2026-04-13"), day("2026-04-02"))).toBe(0);
    expect(workingDaysAfter(day("2026-06-12"), day("2026-06-14"))).toBe(0);
  });

  it("counts between two instants by their London days", () => {
    // 23:30 UTC on Wed 1 July 2026 is 00:30 BST on Thu 2 July; 22:30 UTC on Thu 9 July is 23:30 BST that day.
    const from = londonDay(new Date("2026-07-01T23:30:00Z"));
    const to = londonDay(new Date("2026-07-09T22:30:00Z"));
    // Fri 3, Mon 6, Tue 7, Wed 8, Thu 9.
    expect(workingDaysAfter(from, to)).toBe(5);
    // In GMT the UTC day is the London day: Wed 14 January 23:30 to Wed 21 January 00:10: Thu 15 ... Wed 21.
    expect(workingDaysAfter(londonDay(new Date("2026-01-14T23:30:00Z")), londonDay(new Date("2026-01-21T00:10:00Z")))).toBe(5);
  });
});

describe("startOfLondonDay", () => {
  it.each([
    ["2026-03-29", "2026-03-29T00:00:00.000Z"], // the day the clocks go forward starts in GMT
    ["2026-03-30", "2026-03-29T23:00:00.000Z"], // BST
    ["2026-10-25", "2026-10-24T23:00:00.000Z"], // the day the clocks go back starts in BST
    ["2026-10-26", "2026-10-26T00:00:00.000Z"], // GMT
  ])("starts %s at %s", (iso, start) => {
    expect(startOfLondonDay(day(iso)).toISOString()).toBe(start);
  });
});

describe("formatDueAt", () => {
  it("writes the due instant in UK time, in BST and in GMT", () => {
    expect(formatDueAt(new Date("2026-04-13T22:59:59.999Z"))).toBe("Monday 13 April 2026 at 23:59 (UK time)");
    expect(formatDueAt(new Date("2027-01-05T23:59:59.999Z"))).toBe("Tuesday 5 January 2027 at 23:59 (UK time)");
    expect(formatDueAt(new Date("2026-04-13T16:00:00Z"))).toBe("Monday 13 April 2026 at 17:00 (UK time)");
  });
});

describe("workingDaysAfter, counted arithmetically", () => {
  // The reference: walk the days one by one and ask isWorkingDay of each.
  const walk = (from: ReturnType<typeof day>, to: ReturnType<typeof day>) => {
    let n = 0;
    for (let d = nextDay(from); compareDays(d, to) <= 0; d = nextDay(d)) if (isWorkingDay(d)) n++;
    return n;
  };
  const dayOf = (ms: number) => {
    const u = new Date(ms);
    return { year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() };
  };

  fcTest.prop([fc.integer({ min: 0, max: 4 * 366 }), fc.integer({ min: -30, max: 900 })], { numRuns: 500 })(
    "agrees with walking the days between any two days of 2025 to 2030",
    (start, span) => {
      const from = dayOf(Date.UTC(2025, 0, 1) + start * 86_400_000);
      const to = dayOf(Date.UTC(2025, 0, 1) + (start + span) * 86_400_000);
      expect(workingDaysAfter(from, to)).toBe(walk(from, to));
    },
  );
});
