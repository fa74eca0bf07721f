import { describe, expect, it } from "vitest";
import { addWorkingDays, endOfLondonDay, isWorkingDay, londonDay, responseDueAt } from "./working-days";

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
