import { describe, expect, it } from "vitest";
import type { Clock } from "./clock";
import { median, percentile, supplierStatistics, type Period, type RequestClocks } from "./statistics";

// The obligation statistics on hand-made clocks (docs/decisions/016-sla-clock.md): median and 90th
// percentile by linear interpolation between closest ranks (PERCENTILE.INC), "% in time" over the
// clocks whose outcome is known (answered, or breached).

describe("median", () => {
  it("is the middle value of an odd count, whatever the order", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([9, 2, 7, 4, 1])).toBe(4);
  });

  it("is the mean of the middle two of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 0])).toBe(5);
  });

  it("is the value itself for one value, and null for none", () => {
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });

  it("sorts numerically, not as text", () => {
    // As text the order would be 10, 100, 20, 9 (median 60); as numbers 9, 10, 20, 100 (median 15).
    expect(median([100, 9, 20, 10])).toBe(15);
  });

  it("does not reorder the caller's list", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("percentile", () => {
  it("interpolates the 90th percentile between closest ranks (PERCENTILE.INC)", () => {
    // 1..10: rank 0.9 x 9 = 8.1, between 9 and 10: 9.1.
    expect(percentile([10, 1, 9, 2, 8, 3, 7, 4, 6, 5], 90)).toBeCloseTo(9.1, 10);
    // 0, 1, 2, 5, 9: rank 0.9 x 4 = 3.6, between 5 and 9: 5 + 0.6 x 4 = 7.4.
    expect(percentile([9, 0, 5, 1, 2], 90)).toBeCloseTo(7.4, 10);
    // Two values: rank 0.9, 0 + 0.9 x 10 = 9.
    expect(percentile([10, 0], 90)).toBeCloseTo(9, 10);
  });

  it("is the value itself for one value, and null for none", () => {
    expect(percentile([4], 90)).toBe(4);
    expect(percentile([], 90)).toBeNull();
  });

  it("gives the least value at 0 and the greatest at 100", () => {
    expect(percentile([3, 8, 1], 0)).toBe(1);
    expect(percentile([3, 8, 1], 100)).toBe(8);
  });

  it("lands on a value when the rank is whole", () => {
    // 1..11: rank 0.9 x 10 = 9, the tenth value.
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90)).toBe(10);
  });
});

