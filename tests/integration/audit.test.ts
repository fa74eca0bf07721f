import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditCsvRecord, safeCell } from "@/lib/audit/csv";
import { exportAuditEvents, listAuditEvents, AUDIT_PAGE_SIZE } from "@/lib/audit/list-audit-events";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db/client";
import { closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase } from "./requests/support";

// The helpdesk's reading of the audit log: filters, pages that survive new events, the export.

describe(`the audit log for the helpdesk (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;

  beforeAll(async () => {
    people = await openSeededDatabase();
    // 250 sign-ins by Bob over two London days (the clocks are on GMT in November), and a few others.
    for (let i = 0; i < 250; i++) {
      const at = new Date(Date.UTC(2026, 10, 10, 8, 0, 0) + i * 5 * 60_000); // 10 Nov 08:00 to 11 Nov ~04:45 UTC
      await recordAudit(db(), { type: "SIGN_IN", actor: people.bob, clientAddress: "192.0.2.10", subject: people.bob.email, at });
    }
    await recordAudit(db(), { type: "INSTALL_CODE_REVEALED", actor: people.alice, requestReference: "RIC0000042", at: new Date("2026-11-12T10:00:00Z") });
    await recordAudit(db(), { type: "SIGN_IN_LINK_REFUSED", subject: "=HYPERLINK(\"http://evil.example\")", detail: "no account with this address", at: new Date("2026-11-12T11:00:00Z") });
  });
  afterAll(async () => {
    await closeSeededDatabase();
  });

  async function everyPage(input: Record<string, string>) {
    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page = await listAuditEvents(people.dana, { ...input, ...(before ? { before } : {}) });
      expect(page.rows.length).toBeLessThanOrEqual(AUDIT_PAGE_SIZE);
      seen.push(...page.rows.map((r) => r.sequence));
      before = page.nextBefore;
    } while (before);
    return seen;
  }

  it("keeps only printable text, cut to its column, whatever a caller typed", async () => {
    await recordAudit(db(), { type: "SIGN_IN_REFUSED", subject: `x\u0000y\nz${"@".repeat(400)}`, detail: "line\r\nbreak" });
    const row = await db().auditEvent.findFirstOrThrow({ where: { type: "SIGN_IN_REFUSED", detail: "linebreak" } });
    expect(row.subject).toBe(`xyz${"@".repeat(317)}`);
  });

  it("is not found for anyone but the helpdesk", async () => {
    for (const someone of [people.alice, people.bob, people.erin]) {
      await expectRefused(listAuditEvents(someone, {}), "NOT_FOUND");
      await expectRefused(exportAuditEvents(someone, {}).next(), "NOT_FOUND");
    }
  });

  it("pages through every event exactly once, newest first", async () => {
    const all = await db().auditEvent.findMany({ orderBy: { sequence: "desc" }, select: { sequence: true } });
    const seen = await everyPage({});
    expect(seen).toEqual(all.map((e) => e.sequence.toString()));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("keeps a page's place when new events arrive", async () => {
    const first = await listAuditEvents(people.dana, { type: "SIGN_IN" });
    await recordAudit(db(), { type: "SIGN_IN", actor: people.erin, at: new Date("2026-11-20T10:00:00Z") });
    const second = await listAuditEvents(people.dana, { type: "SIGN_IN", before: first.nextBefore! });
    expect(Number(second.rows[0]!.sequence)).toBeLessThan(Number(first.rows.at(-1)!.sequence));
  });

  it("filters by kind, by who (email or organisation code, any case), by request and by UK day", async () => {
    expect((await listAuditEvents(people.dana, { type: "INSTALL_CODE_REVEALED" })).rows.map((r) => r.requestReference)).toEqual(["RIC0000042"]);
    expect((await everyPage({ who: "BOB@southfield.example", type: "SIGN_IN" })).length).toBe(250);
    // Bob's account being created (by the seed) is about him too.
    expect((await everyPage({ who: "bob@southfield.example", type: "USER_CREATED" })).length).toBe(1);
    // An organisation code finds what its people did and what was done to it.
    expect((await everyPage({ who: "sfp" })).length).toBe(251);
    expect((await listAuditEvents(people.dana, { reference: "ric0000042" })).rows).toHaveLength(1);
    // 10 November 08:00 to 23:55 is 192 five-minute steps; the rest fall on the 11th.
    expect((await everyPage({ who: "SFP", type: "SIGN_IN", from: "2026-11-10", to: "2026-11-10" })).length).toBe(192);
    expect((await everyPage({ who: "SFP", type: "SIGN_IN", from: "2026-11-11" })).length).toBe(58);
  });

  it("explains a bad filter and shows nothing", async () => {
    const bad = await expectRefused(listAuditEvents(people.dana, { from: "30/11/2026", type: "MADE_UP", before: "abc" }), "VALIDATION");
    expect(bad.fieldErrors).toEqual({
      type: ["Choose a kind of event from the list"],
      from: ["Enter a date like 2026-11-30"],
      before: ["Not a page of the audit log"],
    });
    const backwards = await expectRefused(listAuditEvents(people.dana, { from: "2026-11-12", to: "2026-11-10" }), "VALIDATION");
    expect(backwards.fieldErrors).toEqual({ to: ["The end date is before the start date"] });
    const impossible = await expectRefused(listAuditEvents(people.dana, { from: "2026-02-31" }), "VALIDATION");
    expect(impossible.fieldErrors.from).toEqual(["Enter a real date from 2000 to 2100, like 2026-11-30"]);
    for (const far of ["9999-12-31", "0001-01-01"]) {
      const error = await expectRefused(listAuditEvents(people.dana, { to: far }), "VALIDATION");
      expect(error.fieldErrors.to).toEqual(["Enter a real date from 2000 to 2100, like 2026-11-30"]);
    }
    // A NUL in a search box is a message, not a database error.
    for (const field of ["who", "reference"]) {
      const error = await expectRefused(listAuditEvents(people.dana, { [field]: "RIC\u0000" }), "VALIDATION");
      expect(error.fieldErrors[field]).toEqual(["Remove the invisible control characters"]);
      await expectRefused(exportAuditEvents(people.dana, { [field]: "a\u0000" }).next(), "VALIDATION");
    }
  });

  it("exports every matching event, and no cell a spreadsheet would run as a formula", async () => {
    const exported = [];
    for await (const row of exportAuditEvents(people.dana, { who: "sfp", type: "SIGN_IN" })) exported.push(row);
    expect(exported).toHaveLength(250);
    const refused = [];
    for await (const row of exportAuditEvents(people.dana, { type: "SIGN_IN_LINK_REFUSED" })) refused.push(auditCsvRecord(row));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(`'=HYPERLINK("http://evil.example")`);
    for (const risky of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(safeCell(risky)).toBe(`'${risky}`);
    expect(safeCell("alice@northwind.example")).toBe("alice@northwind.example");
  });
});
