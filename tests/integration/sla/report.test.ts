import { parse } from "csv-parse/sync";
import { CATEGORY_PRIORITY } from "@/lib/notifications/categories";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { hashSessionToken, sessionCookieName } from "@/lib/auth/sessions";
import { setClockOffset } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { withdrawRequest } from "@/lib/requests/close-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { reassignRequest } from "@/lib/requests/reassign-request";
import {
  computeMonthlyReport,
  generateDueReports,
  reportForMonth,
  reportMonth,
  reportTable,
  viewMonthlyReport,
  type MonthlyReport,
  type MonthlyReportRow,
} from "@/lib/sla/report";
import { addUser, closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase, raiseFresh } from "../requests/support";

// The monthly obligation report for the SEC Panel, from a month of hand-made requests (November
// 2026: the 1st is a Sunday, no bank holidays; due at the end of the fifth Working Day after the
// day of raising). Every instant below is UK time = UTC (GMT) in November.

const session = vi.hoisted(() => ({ cookies: new Map<string, string>() }));
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (session.cookies.has(name) ? { name, value: session.cookies.get(name)! } : undefined),
    has: (name: string) => session.cookies.has(name),
    getAll: () => [...session.cookies].map(([name, value]) => ({ name, value })),
  }),
  headers: async () => new Headers({ "x-portal-path": "/helpdesk/reports" }),
}));

const CODE = "00112233445566778899AABBCCDDEEFF";
const at = (iso: string) => new Date(iso);
/** After everything below happened: Wednesday 2 December, the first Working Day being Tuesday 1 December. */
const DECEMBER_2 = at("2026-12-02T09:00:00Z");

/** A row's figures without its organisation id (names and codes are what people read). */
function figures(report: MonthlyReport) {
  return report.rows.map((row: MonthlyReportRow) => {
    const { organisationId, ...shown } = row;
    expect(organisationId).toMatch(/^[0-9a-f-]{36}$/);
    return shown;
  });
}

const zero = { received: 0, answeredInTime: 0, answeredLate: 0, unanswered: 0, unansweredNotYetDue: 0, reassignedAway: 0, closedUnanswered: 0, declined: 0, missedDeadline: 0, medianWorkingDays: null };

