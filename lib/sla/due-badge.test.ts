import { describe, expect, it } from "vitest";
import { dueBadge } from "./due-badge";

// The due badge a person reads on the request list, from the row alone (2026, UK time).
const at = (iso: string) => new Date(iso);
const assigned = (dueAt: string) => ({ dueAt: at(dueAt), respondedAt: null, status: "ASSIGNED" });

describe("the due badge", () => {
  it("counts Working Days to the due day, across a weekend and Easter", () => {
    // Due at the end of Monday 13 April; Good Friday 3 April and Easter Monday 6 April are bank holidays.
    const request = assigned("2026-04-13T22:59:59.999Z");
    expect(dueBadge(request, at("2026-04-02T09:00:00Z"))?.text).toBe("Due in 5 Working Days");
    expect(dueBadge(request, at("2026-04-10T09:00:00Z"))).toEqual({ text: "Due in 1 Working Day", tone: "due-soon" });
    expect(dueBadge(request, at("2026-04-12T09:00:00Z"))?.text).toBe("Due in 1 Working Day"); // Sunday
    expect(dueBadge(request, at("2026-04-13T22:59:59.999Z"))).toEqual({ text: "Due today", tone: "due-today" });
    expect(dueBadge(request, at("2026-04-13T23:00:00Z"))).toEqual({ text: "Overdue by 1 Working Day", tone: "overdue" });
    expect(dueBadge(request, at("2026-04-20T09:00:00Z"))?.text).toBe("Overdue by 5 Working Days");
  });

  it("says overdue on the due day itself when the due time is a time of day (SLA_DUE_TIME) and has passed", () => {
    const request = assigned("2026-04-13T16:00:00Z"); // 17:00 BST
    expect(dueBadge(request, at("2026-04-13T15:59:00Z"))?.text).toBe("Due today");
    expect(dueBadge(request, at("2026-04-13T17:00:00Z"))).toEqual({ text: "Overdue since today", tone: "overdue" });
  });

  it("says overdue without a number over the weekend after a Friday due day, when no Working Day has passed", () => {
    const request = assigned("2026-04-10T22:59:59.999Z"); // the end of Friday 10 April (BST)
    expect(dueBadge(request, at("2026-04-11T10:00:00Z"))).toEqual({ text: "Overdue", tone: "overdue" });
    expect(dueBadge(request, at("2026-04-12T10:00:00Z"))?.text).toBe("Overdue");
    expect(dueBadge(request, at("2026-04-13T10:00:00Z"))?.text).toBe("Overdue by 1 Working Day");
  });

  it("says whether an answer came in time, and nothing for a request closed unanswered", () => {
    const dueAt = at("2026-04-13T22:59:59.999Z");
    const later = at("2026-05-01T09:00:00Z");
    expect(dueBadge({ dueAt, respondedAt: at("2026-04-13T20:00:00Z"), status: "RESPONDED" }, later)).toEqual({ text: "Answered", tone: "answered" });
    expect(dueBadge({ dueAt, respondedAt: at("2026-04-14T08:00:00Z"), status: "CLOSED" }, later)).toEqual({ text: "Answered late", tone: "answered-late" });
    expect(dueBadge({ dueAt, respondedAt: null, status: "CLOSED" }, later)).toBeNull();
  });
});