describe("supplierStatistics", () => {
  // November 2026 (GMT throughout): 1 November 00:00 to 1 December 00:00 UK time.
  const NOVEMBER: Period = { from: new Date("2026-11-01T00:00:00Z"), to: new Date("2026-12-01T00:00:00Z") };
  const A = "org-southfield";
  const B = "org-eastgate";
  const C = "org-westmoor";

  let n = 0;
  function clock(organisationId: string, startedAt: string, outcome: Partial<Clock> = {}): Clock {
    return {
      organisationId,
      startedAt: new Date(startedAt),
      dueAt: new Date(new Date(startedAt).getTime() + 7 * 86_400_000),
      firstResponseAt: null,
      endedAt: null,
      outcome: "open",
      respondedInTime: null,
      breachedAt: null,
      workingDaysToResponse: null,
      ...outcome,
    };
  }
  const answered = (days: number, inTime: boolean): Partial<Clock> => ({
    outcome: "answered",
    firstResponseAt: new Date("2026-11-20T10:00:00Z"),
    endedAt: new Date("2026-11-20T10:00:00Z"),
    respondedInTime: inTime,
    breachedAt: inTime ? null : new Date("2026-11-19T23:59:59.999Z"),
    workingDaysToResponse: days,
  });
  const breached: Partial<Clock> = { breachedAt: new Date("2026-11-19T23:59:59.999Z") };
  const reassignedAway = (afterDue: boolean): Partial<Clock> => ({
    outcome: "reassigned",
    endedAt: new Date("2026-11-24T10:00:00Z"),
    breachedAt: afterDue ? new Date("2026-11-19T23:59:59.999Z") : null,
  });
  const request = (...clocks: Clock[]): RequestClocks => {
    n++;
    return { requestId: `request-${n}`, number: n, raisingOrganisationId: "org-northwind", raisedAt: clocks[0].startedAt, status: "ASSIGNED", clocks };
  };

  const requests: RequestClocks[] = [
    // A: two answered in time (1 and 3 Working Days), one answered late (7).
    request(clock(A, "2026-11-02T09:00:00Z", answered(1, true))),
    request(clock(A, "2026-11-01T00:00:00Z", answered(3, true))), // the first instant of the period
    request(clock(A, "2026-11-10T09:00:00Z", answered(7, false))),
    // A: one breached and still unanswered.
    request(clock(A, "2026-11-11T09:00:00Z", breached)),
    // A: reassigned away before its due time (no outcome for A), to B who answered in 2 Working Days in time.
    request(clock(A, "2026-11-12T09:00:00Z", reassignedAway(false)), clock(B, "2026-11-24T10:00:00Z", answered(2, true))),
    // A: reassigned away after its due time with no code: breached, counts against A.
    request(clock(A, "2026-11-05T09:00:00Z", reassignedAway(true)), clock(B, "2026-11-24T10:00:00Z")),
    // A: still inside its five days; and one closed before its due time unanswered.
    request(clock(A, "2026-11-27T09:00:00Z")),
    request(clock(A, "2026-11-03T09:00:00Z", { outcome: "closed", endedAt: new Date("2026-11-04T09:00:00Z") })),
    // Outside the period: A's clock of October (answered late) and one starting at the period's end.
    request(clock(A, "2026-10-30T09:00:00Z", answered(9, false))),
    request(clock(A, "2026-12-01T00:00:00Z", breached)),
    // An October clock of C's, reassigned in November to A, who answered in time (0 Working Days).
    request(clock(C, "2026-10-20T09:00:00Z", reassignedAway(true)), clock(A, "2026-11-16T09:00:00Z", answered(0, true))),
    // C: only an open clock in the period.
    request(clock(C, "2026-11-30T23:59:59.999Z")),
  ];

  const stats = supplierStatistics(requests, NOVEMBER);

  it("counts every clock started for the Supplier in the period, and none outside it", () => {
    // A: 8 clocks in the list above started in November, plus the one reassigned to it on 16 November.
    expect(stats.get(A)?.received).toBe(9);
    expect(stats.get(B)?.received).toBe(2);
    expect(stats.get(C)?.received).toBe(1);
    expect([...stats.keys()].sort()).toEqual([A, B, C].sort());
  });

  it("splits the answered clocks into in time and late", () => {
    expect(stats.get(A)).toMatchObject({ answered: 4, answeredInTime: 3, answeredLate: 1 });
    expect(stats.get(B)).toMatchObject({ answered: 1, answeredInTime: 1, answeredLate: 0 });
  });

  it("counts as breached the late answer, the unanswered one and the one reassigned away after due", () => {
    expect(stats.get(A)?.breached).toBe(3);
    expect(stats.get(B)?.breached).toBe(0);
  });

  it("counts the clocks reassigned away from the Supplier", () => {
    expect(stats.get(A)?.reassignedAway).toBe(2);
    expect(stats.get(B)?.reassignedAway).toBe(0);
    // C's reassignment away started in October: not in November's figures.
    expect(stats.get(C)?.reassignedAway).toBe(0);
  });

  it("gives % in time over the decided clocks only (answered, or breached)", () => {
    // A: in time 3 (1, 3, 0 days); decided: those 3, the late answer, the breached one, the one
    // reassigned away after due = 6. Open, closed-before-due and reassigned-before-due are not decided.
    expect(stats.get(A)?.percentInTime).toBeCloseTo(50, 10);
    // B: the answered clock only (the other is still open).
    expect(stats.get(B)?.percentInTime).toBe(100);
    // C: nothing decided.
    expect(stats.get(C)?.percentInTime).toBeNull();
  });

  it("gives the median and 90th percentile of Working Days to first response over the answered clocks", () => {
    // A: 0, 1, 3, 7: median (1 + 3) / 2 = 2; p90 rank 0.9 x 3 = 2.7, 3 + 0.7 x 4 = 5.8.
    expect(stats.get(A)?.medianWorkingDays).toBe(2);
    expect(stats.get(A)?.p90WorkingDays).toBeCloseTo(5.8, 10);
    expect(stats.get(B)?.medianWorkingDays).toBe(2);
    expect(stats.get(C)?.medianWorkingDays).toBeNull();
    expect(stats.get(C)?.p90WorkingDays).toBeNull();
  });

  it("is empty for a period with no clock", () => {
    expect(supplierStatistics(requests, { from: new Date("2027-02-01T00:00:00Z"), to: new Date("2027-03-01T00:00:00Z") }).size).toBe(0);
  });
});