describe(`the monthly obligation report (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor, hamid: Actor;
  /** Raised in October, answered in November. */
  let fromOctober: string;
  /** Unanswered at the end of November, answered (late) on 1 December. */
  let lateAfterMonthEnd: string;
  /** Never answered. */
  let neverAnswered: string;

  beforeAll(async () => {
    ({ alice, bob, erin, dana } = await openSeededDatabase());
    hamid = await addUser("hamid@dcc.example", "Hamid Rahman", "DCC");

    // Raised Thursday 29 October (due Thursday 5 November), answered Tuesday 3 November.
    fromOctober = (await raiseFresh(alice, "SFP", { now: at("2026-10-29T10:00:00Z") })).reference;
    await provideInstallCode(bob, { reference: fromOctober, installCode: CODE }, { now: at("2026-11-03T10:00:00Z") });

    // Southfield Power (SFP), as installing Supplier of Alice's requests:
    // Monday 2 November, due Monday 9: answered Wednesday 4 (in time, 2 Working Days).
    const inTime = await raiseFresh(alice, "SFP", { now: at("2026-11-02T10:00:00Z") });
    await provideInstallCode(bob, { reference: inTime.reference, installCode: CODE }, { now: at("2026-11-04T15:00:00Z") });
    // Tuesday 3, due Tuesday 10: answered Thursday 12 (late, 7 Working Days).
    const late = await raiseFresh(alice, "SFP", { now: at("2026-11-03T10:00:00Z") });
    await provideInstallCode(bob, { reference: late.reference, installCode: CODE }, { now: at("2026-11-12T11:00:00Z") });
    // Wednesday 4, due Wednesday 11: never answered (overdue at month end).
    neverAnswered = (await raiseFresh(alice, "SFP", { now: at("2026-11-04T10:00:00Z") })).reference;
    // Thursday 5: reassigned to Eastgate on Monday 9 (Southfield: reassigned away); Erin answers on Tuesday 10 (1 Working Day).
    const moved = await raiseFresh(alice, "SFP", { now: at("2026-11-05T10:00:00Z") });
    await reassignRequest(dana, { reference: moved.reference, organisationCode: "EGP", reason: "Eastgate installed it" }, { now: at("2026-11-09T10:00:00Z") });
    await provideInstallCode(erin, { reference: moved.reference, installCode: CODE }, { now: at("2026-11-10T16:00:00Z") });
    // Monday 16: closed by Alice on Tuesday 17 before any answer.
    const withdrawn = await raiseFresh(alice, "SFP", { now: at("2026-11-16T10:00:00Z") });
    await withdrawRequest(alice, { reference: withdrawn.reference, reason: "NO_LONGER_NEEDED" }, { now: at("2026-11-17T10:00:00Z") });
    // Monday 23, due Monday 30: answered Tuesday 1 December (after the month's end: unanswered, overdue, in November's report).
    lateAfterMonthEnd = (await raiseFresh(alice, "SFP", { now: at("2026-11-23T10:00:00Z") })).reference;
    await provideInstallCode(bob, { reference: lateAfterMonthEnd, installCode: CODE }, { now: at("2026-12-01T09:00:00Z") });
    // Thursday 26, due Thursday 3 December: answered Tuesday 1 December (in time, but not yet due at month end).
    const notYetDue = await raiseFresh(alice, "SFP", { now: at("2026-11-26T10:00:00Z") });
    await provideInstallCode(bob, { reference: notYetDue.reference, installCode: CODE }, { now: at("2026-12-01T10:00:00Z") });

    // Northwind Energy (NWE), as installing Supplier of Bob's request: answered the same day (0 Working Days).
    const sameDay = await raiseFresh(bob, "NWE", { now: at("2026-11-10T09:00:00Z") });
    await provideInstallCode(alice, { reference: sameDay.reference, installCode: CODE }, { now: at("2026-11-10T17:00:00Z") });

    // December's first request: not November's.
    await raiseFresh(alice, "SFP", { now: at("2026-12-01T00:30:00Z") });
  });
  afterAll(async () => {
    setClockOffset(0);
    await closeSeededDatabase();
  });

  describe("the figures", () => {
    it("November 2026: per installing Supplier by name, each request as it stood at the end of the month", async () => {
      const report = await computeMonthlyReport("2026-11", DECEMBER_2);
      expect(report.month).toBe("2026-11");
      expect(report.generatedAt).toBe("2026-12-02T09:00:00.000Z");
      // As of the end of the month: 00:00 UK time on 1 December.
      expect(report.asOf).toBe("2026-12-01T00:00:00.000Z");
      expect(report.responseWorkingDays).toBe(5);
      expect(figures(report)).toEqual([
        { ...zero, code: "EGP", name: "Eastgate Gas & Power", received: 1, answeredInTime: 1, medianWorkingDays: 1 },
        { ...zero, code: "NWE", name: "Northwind Energy", received: 1, answeredInTime: 1, medianWorkingDays: 0 },
        {
          code: "SFP",
          name: "Southfield Power",
          received: 7,
          answeredInTime: 1,
          answeredLate: 1,
          // Never answered; answered on 1 December (overdue on 30 November); not due until 3 December.
          unanswered: 3,
          unansweredNotYetDue: 1,
          reassignedAway: 1,
          closedUnanswered: 1,
          declined: 0,
          // Answered late, never answered, and due on 30 November but answered on 1 December.
          missedDeadline: 3,
          medianWorkingDays: 4.5,
        },
      ]);
      expect(report.totals).toEqual({
        received: 9,
        answeredInTime: 3,
        answeredLate: 1,
        unanswered: 3,
        unansweredNotYetDue: 1,
        reassignedAway: 1,
        closedUnanswered: 1,
        declined: 0,
        missedDeadline: 3,
        // Of 0, 1, 2 and 7 Working Days: not the median of the rows' medians (1).
        medianWorkingDays: 1.5,
      });
    });

    it("a request raised in October and answered in November counts in October, as unanswered and not yet due at its end", async () => {
      const october = await computeMonthlyReport("2026-10", DECEMBER_2);
      // The clocks went back on 25 October: the month ends at 00:00 GMT.
      expect(october.asOf).toBe("2026-11-01T00:00:00.000Z");
      expect(figures(october)).toEqual([{ ...zero, code: "SFP", name: "Southfield Power", received: 1, unanswered: 1, unansweredNotYetDue: 1 }]);
      // November does not count it again: its seven Southfield requests are November's own.
      const november = await computeMonthlyReport("2026-11", DECEMBER_2);
      expect(november.rows.find((r) => r.code === "SFP")?.received).toBe(7);
      expect(fromOctober).toMatch(/^RIC\d+$/);
    });

    it("a month in British Summer Time starts at 00:00 UK time (23:00 UTC the day before)", async () => {
      // Raised at 23:30 UTC on 30 September: 00:30 on 1 October in the UK, so October's.
      await raiseFresh(erin, "NWE", { now: at("2026-09-30T23:30:00Z") });
      const october = await computeMonthlyReport("2026-10", DECEMBER_2);
      expect(figures(october).find((r) => r.code === "NWE")).toEqual({ ...zero, code: "NWE", name: "Northwind Energy", received: 1, unanswered: 1, missedDeadline: 1 });
      const september = await computeMonthlyReport("2026-09", DECEMBER_2);
      expect(september.rows).toEqual([]);
      expect(september.totals).toEqual(zero);
    });

    it("a month not over yet is provisional, as of now: later requests and answers are not in it yet", async () => {
      const view = await reportForMonth("2026-11", at("2026-11-20T12:00:00Z"));
      expect(view.kept).toBe(false);
      expect(view.provisional).toBe("month-not-over");
      expect(view.report.asOf).toBe("2026-11-20T12:00:00.000Z");
      // Southfield on 20 November: the 2nd answered in time, the 3rd answered late (on the 12th), the 4th overdue, one
      // reassigned away, one closed; the 23rd and 26th not raised yet.
      expect(figures(view.report).find((r) => r.code === "SFP")).toEqual({
        ...zero,
        code: "SFP",
        name: "Southfield Power",
        received: 5,
        answeredInTime: 1,
        answeredLate: 1,
        unanswered: 1,
        reassignedAway: 1,
        closedUnanswered: 1,
        declined: 0,
        missedDeadline: 2,
        medianWorkingDays: 4.5,
      });
    });

    it("a month without a report is refused with a message that says why, and only the helpdesk may see one", async () => {
      const now = at("2026-11-20T12:00:00Z");
      expect(reportMonth("2026-11", now)).toBe("2026-11");
      expect(reportMonth(" 2026-01 ", now)).toBe("2026-01");
      for (const month of ["2026-13", "2026-00", "2026-1", "abc", "", "1999-12", "__proto__"]) {
        const error = await expectRefused(Promise.resolve().then(() => reportMonth(month, now)), "VALIDATION", "There is no report for that month");
        expect(error.fieldErrors.month).toEqual(["Write the month as YYYY-MM, for example 2026-11 (from 2000-01)."]);
      }
      const future = await expectRefused(viewMonthlyReport(dana, "2026-12", now), "VALIDATION", "There is no report for that month");
      expect(future.fieldErrors.month).toEqual(["December 2026 has not started yet: there is a report for each month up to this one."]);
      for (const supplier of [alice, bob, erin]) await expectRefused(viewMonthlyReport(supplier, "2026-11", now), "NOT_FOUND");
    });
  });

  describe("kept reports", () => {
    const helpdeskEmails = () =>
      db().email.findMany({ where: { subject: { contains: "obligation report" } }, orderBy: [{ createdAt: "asc" }, { to: "asc" }] });

    it("nothing before the first Working Day: Sunday 1 November 2026 waits for Monday 2 November", async () => {
      expect(await generateDueReports(at("2026-11-01T00:00:00Z"))).toBeNull();
      expect(await generateDueReports(at("2026-11-01T23:59:59Z"))).toBeNull();
      expect(await db().obligationReport.count()).toBe(0);
      expect(await helpdeskEmails()).toEqual([]);
    });

    it("October's is kept on Monday 2 November, once however often it runs, and each helpdesk user is emailed the link once", async () => {
      const first = await generateDueReports(at("2026-11-02T00:00:30Z"));
      expect(first).toEqual({ month: "2026-10", generated: true, emailed: 2 });
      // Every minute and hour after, all month.
      for (const minute of [1, 2, 60, 24 * 60, 27 * 24 * 60]) {
        expect(await generateDueReports(new Date(at("2026-11-02T00:00:30Z").getTime() + minute * 60_000))).toEqual({ month: "2026-10", generated: false, emailed: 0 });
      }
      const kept = await db().obligationReport.findMany();
      expect(kept.map((r) => [r.month, r.generatedAt.toISOString()])).toEqual([["2026-10", "2026-11-02T00:00:30.000Z"]]);

      const emails = await helpdeskEmails();
      expect(emails.map((e) => e.to).sort()).toEqual([dana.email, hamid.email].sort());
      for (const email of emails) {
        expect(email.subject).toBe("Install Code obligation report for October 2026 is ready");
        expect(email.priority).toBe(CATEGORY_PRIORITY.REPORT);
        expect(email.text).toContain("The Install Code obligation report for October 2026 is ready.");
        expect(email.text).toContain(`\n${env().appUrl}/helpdesk/reports/2026-10\n`);
        expect(email.text).toContain("You get this email because you are a member of DCC Service Desk and chose to get the monthly obligation report.");
        expect(email.text).toContain(`To change which emails you get: ${env().appUrl}/settings/notifications`);
        expect(email.html).toContain(`href="${env().appUrl}/helpdesk/reports/2026-10"`);
        // Suppliers' users get nothing.
        expect([alice.email, bob.email, erin.email]).not.toContain(email.to);
      }
    });

    it("January 2027: New Year's Day and the weekend pass before December's is kept on Monday 4 January", async () => {
      const december = await computeMonthlyReport("2026-12", at("2027-01-04T09:00:00Z"));
      expect(await generateDueReports(at("2027-01-01T12:00:00Z"))).toBeNull();
      expect(await generateDueReports(at("2027-01-03T23:59:00Z"))).toBeNull();
      // Several instances at once: one keeps it and emails, the others do nothing.
      const results = await Promise.all([1, 2, 3, 4].map(() => generateDueReports(at("2027-01-04T09:00:00Z"))));
      expect(results.filter((r) => r?.generated)).toEqual([{ month: "2026-12", generated: true, emailed: 2 }]);
      expect(results.filter((r) => r && !r.generated)).toHaveLength(3);
      expect(await db().obligationReport.count({ where: { month: "2026-12" } })).toBe(1);
      const emails = (await helpdeskEmails()).filter((e) => e.subject.includes("December 2026"));
      expect(emails.map((e) => e.to).sort()).toEqual([dana.email, hamid.email].sort());
      const view = await reportForMonth("2026-12", at("2027-01-05T09:00:00Z"));
      expect({ ...view.report, generatedAt: december.generatedAt }).toEqual(december);
    });

    it("November's, kept on 1 December, is what the page shows from then on, unchanged by anything later", async () => {
      const generated = await generateDueReports(at("2026-12-01T08:00:00Z"));
      expect(generated).toEqual({ month: "2026-11", generated: true, emailed: 2 });
      const keptView = await reportForMonth("2026-11", DECEMBER_2);
      expect(keptView).toMatchObject({ kept: true, provisional: false });
      expect(keptView.report.generatedAt).toBe("2026-12-01T08:00:00.000Z");
      const before = keptView.report;
      expect({ ...before, generatedAt: "" }).toEqual({ ...(await computeMonthlyReport("2026-11", DECEMBER_2)), generatedAt: "" });

      // Later: the overdue request is answered, a new one arrives, and Southfield is renamed.
      await provideInstallCode(bob, { reference: neverAnswered, installCode: CODE }, { now: at("2026-12-03T10:00:00Z") });
      await raiseFresh(alice, "SFP", { now: at("2026-12-03T11:00:00Z") });
      await db().organisation.update({ where: { code: "SFP" }, data: { name: "Southfield Power plc" } });
      try {
        const after = await reportForMonth("2026-11", at("2026-12-04T09:00:00Z"));
        expect(after).toEqual({ report: before, kept: true, provisional: false });
        expect(after.report.rows.find((r) => r.code === "SFP")).toMatchObject({ name: "Southfield Power", unanswered: 3 });
      } finally {
        await db().organisation.update({ where: { code: "SFP" }, data: { name: "Southfield Power" } });
      }
      expect(lateAfterMonthEnd).toMatch(/^RIC\d+$/);
    });
  });

  describe("the page and its CSV", () => {
    async function signIn(actor: Actor) {
      const token = `report-${Math.random().toString(36).slice(2)}`;
      const now = Date.now();
      await db().session.create({
        data: { sessionToken: hashSessionToken(token), userId: actor.userId, createdAt: new Date(now), lastSeenAt: new Date(now), expires: new Date(now + 30 * 60_000) },
      });
      session.cookies = new Map([[sessionCookieName(), token]]);
      return token;
    }

    /** The table the page renders, as the props of its table component. */
    function tableOf(node: unknown): ReturnType<typeof reportTable> | undefined {
      if (Array.isArray(node)) return node.map(tableOf).find(Boolean);
      if (node === null || typeof node !== "object" || !("props" in node)) return undefined;
      const props = (node as { props: Record<string, unknown> }).props;
      if ("table" in props) return props.table as ReturnType<typeof reportTable>;
      return tableOf(props.children);
    }

    it("the CSV download has the page's rows and totals, and its file name says the month", async () => {
      setClockOffset(DECEMBER_2.getTime() - Date.now());
      const token = await signIn(dana);
      const { default: Page } = await import("@/app/helpdesk/reports/[month]/page");
      const tree = await Page({ params: Promise.resolve({ month: "2026-11" }) });
      const shown = tableOf(tree)!;
      expect(shown.rows.map((r) => r.slice(0, 2))).toEqual([
        ["Eastgate Gas & Power", "EGP"],
        ["Northwind Energy", "NWE"],
        ["Southfield Power", "SFP"],
      ]);

      const { GET } = await import("@/app/helpdesk/reports/[month]/csv/route");
      const response = await GET(new NextRequest(`${env().appUrl}/helpdesk/reports/2026-11/csv`, { headers: { cookie: `${sessionCookieName()}=${token}` } }), {
        params: Promise.resolve({ month: "2026-11" }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
      expect(response.headers.get("content-disposition")).toBe('attachment; filename="obligation-report-2026-11.csv"');
      const csv = parse(await response.text()) as string[][];
      expect(csv).toEqual([shown.headings, ...shown.rows, shown.totals]);
      expect(csv[0]).toEqual([
        "Supplier",
        "Code",
        "Received",
        "Answered within five Working Days",
        "Answered late",
        "Unanswered at month end",
        "Of which not yet due",
        "Reassigned away",
        "Closed unanswered",
        "Declined",
        "Deadline missed",
        "Median Working Days to first response",
      ]);
      expect(csv.at(-1)).toEqual(["Total", "", "9", "3", "1", "3", "1", "1", "1", "0", "3", "1.5"]);

      // A supplier's session gets 404 from both.
      await signIn(bob);
      await expect(Page({ params: Promise.resolve({ month: "2026-11" }) })).rejects.toMatchObject({ digest: "NEXT_HTTP_ERROR_FALLBACK;404" });
    });
  });
});
