import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { listAll } from "../requests/support";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { dashboardCsv } from "@/lib/sla/dashboard-csv";
import { helpdeskDashboard, supplierPerformance, type HelpdeskDashboard } from "@/lib/sla/dashboard";
import { PERIOD_MESSAGES } from "@/lib/sla/period";
import { closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh } from "../requests/support";

// The helpdesk dashboard and a Supplier's own figures, from hand-made requests at chosen times
// (2026; Good Friday 3 April and Easter Monday 6 April are bank holidays). Alice (Northwind) raises
// every request. A request raised on Thursday 2 April is due at the end of Monday 13 April.

const at = (iso: string) => new Date(iso);
/** Monday 20 April 2026, 10:00 UK time (BST). */
const NOW = at("2026-04-20T09:00:00Z");
const APRIL = { period: "custom", from: "2026-04-01", to: "2026-04-30" };

let codes = 0;
const nextCode = () => (++codes).toString(16).toUpperCase().padStart(32, "0");

describe(`the helpdesk dashboard and Supplier figures (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  /** References by story: answered on day 3, late, never, reassigned, same day, Eastgate's never, raised at 00:30 on a Monday. */
  const r: Record<"day3" | "late" | "never" | "reassigned" | "sameDay" | "eastgateNever" | "mondayMidnight", string> = {} as never;

  beforeAll(async () => {
    ({ alice, bob, erin, dana } = await openSeededDatabase());
    const thursday = at("2026-04-02T09:00:00Z"); // 10:00 BST, the day before Good Friday
    const raise = async (assignee: string, when: Date) => (await raiseFresh(alice, assignee, { now: when })).reference;
    const answer = (who: Actor, reference: string, when: Date) => provideInstallCode(who, { reference, installCode: nextCode() }, { now: when });

    r.day3 = await raise("SFP", thursday);
    await answer(bob, r.day3, at("2026-04-09T10:00:00Z")); // Tue 7, Wed 8, Thu 9: 3 Working Days
    r.late = await raise("SFP", thursday);
    await answer(bob, r.late, at("2026-04-15T10:00:00Z")); // 7 Working Days, after the due day (13 April)
    r.never = await raise("SFP", thursday);
    r.reassigned = await raise("SFP", thursday);
    await reassignRequest(dana, { reference: r.reassigned, organisationCode: "EGP", reason: "Eastgate installed it" }, { now: at("2026-04-07T09:00:00Z") });
    await answer(erin, r.reassigned, at("2026-04-08T12:00:00Z")); // Eastgate: 1 Working Day after its own start
    r.sameDay = await raise("SFP", thursday);
    await answer(bob, r.sameDay, at("2026-04-02T14:00:00Z")); // 0 Working Days
    r.eastgateNever = await raise("EGP", at("2026-04-09T09:00:00Z")); // due at the end of Thursday 16 April
    // 00:30 UK time on Monday 20 April is still Sunday in UTC: it belongs to the week of 20 April.
    r.mondayMidnight = await raise("SFP", at("2026-04-19T23:30:00Z")); // due at the end of Monday 27 April
  });
  afterAll(closeSeededDatabase);

  const dashboard = (input: Record<string, unknown> = APRIL, now = NOW, limit?: number): Promise<HelpdeskDashboard> => helpdeskDashboard(dana, input, { now, limit });

  describe("open requests, at risk and breached", () => {
    it("counts the open requests by status", async () => {
      expect((await dashboard()).open).toEqual([
        { status: "ASSIGNED", count: 3 },
        { status: "RESPONDED", count: 4 },
        { status: "DECLINED", count: 0 },
      ]);
    });

    it("lists the breached requests most overdue first, with how many Working Days late each is", async () => {
      const { breached } = await dashboard();
      expect(breached.total).toBe(2);
      expect(breached.rows.map((row) => [row.reference, row.assignedOrganisation.code, row.due])).toEqual([
        [r.never, "SFP", "Overdue by 5 Working Days"], // 14, 15, 16, 17 and 20 April
        [r.eastgateNever, "EGP", "Overdue by 2 Working Days"], // 17 and 20 April
      ]);
      expect(breached.rows[0]!.raisingOrganisation).toEqual({ code: "NWE", name: "Northwind Energy" });
    });

    it("shows the first rows of a long list with the total, and the CSV has every row", async () => {
      const { breached } = await dashboard(APRIL, NOW, 1);
      expect(breached.rows.map((row) => row.reference)).toEqual([r.never]);
      expect(breached.total).toBe(2);
      const csv = await dashboardCsv(dana, { table: "breached" }, { now: NOW });
      expect(csv.columns).toEqual(["reference", "device_id", "raised_by_code", "raised_by", "assigned_to_code", "assigned_to", "raised_at", "due_at", "due"]);
      expect(csv.filename).toBe("helpdesk-breached-2026-04-20.csv");
      const rows = [];
      for await (const row of csv.rows) rows.push(row);
      expect(rows.map((row) => [row[0], row[4], row[8]])).toEqual([
        [r.never, "SFP", "Overdue by 5 Working Days"],
        [r.eastgateNever, "EGP", "Overdue by 2 Working Days"],
      ]);
      expect(rows[0]![7]).toBe("2026-04-13T22:59:59.999Z"); // the end of Monday 13 April, BST
    });

    it("puts a request at risk from the start of the Working Day before its due day, and breached once its due time has passed", async () => {
      const atRisk = async (now: Date) => (await dashboard(APRIL, now)).atRisk.rows.map((row) => [row.reference, row.due]);
      const breached = async (now: Date) => (await dashboard(APRIL, now)).breached.rows.map((row) => [row.reference, row.due]);
      // Due at the end of Monday 27 April: Thursday the 23rd is too early, Friday the 24th is the Working Day before.
      expect(await atRisk(at("2026-04-23T20:00:00Z"))).toEqual([]);
      expect(await atRisk(at("2026-04-24T09:00:00Z"))).toEqual([[r.mondayMidnight, "Due in 1 Working Day"]]);
      expect(await atRisk(at("2026-04-25T12:00:00Z"))).toEqual([[r.mondayMidnight, "Due in 1 Working Day"]]); // Saturday
      expect(await atRisk(at("2026-04-27T09:00:00Z"))).toEqual([[r.mondayMidnight, "Due today"]]);
      const dueAt = at("2026-04-27T22:59:59.999Z");
      expect(await atRisk(dueAt)).toEqual([[r.mondayMidnight, "Due today"]]);
      expect((await breached(dueAt)).map(([reference]) => reference)).not.toContain(r.mondayMidnight);
      const justAfter = new Date(dueAt.getTime() + 1);
      expect(await atRisk(justAfter)).toEqual([]);
      expect(await breached(justAfter)).toContainEqual([r.mondayMidnight, "Overdue by 1 Working Day"]);
    });

    it("is for the helpdesk only", async () => {
      for (const supplier of [alice, bob, erin]) {
        await expectRefused(helpdeskDashboard(supplier, {}, { now: NOW }), "NOT_FOUND");
        await expectRefused(dashboardCsv(supplier, { table: "breached" }, { now: NOW }), "NOT_FOUND");
      }
    });
  });

  describe("per installing Supplier over a period", () => {
    it("gives each Supplier's received, answered, median and 90th percentile, % in time, breached and reassigned away", async () => {
      const { suppliers, period } = await dashboard();
      expect(period).toMatchObject({ firstDay: "2026-04-01", lastDay: "2026-04-30", from: at("2026-03-31T23:00:00Z"), to: at("2026-04-30T23:00:00Z") });
      expect(suppliers.map((s) => s.code)).toEqual(["EGP", "SFP"]); // by name: Eastgate, Southfield
      expect(suppliers.find((s) => s.code === "SFP")).toMatchObject({
        name: "Southfield Power",
        received: 6, // five raised on 2 April, and one on 20 April
        answered: 3,
        answeredInTime: 2,
        answeredLate: 1,
        medianWorkingDays: 3, // of 0, 3 and 7
        p90WorkingDays: 6.2, // 3 + 0.8 × (7 - 3)
        breached: 2, // answered late, and never answered
        percentInTime: 50, // 2 in time of the 4 whose outcome is known; the one raised on the 20th is not yet due
        currentlyBreached: 1,
        reassignedAway: 1,
      });
      expect(suppliers.find((s) => s.code === "EGP")).toMatchObject({
        name: "Eastgate Gas & Power",
        received: 2, // the reassignment, and its own
        answered: 1,
        answeredInTime: 1,
        medianWorkingDays: 1,
        p90WorkingDays: 1,
        breached: 1,
        percentInTime: 50,
        currentlyBreached: 1,
        reassignedAway: 0,
      });
    });

    it("counts a period's clocks only: March has none, and a Supplier breached now is still listed", async () => {
      const { suppliers } = await dashboard({ period: "custom", from: "2026-03-01", to: "2026-03-31" });
      expect(suppliers.map((s) => [s.code, s.received, s.currentlyBreached])).toEqual([
        ["EGP", 0, 1],
        ["SFP", 0, 1],
      ]);
      expect(suppliers[0]!.medianWorkingDays).toBeNull();
    });

    it("reads this month and last month in UK time", async () => {
      expect((await dashboard({}, NOW)).period).toMatchObject({ kind: "this-month", firstDay: "2026-04-01", lastDay: "2026-04-30", label: "April 2026 (this month)" });
      const may = await dashboard({ period: "last-month" }, at("2026-05-01T00:30:00Z")); // 01:30 BST on 1 May
      expect(may.period).toMatchObject({ kind: "last-month", firstDay: "2026-04-01", lastDay: "2026-04-30", label: "April 2026" });
      expect(may.suppliers.find((s) => s.code === "SFP")!.received).toBe(6);
      const january = await dashboard({ period: "last-month" }, at("2027-01-04T12:00:00Z"));
      expect(january.period).toMatchObject({ firstDay: "2026-12-01", lastDay: "2026-12-31", label: "December 2026" });
    });

    it("exports the Supplier table of the period asked for", async () => {
      const csv = await dashboardCsv(dana, { table: "suppliers", ...APRIL }, { now: NOW });
      expect(csv.filename).toBe("helpdesk-suppliers-2026-04-01-to-2026-04-30.csv");
      const rows = [];
      for await (const row of csv.rows) rows.push(Object.fromEntries(csv.columns.map((c, i) => [c, row[i]])));
      expect(rows).toEqual([
        expect.objectContaining({ supplier_code: "EGP", received: "2", median_working_days_to_first_response: "1", percent_answered_in_time: "50", reassigned_away: "0" }),
        expect.objectContaining({
          supplier_code: "SFP",
          supplier: "Southfield Power",
          received: "6",
          answered: "3",
          median_working_days_to_first_response: "3",
          p90_working_days_to_first_response: "6.2",
          percent_answered_in_time: "50",
          breached_in_period: "2",
          currently_breached: "1",
          reassigned_away: "1",
        }),
      ]);
    });
  });

  describe("the weekly series", () => {
    it("counts requests raised and first responses per week starting Monday, UK time, over at least 12 weeks", async () => {
      const { weekly } = await dashboard();
      expect(weekly).toHaveLength(12);
      expect(weekly[0]!.weekStart).toBe("2026-02-02");
      expect(weekly.slice(-4)).toEqual([
        { weekStart: "2026-03-30", raised: 5, answered: 1 }, // the same-day answer
        { weekStart: "2026-04-06", raised: 1, answered: 2 }, // Eastgate's answer after the reassignment, and day 3
        { weekStart: "2026-04-13", raised: 0, answered: 1 }, // the late one
        { weekStart: "2026-04-20", raised: 1, answered: 0 }, // 00:30 on Monday, UK time
      ]);
      expect(weekly.slice(0, -4).every((w) => w.raised === 0 && w.answered === 0)).toBe(true);
    });

    it("covers the whole of a long period, and the CSV has the same weeks", async () => {
      const input = { period: "custom", from: "2026-01-01", to: "2026-06-30" };
      const { weekly } = await dashboard(input, at("2026-07-10T12:00:00Z"));
      expect(weekly[0]!.weekStart).toBe("2025-12-29");
      expect(weekly.at(-1)!.weekStart).toBe("2026-06-29");
      expect(weekly).toHaveLength(27);
      const csv = await dashboardCsv(dana, { table: "weekly", ...input }, { now: at("2026-07-10T12:00:00Z") });
      const rows = [];
      for await (const row of csv.rows) rows.push(row);
      expect(rows).toEqual(weekly.map((w) => [w.weekStart, String(w.raised), String(w.answered)]));
      expect(csv.columns).toEqual(["week_starting", "raised", "answered"]);
    });
  });

  describe("the period, from a query", () => {
    it.each([
      [{ period: "yearly" }, { period: [PERIOD_MESSAGES.kind] }],
      [{ period: "custom" }, { from: [PERIOD_MESSAGES.from], to: [PERIOD_MESSAGES.to] }],
      [{ from: "2026-04-01" }, { to: [PERIOD_MESSAGES.to] }],
      [{ period: "custom", from: "1 April", to: "2026-04-30" }, { from: [PERIOD_MESSAGES.format] }],
      [{ period: "custom", from: "2026-02-31", to: "2026-04-30" }, { from: [PERIOD_MESSAGES.real] }],
      [{ period: "custom", from: "1999-12-01", to: "2000-01-31" }, { from: [PERIOD_MESSAGES.real] }],
      [{ period: "custom", from: "2026-04-30", to: "2026-04-01" }, { to: [PERIOD_MESSAGES.reversed] }],
      [{ period: "custom", from: "2025-01-01", to: "2026-01-02" }, { to: [PERIOD_MESSAGES.tooLong] }],
    ])("refuses %j with a message", async (input, fieldErrors) => {
      const error = await expectRefused(dashboard(input), "VALIDATION");
      expect(error.fieldErrors).toEqual(fieldErrors);
      await expectRefused(dashboardCsv(dana, { table: "suppliers", ...input }, { now: NOW }), "VALIDATION");
    });

    it("accepts a range of a day and one of 366 days (2028 is a leap year)", async () => {
      expect((await dashboard({ period: "custom", from: "2026-04-02", to: "2026-04-02" })).suppliers.find((s) => s.code === "SFP")!.received).toBe(5);
      expect((await dashboard({ period: "custom", from: "2028-01-01", to: "2028-12-31" })).period.lastDay).toBe("2028-12-31");
    });

    it("ignores the dates when a month is chosen, and refuses an unknown table", async () => {
      expect((await dashboard({ period: "this-month", from: "nonsense" }, NOW)).period.firstDay).toBe("2026-04-01");
      const error = await expectRefused(dashboardCsv(dana, { table: "everything" }, { now: NOW }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ table: ["Choose a table: at-risk, breached, suppliers or weekly"] });
    });
  });

  describe("a Supplier's own figures (/performance)", () => {
    it("gives the installing Supplier its own row, the same as the helpdesk's", async () => {
      const own = await supplierPerformance(bob, APRIL, { now: NOW });
      const helpdesk = (await dashboard()).suppliers.find((s) => s.code === "SFP");
      expect(own.asInstaller).toEqual(helpdesk);
      expect(own.organisation).toEqual({ code: "SFP", name: "Southfield Power" });
      expect(own.asRaiser).toEqual({ raised: 0, answered: 0, medianWorkingDaysToAnswer: null, waiting: 0, overdue: 0 });
    });

    it("gives the raiser how many it raised, how many were answered, the median wait, and how many still wait and are overdue", async () => {
      const own = await supplierPerformance(alice, APRIL, { now: NOW });
      // Answered after 0, 2 (by Eastgate, after the reassignment), 3 and 7 Working Days.
      expect(own.asRaiser).toEqual({ raised: 7, answered: 4, medianWorkingDaysToAnswer: 2.5, waiting: 3, overdue: 2 });
      expect(own.asInstaller).toMatchObject({ code: "NWE", received: 0, currentlyBreached: 0, medianWorkingDays: null });
    });

    it("is for Suppliers only, and a bad period is a message", async () => {
      await expectRefused(supplierPerformance(dana, {}, { now: NOW }), "NOT_FOUND");
      const error = await expectRefused(supplierPerformance(bob, { from: "2026-04-30", to: "2026-04-01" }, { now: NOW }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ to: [PERIOD_MESSAGES.reversed] });
    });
  });

  describe("the due badge on /requests", () => {
    it("says by text when a request is due, how late it is, and whether it was answered in time", async () => {
      const badge = async (actor: Actor, reference: string, now: Date) => (await listAll(actor, {}, { now })).find((row) => row.reference === reference)!.dueBadge;
      expect(await badge(alice, r.never, NOW)).toEqual({ text: "Overdue by 5 Working Days", tone: "overdue" });
      expect(await badge(bob, r.never, NOW)).toEqual({ text: "Overdue by 5 Working Days", tone: "overdue" });
      expect(await badge(bob, r.mondayMidnight, NOW)).toEqual({ text: "Due in 5 Working Days", tone: "due" });
      expect(await badge(bob, r.mondayMidnight, at("2026-04-24T09:00:00Z"))).toEqual({ text: "Due in 1 Working Day", tone: "due-soon" });
      expect(await badge(bob, r.mondayMidnight, at("2026-04-27T09:00:00Z"))).toEqual({ text: "Due today", tone: "due-today" });
      expect(await badge(alice, r.day3, NOW)).toEqual({ text: "Answered", tone: "answered" });
      expect(await badge(alice, r.late, NOW)).toEqual({ text: "Answered late", tone: "answered-late" });
      // After the reassignment, Eastgate's own answer in time.
      expect(await badge(erin, r.reassigned, NOW)).toEqual({ text: "Answered", tone: "answered" });
    });
  });
});
