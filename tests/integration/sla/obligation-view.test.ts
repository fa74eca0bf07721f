import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { dueStatus } from "@/components/obligation";
import { formatDueBy } from "@/components/format";
import { db } from "@/lib/db/client";
import { runSlaScan } from "@/lib/sla/scheduler";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { viewRequest } from "@/lib/requests/view-request";
import { ON_POSTGRES, closeSeededDatabase, openSeededDatabase, raiseFresh } from "../requests/support";

// What the request page says about the obligation (issue 8: "due by the end of Monday 13 April (3
// Working Days left)", and why that day). Easter 2026: Good Friday 3 April and Easter Monday 6 April
// are bank holidays, so a request raised on Thursday 2 April counts Tue 7, Wed 8, Thu 9, Fri 10 and
// Mon 13 April, and is due by the end of Monday 13 April (UK time, BST: 22:59:59.999Z).

const CODE = "83FED3407A939723A5C639B26916D505C3B5";
const at = (iso: string) => new Date(iso);

describe(`the obligation on the request page (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, dana: Actor;
  beforeAll(async () => {
    ({ alice, bob, dana } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  it("says when it is due, how many Working Days are left, and why that day", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at("2026-04-02T13:05:00Z") });
    const view = (now: string) => viewRequest(bob, reference, { now: at(now) });

    const thursday = await view("2026-04-09T08:00:00Z");
    expect(formatDueBy(thursday.dueAt)).toBe("by the end of Monday 13 April 2026");
    expect(thursday.dueAt.toISOString()).toBe("2026-04-13T22:59:59.999Z");
    expect(dueStatus(thursday)).toBe("3 Working Days left");
    expect(thursday.dueExplanation?.counted.map((d) => d.day)).toEqual([7, 8, 9, 10, 13]);
    expect(thursday.dueExplanation?.skipped.map((s) => [s.day.day, s.why])).toEqual([
      [3, "Good Friday"],
      [4, "Saturday"],
      [5, "Sunday"],
      [6, "Easter Monday"],
      [11, "Saturday"],
      [12, "Sunday"],
    ]);

    // Saturday: Monday is the one Working Day left; Monday itself is "due today" until midnight.
    expect(dueStatus(await view("2026-04-11T10:00:00Z"))).toBe("1 Working Day left");
    expect(dueStatus(await view("2026-04-13T21:00:00Z"))).toBe("due today");
    expect(dueStatus(await view("2026-04-15T09:00:00Z"))).toBe("overdue by 2 Working Days");
  });

  it("says an answer was in time or late, and keeps an earlier assignee's breach in view after a reassignment", async () => {
    const inTime = await raiseFresh(alice, "SFP", { now: at("2026-04-02T13:05:00Z") });
    await provideInstallCode(bob, { reference: inTime.reference, installCode: CODE }, { now: at("2026-04-10T09:00:00Z") });
    expect(dueStatus(await viewRequest(alice, inTime.reference, { now: at("2026-04-20T09:00:00Z") }))).toBe("answered in time");

    const late = await raiseFresh(alice, "SFP", { now: at("2026-04-02T13:05:00Z") });
    await provideInstallCode(bob, { reference: late.reference, installCode: CODE }, { now: at("2026-04-14T09:00:00Z") });
    expect(dueStatus(await viewRequest(alice, late.reference, { now: at("2026-04-20T09:00:00Z") }))).toBe("answered late");

    const moved = await raiseFresh(alice, "SFP", { now: at("2026-04-02T13:05:00Z") });
    await reassignRequest(dana, { reference: moved.reference, organisationCode: "EGP", reason: "Eastgate installed it" }, { now: at("2026-04-15T10:00:00Z") });
    const view = await viewRequest(dana, moved.reference, { now: at("2026-04-16T10:00:00Z") });
    expect(view.clocks.map((c) => [c.organisation, c.outcome, c.breachedAt?.toISOString() ?? null])).toEqual([
      ["Southfield Power", "reassigned", "2026-04-13T22:59:59.999Z"],
      ["Eastgate Gas & Power", "open", null],
    ]);
    // Eastgate's own five Working Days, from Wednesday 15 April: Thu 16 ... Wed 22 April.
    expect(formatDueBy(view.dueAt)).toBe("by the end of Wednesday 22 April 2026");
    expect(dueStatus(view)).toBe("5 Working Days left");
  });

  it("says the due date in the same words as the emails: the assignment, the reminder and the reassignment", async () => {
    const { reference } = await raiseFresh(alice, "SFP", { now: at("2026-04-02T13:05:00Z") });
    /** The request page's line: "by the end of … (… left)". */
    const pageSays = async (now: string) => {
      const view = await viewRequest(bob, reference, { now: at(now) });
      return `${formatDueBy(view.dueAt)} (${dueStatus(view)})`;
    };
    const emailed = async (subject: string) => {
      const emails = await db().email.findMany({ where: { subject: { startsWith: `${reference}` }, to: "bob@southfield.example" }, orderBy: { createdAt: "asc" } });
      return emails.filter((e) => e.subject.includes(subject)).map((e) => e.text);
    };

    // Raised on Thursday 2 April: five ahead, as the page says that day.
    const [assignment] = await emailed("Install Code requested");
    expect(await pageSays("2026-04-02T13:05:00Z")).toBe("by the end of Monday 13 April 2026 (5 Working Days left)");
    expect(assignment).toContain("Respond by the end of Monday 13 April 2026 (5 Working Days left)\n");

    // The reminder, at the start of Friday 10 April (BST): Friday and Monday left.
    await runSlaScan(at("2026-04-09T23:00:00Z"));
    const [reminder] = await emailed("Install Code due");
    expect(await pageSays("2026-04-09T23:00:00Z")).toBe("by the end of Monday 13 April 2026 (2 Working Days left)");
    expect(reminder).toContain("Respond by the end of Monday 13 April 2026 (2 Working Days left)\n");

    // Reassigned to Eastgate on Thursday 16 April: its own five, from Friday 17 to Thursday 23 April.
    await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate installed it" }, { now: at("2026-04-16T10:00:00Z") });
    const toErin = await db().email.findFirstOrThrow({ where: { subject: `${reference}: Install Code requested for Device ${(await viewRequest(dana, reference)).device.deviceId}`, to: "erin@eastgate.example" } });
    const danaSees = await viewRequest(dana, reference, { now: at("2026-04-16T10:00:00Z") });
    expect(`${formatDueBy(danaSees.dueAt)} (${dueStatus(danaSees)})`).toBe("by the end of Thursday 23 April 2026 (5 Working Days left)");
    expect(toErin.text).toContain("Respond by the end of Thursday 23 April 2026 (5 Working Days left)\n");
  });
});
