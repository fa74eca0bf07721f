import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { deleteExpiredRecords } from "@/lib/retention/delete-expired-records";
import { eraseClosedInstallCodes } from "@/lib/retention/erase-install-codes";
import { PURGED_TEXT, purgeSentEmailBodies } from "@/lib/retention/purge-email-bodies";
import { closeRequest, withdrawRequest } from "@/lib/requests/close-request";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { parseReference } from "@/lib/requests/reference";
import { viewRequest } from "@/lib/requests/view-request";
import { computeMonthlyReport } from "@/lib/sla/report";
import { closeSeededDatabase, ON_POSTGRES, openSeededDatabase, raiseAndProvide, raiseFresh, requestRow } from "./requests/support";

const CODE = "83FED3407A939723A5C639B26916D505";
const DAY = 24 * 60 * 60_000;

async function erasedEvents(reference: string) {
  const request = await requestRow(reference);
  return db().requestEvent.findMany({ where: { requestId: request.id, type: "INSTALL_CODE_ERASED" } });
}

async function codesOf(reference: string) {
  const request = await requestRow(reference);
  return db().installCode.findMany({ where: { requestId: request.id } });
}

describe(`retention (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor;
  const base = new Date(Date.now() + 60_000);

  beforeAll(async () => {
    ({ alice, bob } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  it("erases the code of a request closed 31 days ago, once, and keeps those closed 29 days ago and still open", async () => {
    const old = await raiseAndProvide(alice, bob, CODE);
    const recent = await raiseAndProvide(alice, bob, CODE);
    const open = await raiseAndProvide(alice, bob, CODE);
    await closeRequest(alice, { reference: old.reference }, { now: base });
    await closeRequest(alice, { reference: recent.reference }, { now: new Date(base.getTime() + 2 * DAY) });
    const at = new Date(base.getTime() + 31 * DAY + 60_000);
    const month = `${base.getUTCFullYear()}-${String(base.getUTCMonth() + 1).padStart(2, "0")}`;
    const reportBefore = await computeMonthlyReport(month, at);

    expect(await eraseClosedInstallCodes(at, { days: 30 })).toBeGreaterThanOrEqual(1);

    const [erased] = await codesOf(old.reference);
    expect(erased.encrypted).toBe("");
    expect(erased.erasedAt).toEqual(at);
    expect(await erasedEvents(old.reference)).toHaveLength(1);
    for (const kept of [recent, open]) {
      const [code] = await codesOf(kept.reference);
      expect(code.erasedAt).toBeNull();
      expect(code.encrypted).not.toBe("");
      expect(await erasedEvents(kept.reference)).toHaveLength(0);
      expect((await revealInstallCode(alice, { reference: kept.reference }, { now: at })).installCode).toBe(CODE);
    }

    // Both parties are told it was erased and when, never a 500; nothing is recorded as revealed.
    for (const actor of [alice, bob]) {
      const error = await revealInstallCode(actor, { reference: old.reference }, { now: at }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("CONFLICT");
      expect((error as AppError).message).toContain("erased 31 days after the request was closed");
    }
    const view = await viewRequest(alice, old.reference, { now: at });
    expect(view.installCodes).toHaveLength(1);
    expect(view.installCodes[0]).toMatchObject({ masked: "Erased 31 days after the request was closed", canReveal: false, erasedAt: at });
    expect(view.allowed["install-code:reveal"]).toBe(false);
    expect(view.timeline.filter((t) => t.type === "INSTALL_CODE_REVEALED")).toHaveLength(0);
    expect(view.timeline.at(-1)).toMatchObject({ type: "INSTALL_CODE_ERASED", actorName: null, detail: "30" });

    // Running again changes nothing more; the obligation figures are those before erasure.
    const events = await db().requestEvent.count();
    expect(await eraseClosedInstallCodes(new Date(at.getTime() + 60_000), { days: 30 })).toBe(0);
    expect(await db().requestEvent.count()).toBe(events);
    expect((await codesOf(old.reference))[0].erasedAt).toEqual(at);
    expect(await computeMonthlyReport(month, at)).toEqual(reportBefore);
  });

  it("erases each request once when two runs go at once, in batches", async () => {
    const requests = [];
    for (let i = 0; i < 5; i++) requests.push(await raiseAndProvide(alice, bob, CODE));
    const closedAt = new Date(base.getTime() + 40 * DAY);
    for (const r of requests) await closeRequest(alice, { reference: r.reference }, { now: closedAt });
    const at = new Date(closedAt.getTime() + 31 * DAY);
    const before = await db().requestEvent.count({ where: { type: "INSTALL_CODE_ERASED" } });
    const [a, b] = await Promise.all([eraseClosedInstallCodes(at, { days: 30, batch: 2 }), eraseClosedInstallCodes(at, { days: 30, batch: 2 })]);
    const after = await db().requestEvent.count({ where: { type: "INSTALL_CODE_ERASED" } });
    expect(a + b).toBe(after - before);
    for (const r of requests) {
      expect(await erasedEvents(r.reference)).toHaveLength(1);
      expect((await codesOf(r.reference)).every((c) => c.encrypted === "" && c.erasedAt !== null)).toBe(true);
    }
  });

  it("leaves a closed request without a code alone", async () => {
    const { reference } = await raiseFresh(alice, "SFP");
    await withdrawRequest(alice, { reference, reason: "NO_LONGER_NEEDED" }, { now: base });
    await eraseClosedInstallCodes(new Date(base.getTime() + 100 * DAY), { days: 30 });
    expect(await erasedEvents(reference)).toHaveLength(0);
  });

  it("blanks the bodies of finished emails older than the retention period, keeping subject, recipient and dates", async () => {
    const now = new Date(base.getTime() + 200 * DAY);
    const old = new Date(now.getTime() - 91 * DAY);
    const young = new Date(now.getTime() - 89 * DAY);
    const make = (status: "SENT" | "FAILED" | "CANCELLED" | "DIGESTED" | "PENDING" | "HELD", createdAt: Date, to: string) =>
      db().email.create({ data: { to, subject: `Subject ${to}`, html: "<p>Body</p>", text: "Body", status, createdAt, sentAt: status === "SENT" ? createdAt : null } });
    const purged = await Promise.all((["SENT", "FAILED", "CANCELLED", "DIGESTED"] as const).map((s, i) => make(s, old, `old${i}@retention.example`)));
    const kept = [
      await make("SENT", young, "young@retention.example"),
      await make("PENDING", old, "pending@retention.example"),
      await make("HELD", old, "held@retention.example"),
    ];
    expect(await purgeSentEmailBodies(now, { days: 90, batch: 3 })).toBeGreaterThanOrEqual(4);
    for (const e of purged) {
      const row = await db().email.findUniqueOrThrow({ where: { id: e.id } });
      expect(row).toMatchObject({ text: PURGED_TEXT, subject: e.subject, to: e.to, createdAt: e.createdAt, sentAt: e.sentAt, status: e.status, redactedAt: now });
      expect(row.html).toContain(PURGED_TEXT);
    }
    for (const e of kept) expect(await db().email.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ text: "Body", html: "<p>Body</p>", redactedAt: null });
    expect(await purgeSentEmailBodies(new Date(now.getTime() + 60_000), { days: 90 })).toBe(0);
  });

  // Last in the file: it deletes every request the earlier tests closed.
  it("deletes requests closed more than RECORD_RETENTION_YEARS ago with everything about them, and nothing else", async () => {
    const YEAR = 365 * DAY;
    const old = await raiseAndProvide(alice, bob, CODE);
    const oldWithNote = await raiseFresh(alice, "SFP", { note: "Meter on the left of the porch" });
    const recent = await raiseAndProvide(alice, bob, CODE);
    const open = await raiseFresh(alice, "SFP", { note: "Still waiting" });
    await closeRequest(alice, { reference: old.reference }, { now: base });
    await withdrawRequest(alice, { reference: oldWithNote.reference, reason: "NO_LONGER_NEEDED" }, { now: base });
    await closeRequest(alice, { reference: recent.reference }, { now: new Date(base.getTime() + 2 * YEAR) });
    const at = new Date(base.getTime() + 6 * YEAR + 5 * DAY); // six calendar years (two leap days) and three days
    const oldMonth = base.toISOString().slice(0, 7);
    const keptMonth = new Date(at.getTime() - 30 * DAY).toISOString().slice(0, 7);
    for (const month of [oldMonth, keptMonth]) {
      await db().obligationReport.upsert({ where: { month }, create: { month, generatedAt: base, data: {} }, update: {} });
    }
    const oldIds = [(await requestRow(old.reference)).id, (await requestRow(oldWithNote.reference)).id];
    expect(await db().email.count({ where: { requestId: { in: oldIds } } })).toBeGreaterThan(0);
    expect(await db().note.count({ where: { requestId: { in: oldIds } } })).toBe(1);

    const deleted = await deleteExpiredRecords(at, { years: 6, batch: 1 });

    expect(deleted.requests).toBeGreaterThanOrEqual(2);
    expect(deleted.reports).toBe(1);
    for (const reference of [old.reference, oldWithNote.reference]) {
      expect(await db().installCodeRequest.findFirst({ where: { number: parseReference(reference)! } })).toBeNull();
    }
    for (const [model, where] of [
      ["requestEvent", { requestId: { in: oldIds } }],
      ["note", { requestId: { in: oldIds } }],
      ["installCode", { requestId: { in: oldIds } }],
      ["email", { requestId: { in: oldIds } }],
    ] as const) {
      expect(await (db()[model] as unknown as { count: (a: object) => Promise<number> }).count({ where }), model).toBe(0);
    }
    // Kept: the request closed four years before, the open one (however old), their timelines, the recent report.
    for (const kept of [recent, open]) {
      const row = await requestRow(kept.reference);
      expect(await db().requestEvent.count({ where: { requestId: row.id } })).toBeGreaterThan(0);
    }
    expect(await db().note.count({ where: { requestId: (await requestRow(open.reference)).id } })).toBe(1);
    expect((await db().obligationReport.findMany({ where: { month: { in: [oldMonth, keptMonth] } } })).map((r) => r.month)).toEqual([keptMonth]);
    // The audit log says so, without anything about the requests' contents.
    const audit = await db().auditEvent.findMany({ where: { type: "EXPIRED_RECORDS_DELETED" } });
    expect(audit.length).toBeGreaterThanOrEqual(2);
    expect(audit[0]!.detail).toMatch(/request\(s\) closed before .*RECORD_RETENTION_YEARS 6/);

    // The timeline is still append-only for everything else.
    const kept = await requestRow(recent.reference);
    await expect(db().requestEvent.deleteMany({ where: { requestId: kept.id } })).rejects.toThrow(/append-only/);

    // A second run finds nothing and records nothing.
    expect(await deleteExpiredRecords(at, { years: 6 })).toEqual({ requests: 0, emails: 0, reports: 0 });
    expect(await db().auditEvent.count({ where: { type: "EXPIRED_RECORDS_DELETED" } })).toBe(audit.length);
  });
});
