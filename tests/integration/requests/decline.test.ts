import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@/lib/api-keys/keys";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { closeRequestAsNotPossible } from "@/lib/requests/close-not-possible";
import { withdrawRequest } from "@/lib/requests/close-request";
import { declineRequest } from "@/lib/requests/decline-request";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { ALREADY_DECLINED_MESSAGE, CLOSED_MESSAGE, DECLINE_AFTER_ANSWER_MESSAGE, DECLINED_MESSAGE, NOT_DECLINED_MESSAGE } from "@/lib/requests/state";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { DECLINE_DETAIL_MESSAGE, DECLINE_REASON_MESSAGE } from "@/lib/requests/schemas";
import { viewRequest } from "@/lib/requests/view-request";
import { computeMonthlyReport } from "@/lib/sla/report";
import { runSlaScan } from "@/lib/sla/scheduler";
import { api } from "../api/client";
import {
  closeSeededDatabase,
  counts,
  emailsQueuedBy,
  eventsOf,
  expectRefused,
  listAll,
  ON_POSTGRES,
  openSeededDatabase,
  raiseAndProvide,
  raiseFresh,
  recipients,
  requestRow,
} from "./support";

// "Not our Device" (issue 13 part 4, docs/decisions/030-decline.md): the assigned Supplier declines
// with a reason from the list; the raiser is told; the helpdesk reassigns the request or closes it as
// not possible, and the raiser is told why.

const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
const OTHER_WORDS = "Sold-the-meter-Kittiwake-4471 to the landlord's supplier";
const NOT_POSSIBLE_WORDS = "Nobody-holds-it-Guillemot-9921: reinstall and pre-notify again";
const RAISERS = ["alice@northwind.example", "amir@northwind.example"];

describe(`declining a request (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor, amir: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, erin, dana, amir, orgs } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  describe("by the assigned Supplier", () => {
    it.each([
      ["NOT_PRE_NOTIFIED", undefined, "Not pre-notified by us", "not pre-notified by us"],
      ["ALREADY_COMMISSIONED", undefined, "Device already commissioned by us", "device already commissioned by us"],
      ["OTHER", OTHER_WORDS, `Other: ${OTHER_WORDS}`, "other (its words are on the request page)"],
    ] as const)("with the reason %s: the request waits for the helpdesk and every party sees why", async (reason, detail, shown, emailed) => {
      const { reference, deviceId } = await raiseFresh(alice, "SFP");
      const { emails } = await emailsQueuedBy(() => declineRequest(bob, { reference, reason, detail }));

      expect(await requestRow(reference)).toMatchObject({ status: "DECLINED", declineReason: reason, declineDetail: detail ?? null, respondedAt: null, closedAt: null });
      const declined = (await eventsOf(reference)).find((e) => e.type === "DECLINED");
      expect(declined).toMatchObject({ actorId: bob.userId, actorOrganisationId: orgs.SFP, detail: shown });
      for (const party of [alice, bob, dana]) {
        expect((await viewRequest(party, reference)).decline).toMatchObject({ reason, reasonText: shown, detail: detail ?? null });
      }
      const audit = await db().auditEvent.findFirstOrThrow({ where: { type: "REQUEST_DECLINED", requestReference: reference } });
      // The audit log keeps which reason, never the words typed.
      expect(audit).toMatchObject({ actorUserId: bob.userId, detail: reason });

      // The raising organisation's people, and nobody else; the listed reason, never the words.
      expect(recipients(emails)).toEqual(RAISERS);
      for (const email of emails) {
        expect(email).toMatchObject({ category: "DECLINED", subject: `${reference} declined by Southfield Power`, organisationId: orgs.NWE });
        expect(email.text).toContain(`Southfield Power declined Request for Install Code ${reference} (Device ${deviceId}). Reason given: ${emailed}.`);
        expect(email.text).toContain(`http://portal.test/requests/${reference}`);
        expect(email.text).toContain("cannot be turned off");
        for (const part of [email.subject, email.text, email.html]) expect(part).not.toContain("Kittiwake");
      }
    });

    it("reaches the raiser's people even when they turned answers and notes off, and is never held for a digest", async () => {
      await db().user.update({ where: { id: amir.userId }, data: { emailAnswers: false, emailNotes: false, emailDigest: true } });
      try {
        const { reference } = await raiseFresh(alice, "SFP");
        const { emails } = await emailsQueuedBy(() => declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" }));
        expect(emails.map((e) => [e.to, e.status])).toEqual([
          ["alice@northwind.example", expect.stringMatching(/^(PENDING|SENT)$/)],
          ["amir@northwind.example", expect.stringMatching(/^(PENDING|SENT)$/)],
        ]);
      } finally {
        await db().user.update({ where: { id: amir.userId }, data: { emailAnswers: true, emailNotes: true, emailDigest: false } });
      }
    });

    it("is refused, with a message that says what to do, for a reason not on the list, 'other' without words, or words too long; nothing changes", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const rowBefore = await requestRow(reference);
      const before = await counts();
      const refusals: [Record<string, unknown>, Record<string, string[]>][] = [
        [{ reason: "NOT_MINE" }, { reason: [DECLINE_REASON_MESSAGE] }],
        [{}, { reason: [DECLINE_REASON_MESSAGE] }],
        [{ reason: "" }, { reason: [DECLINE_REASON_MESSAGE] }],
        [{ reason: "not_pre_notified" }, { reason: [DECLINE_REASON_MESSAGE] }],
        [{ reason: "OTHER" }, { detail: [DECLINE_DETAIL_MESSAGE] }],
        [{ reason: "OTHER", detail: "  \n " }, { detail: [DECLINE_DETAIL_MESSAGE] }],
        [{ reason: "OTHER", detail: "x".repeat(301) }, { detail: ["The reason can be at most 300 characters"] }],
        [{ reason: "OTHER", detail: "Its code is 83FED3407A939723A5C639B26916D505" }, { detail: [expect.stringContaining("Install Code")] }],
        [{ reason: "OTHER", detail: "bad\u0000byte" }, { detail: ["Remove the invisible control characters from the text"] }],
      ];
      for (const [input, fieldErrors] of refusals) {
        const error = await expectRefused(declineRequest(bob, { reference, ...input } as never), "VALIDATION");
        expect({ input, fieldErrors: error.fieldErrors }).toEqual({ input, fieldErrors });
      }
      expect(await counts()).toEqual(before);
      expect(await requestRow(reference)).toEqual(rowBefore);
      expect(await db().auditEvent.count({ where: { requestReference: reference, type: "REQUEST_DECLINED" } })).toBe(0);

      // 300 characters are enough; a listed reason keeps no words.
      await declineRequest(bob, { reference, reason: "OTHER", detail: "y".repeat(300) });
      expect((await requestRow(reference)).declineDetail).toHaveLength(300);
      const listed = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference: listed.reference, reason: "ALREADY_COMMISSIONED", detail: "ignored" });
      expect((await requestRow(listed.reference)).declineDetail).toBeNull();
    });

    it("is refused to anyone but the assignee: the raiser and the helpdesk are told who may, another Supplier that the request does not exist", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const rowBefore = await requestRow(reference);
      const before = await counts();
      for (const actor of [alice, amir, dana]) {
        await expectRefused(declineRequest(actor, { reference, reason: "NOT_PRE_NOTIFIED" }), "FORBIDDEN", "Only the organisation this request is assigned to can decline it");
      }
      await expectRefused(declineRequest(erin, { reference, reason: "NOT_PRE_NOTIFIED" }), "NOT_FOUND", "No request with that reference");
      expect(await counts()).toEqual(before);
      expect(await requestRow(reference)).toEqual(rowBefore);
    });

    it("is refused once answered, once closed, and a second time; nothing changes", async () => {
      const answered = await raiseAndProvide(alice, bob, LABEL_CODE);
      const closed = await raiseFresh(alice, "SFP");
      await withdrawRequest(alice, { reference: closed.reference, reason: "NO_LONGER_NEEDED" });
      const twice = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference: twice.reference, reason: "NOT_PRE_NOTIFIED" });
      const cases = [
        [answered.reference, DECLINE_AFTER_ANSWER_MESSAGE],
        [closed.reference, CLOSED_MESSAGE],
        [twice.reference, ALREADY_DECLINED_MESSAGE],
      ] as const;
      for (const [reference, message] of cases) {
        const rowBefore = await requestRow(reference);
        const before = await counts();
        await expectRefused(declineRequest(bob, { reference, reason: "ALREADY_COMMISSIONED" }), "CONFLICT", message);
        expect(await counts()).toEqual(before);
        expect(await requestRow(reference)).toEqual(rowBefore);
      }
    });

    it("leaves the decliner no code to give: it asks the helpdesk with a note instead", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" });
      const before = await counts();
      await expectRefused(provideInstallCode(bob, { reference, installCode: LABEL_CODE }), "CONFLICT", DECLINED_MESSAGE);
      expect(await counts()).toEqual(before);
      const view = await viewRequest(bob, reference);
      expect(view.allowed).toMatchObject({ "install-code:provide": false, "request:decline": false, "request:add-note": true });
    });

    it("shows each party the controls of a request awaiting an answer, and of a declined one", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const controls = async (actor: Actor) => {
        const { allowed } = await viewRequest(actor, reference);
        return { decline: allowed["request:decline"], closeNotPossible: allowed["request:close-not-possible"], reassign: allowed["request:reassign"], withdraw: allowed["request:withdraw"] };
      };
      expect(await controls(bob)).toEqual({ decline: true, closeNotPossible: false, reassign: false, withdraw: false });
      expect(await controls(alice)).toEqual({ decline: false, closeNotPossible: false, reassign: false, withdraw: true });
      expect(await controls(dana)).toEqual({ decline: false, closeNotPossible: false, reassign: true, withdraw: false });
      await declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" });
      expect(await controls(bob)).toEqual({ decline: false, closeNotPossible: false, reassign: false, withdraw: false });
      // The raiser may still withdraw its own request itself (it found the code elsewhere).
      expect(await controls(alice)).toEqual({ decline: false, closeNotPossible: false, reassign: false, withdraw: true });
      expect(await controls(dana)).toEqual({ decline: false, closeNotPossible: true, reassign: true, withdraw: false });
    });
  });

  describe("in the helpdesk's Unassignable queue", () => {
    it("lists declined requests under the status filter, and no longer once reassigned", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" });
      const queue = async (actor: Actor) => (await listAll(actor, { status: "DECLINED" })).map((r) => r.reference);
      expect(await queue(dana)).toContain(reference);
      for (const party of [alice, bob]) expect(await queue(party)).toContain(reference);
      expect(await queue(erin)).not.toContain(reference);
      expect((await listAll(dana, { status: "DECLINED" })).every((r) => r.status === "DECLINED")).toBe(true);
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate took it over" });
      expect(await queue(dana)).not.toContain(reference);
    });

    it("reassigns: back to ASSIGNED with the new Supplier, the decline cleared (the timeline keeps it), the new Supplier emailed and free to decline in turn", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference, reason: "OTHER", detail: OTHER_WORDS });
      const { emails } = await emailsQueuedBy(() => reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate took it over" }));
      expect(await requestRow(reference)).toMatchObject({
        status: "ASSIGNED",
        assignedOrganisationId: orgs.EGP,
        declinedAt: null,
        declineReason: null,
        declineDetail: null,
      });
      expect((await viewRequest(erin, reference)).decline).toBeNull();
      expect((await eventsOf(reference)).map((e) => e.type).filter((t) => t !== "EMAIL_QUEUED")).toEqual(["RAISED", "ASSIGNED", "DECLINED", "REASSIGNED"]);
      // The raiser, the previous assignee (both its people) and the new one.
      expect(recipients(emails)).toEqual([...RAISERS, "bea@southfield.example", "bob@southfield.example", "erin@eastgate.example"]);
      await declineRequest(erin, { reference, reason: "NOT_PRE_NOTIFIED" });
      expect((await requestRow(reference)).status).toBe("DECLINED");
    });

    it("closes as not possible with the helpdesk's reason, which the raiser reads on the page and is emailed about (without it)", async () => {
      const { reference, deviceId } = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference, reason: "ALREADY_COMMISSIONED" });
      const { emails } = await emailsQueuedBy(() => closeRequestAsNotPossible(dana, { reference, reason: `  ${NOT_POSSIBLE_WORDS}\r\n` }));

      expect(await requestRow(reference)).toMatchObject({ status: "CLOSED", notPossibleReason: NOT_POSSIBLE_WORDS, closedAt: expect.any(Date) });
      const events = await eventsOf(reference);
      expect(events.find((e) => e.type === "CLOSED_NOT_POSSIBLE")).toMatchObject({ actorId: dana.userId, detail: NOT_POSSIBLE_WORDS });
      // Not the raiser's close: no CLOSED event of its own.
      expect(events.some((e) => e.type === "CLOSED")).toBe(false);
      expect(await db().auditEvent.count({ where: { type: "REQUEST_CLOSED_NOT_POSSIBLE", requestReference: reference, actorUserId: dana.userId } })).toBe(1);
      expect((await viewRequest(alice, reference)).notPossibleReason).toBe(NOT_POSSIBLE_WORDS);
      expect((await viewRequest(bob, reference)).notPossibleReason).toBe(NOT_POSSIBLE_WORDS);

      expect(recipients(emails)).toEqual(RAISERS);
      for (const email of emails) {
        expect(email).toMatchObject({ category: "DECLINED", subject: `${reference} closed as not possible` });
        expect(email.text).toContain(`The DCC Helpdesk closed Request for Install Code ${reference} (Device ${deviceId}) as not possible`);
        expect(email.text).toContain(`http://portal.test/requests/${reference}`);
        for (const part of [email.subject, email.text, email.html]) expect(part).not.toContain("Guillemot");
      }
      // Closed is closed: nothing more, not even another closing.
      await expectRefused(closeRequestAsNotPossible(dana, { reference, reason: "again" }), "CONFLICT", CLOSED_MESSAGE);
      await expectRefused(reassignRequest(dana, { reference, organisationCode: "EGP", reason: "x" }), "CONFLICT", CLOSED_MESSAGE);
    });

    it("refuses closing as not possible without a reason, with one too long, of a request not declined, and to anyone but the helpdesk; nothing changes", async () => {
      const declined = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference: declined.reference, reason: "NOT_PRE_NOTIFIED" });
      const waiting = await raiseFresh(alice, "SFP");
      const answered = await raiseAndProvide(alice, bob, LABEL_CODE);
      // Each call made only when its turn comes: a refusal waiting in a list would be an unhandled rejection.
      const cases: [() => Promise<unknown>, string, string | undefined, Record<string, string[]> | undefined][] = [
        [() => closeRequestAsNotPossible(dana, { reference: declined.reference, reason: "   " }), "VALIDATION", undefined, { reason: ["Say why the request cannot be answered: the raising Supplier reads it"] }],
        [() => closeRequestAsNotPossible(dana, { reference: declined.reference, reason: "z".repeat(501) }), "VALIDATION", undefined, { reason: ["A reason can be at most 500 characters"] }],
        [() => closeRequestAsNotPossible(dana, { reference: waiting.reference, reason: "Nobody has it" }), "CONFLICT", NOT_DECLINED_MESSAGE, undefined],
        [() => closeRequestAsNotPossible(dana, { reference: answered.reference, reason: "Nobody has it" }), "CONFLICT", NOT_DECLINED_MESSAGE, undefined],
        [() => closeRequestAsNotPossible(alice, { reference: declined.reference, reason: "Nobody has it" }), "FORBIDDEN", "Only the DCC Helpdesk can close a request as not possible", undefined],
        [() => closeRequestAsNotPossible(bob, { reference: declined.reference, reason: "Nobody has it" }), "FORBIDDEN", "Only the DCC Helpdesk can close a request as not possible", undefined],
        [() => closeRequestAsNotPossible(erin, { reference: declined.reference, reason: "Nobody has it" }), "NOT_FOUND", "No request with that reference", undefined],
      ];
      const rows = async () => Promise.all([declined, waiting, answered].map((r) => requestRow(r.reference)));
      const rowsBefore = await rows();
      const before = await counts();
      for (const [work, code, message, fieldErrors] of cases) {
        const error = await expectRefused(work(), code as never, message);
        if (fieldErrors) expect(error.fieldErrors).toEqual(fieldErrors);
      }
      expect(await counts()).toEqual(before);
      expect(await rows()).toEqual(rowsBefore);
    });
  });

  describe("the five-Working-Day obligation", () => {
    // Raised on Monday 2 November 2026 at 10:00 UK time (GMT): the day of raising does not count, so
    // the five Working Days are 3, 4, 5, 6 and 9 November, due at the end of Monday 9 November.
    const RAISED = new Date("2026-11-02T10:00:00Z");
    const DUE = new Date("2026-11-09T23:59:59.999Z");

    async function raisedOnMonday() {
      const raised = await raiseFresh(alice, "SFP", { now: RAISED });
      expect((await requestRow(raised.reference)).dueAt).toEqual(DUE);
      return raised;
    }

    it("is met by a decline in time: the clock stops, nothing is overdue, no reminder or breach goes out", async () => {
      const { reference } = await raisedOnMonday();
      const declinedAt = new Date("2026-11-04T11:00:00Z");
      await declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" }, { now: declinedAt });
      const later = new Date("2026-11-20T12:00:00Z");
      const view = await viewRequest(alice, reference, { now: later });
      expect(view.clocks).toEqual([expect.objectContaining({ organisation: "Southfield Power", outcome: "declined", endedAt: declinedAt, breachedAt: null, firstResponseAt: null })]);
      expect(view.overdue).toBe(false);
      expect((await listAll(dana, { overdue: "1" }, { now: later })).map((r) => r.reference)).not.toContain(reference);
      // The scheduler passes it by: neither the reminder nor the breach.
      await runSlaScan(new Date("2026-11-09T00:30:00Z"));
      await runSlaScan(later);
      expect(await db().slaNotice.count({ where: { requestId: (await requestRow(reference)).id } })).toBe(0);
      expect((await eventsOf(reference)).some((e) => e.type === "BREACHED")).toBe(false);
    });

    it("counts a decline after the due time as late: the clock was breached at its due time", async () => {
      const { reference } = await raisedOnMonday();
      const declinedAt = new Date("2026-11-12T09:00:00Z");
      await declineRequest(bob, { reference, reason: "ALREADY_COMMISSIONED" }, { now: declinedAt });
      const view = await viewRequest(dana, reference, { now: new Date("2026-11-20T12:00:00Z") });
      expect(view.clocks).toEqual([expect.objectContaining({ outcome: "declined", endedAt: declinedAt, breachedAt: DUE })]);
    });

    it("starts a new clock for the Supplier the helpdesk reassigns a declined request to", async () => {
      const { reference } = await raisedOnMonday();
      await declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" }, { now: new Date("2026-11-03T09:00:00Z") });
      // Reassigned on Wednesday 4 November: Eastgate's five Working Days are 5, 6, 9, 10 and 11 November.
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate took it over" }, { now: new Date("2026-11-04T15:00:00Z") });
      const view = await viewRequest(dana, reference, { now: new Date("2026-11-05T12:00:00Z") });
      expect(view.clocks.map((c) => [c.organisation, c.outcome, c.dueAt.toISOString()])).toEqual([
        ["Southfield Power", "declined", DUE.toISOString()],
        ["Eastgate Gas & Power", "open", "2026-11-11T23:59:59.999Z"],
      ]);
      expect(view.status).toBe("ASSIGNED");
    });

    it("is reported as declined in the month's obligation report, not as unanswered", async () => {
      const { reference } = await raisedOnMonday();
      await declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" }, { now: new Date("2026-11-04T11:00:00Z") });
      const report = await computeMonthlyReport("2026-11", new Date("2026-12-15T12:00:00Z"));
      const southfield = report.rows.find((r) => r.code === "SFP")!;
      expect(southfield.declined).toBeGreaterThanOrEqual(1);
      // The columns still add up to what was received.
      for (const row of [...report.rows, report.totals]) {
        expect(row.answeredInTime + row.answeredLate + row.unanswered + row.reassignedAway + row.closedUnanswered + row.declined).toBe(row.received);
      }
    });
  });

  describe("through the API", () => {
    const keys: Record<"NWE" | "SFP" | "EGP" | "DCC", string> = { NWE: "", SFP: "", EGP: "", DCC: "" };
    beforeAll(async () => {
      for (const code of Object.keys(keys) as (keyof typeof keys)[]) keys[code] = (await createApiKey({ organisationCode: code, name: `${code} decline system` })).key;
    });
    const decline = (reference: string, key: string, body: unknown) => api("POST", `/api/v1/install-code-requests/${reference}/decline`, { key, body });
    const closeNotPossible = (reference: string, key: string, body: unknown) => api("POST", `/api/v1/install-code-requests/${reference}/close-not-possible`, { key, body });

    it("declines for the assignee's key (200), and answers 403, 404, 409 and 422 as the rules say", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      expect((await decline(reference, keys.NWE, { reason: "NOT_PRE_NOTIFIED" })).json.error).toEqual({
        code: "FORBIDDEN",
        message: "Only the organisation this request is assigned to can decline it",
      });
      const notFound = await decline(reference, keys.EGP, { reason: "NOT_PRE_NOTIFIED" });
      expect(notFound.status).toBe(404);
      expect((await decline(reference, keys.DCC, { reason: "NOT_PRE_NOTIFIED" })).status).toBe(403);
      const unknown = await decline(reference, keys.SFP, { reason: "SOMETHING" });
      expect(unknown.status).toBe(422);
      expect(unknown.json.error).toMatchObject({ code: "VALIDATION", fields: { reason: [DECLINE_REASON_MESSAGE] } });
      const wordless = await decline(reference, keys.SFP, { reason: "OTHER" });
      expect(wordless.status).toBe(422);
      expect(wordless.json.error.fields).toEqual({ detail: [DECLINE_DETAIL_MESSAGE] });
      expect((await decline(reference, keys.SFP, { reason: "OTHER", detail: 42 })).status).toBe(422);
      expect((await requestRow(reference)).status).toBe("ASSIGNED");

      const ok = await decline(reference, keys.SFP, { reason: "OTHER", detail: OTHER_WORDS });
      expect(ok.status, JSON.stringify(ok.json)).toBe(200);
      expect(ok.json).toMatchObject({ reference, status: "DECLINED", overdue: false, assignedOrganisation: { code: "SFP" } });
      const again = await decline(reference, keys.SFP, { reason: "NOT_PRE_NOTIFIED" });
      expect(again.status).toBe(409);
      expect(again.json.error.message).toBe(ALREADY_DECLINED_MESSAGE);

      // The raiser's system reads why, as its people do on the page.
      const detail = await api("GET", `/api/v1/install-code-requests/${reference}`, { key: keys.NWE });
      expect(detail.json).toMatchObject({ status: "DECLINED", decline: { reason: "OTHER", detail: OTHER_WORDS, at: expect.any(String) }, notPossibleReason: null });
      expect(detail.json.timeline.map((e: { type: string }) => e.type)).toContain("DECLINED");
      expect(detail.json.allowedActions).toEqual(expect.arrayContaining(["request:withdraw"]));
      expect(detail.json.allowedActions).not.toContain("request:decline");
    });

    it("closes a declined request as not possible for the helpdesk's key (200); 403, 404, 409 and 422 otherwise", async () => {
      const waiting = await raiseFresh(alice, "SFP");
      const notDeclined = await closeNotPossible(waiting.reference, keys.DCC, { reason: "Nobody has it" });
      expect(notDeclined.status).toBe(409);
      expect(notDeclined.json.error.message).toBe(NOT_DECLINED_MESSAGE);

      const { reference } = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference, reason: "NOT_PRE_NOTIFIED" });
      expect((await closeNotPossible(reference, keys.NWE, { reason: "Nobody has it" })).status).toBe(403);
      expect((await closeNotPossible(reference, keys.SFP, { reason: "Nobody has it" })).status).toBe(403);
      expect((await closeNotPossible(reference, keys.EGP, { reason: "Nobody has it" })).status).toBe(404);
      const empty = await closeNotPossible(reference, keys.DCC, {});
      expect(empty.status).toBe(422);
      expect(empty.json.error.fields).toHaveProperty("reason");
      const ok = await closeNotPossible(reference, keys.DCC, { reason: NOT_POSSIBLE_WORDS });
      expect(ok.status, JSON.stringify(ok.json)).toBe(200);
      expect(ok.json).toMatchObject({ reference, status: "CLOSED", closedAt: expect.any(String) });
      expect((await api("GET", `/api/v1/install-code-requests/${reference}`, { key: keys.NWE })).json).toMatchObject({ notPossibleReason: NOT_POSSIBLE_WORDS });
      expect((await closeNotPossible(reference, keys.DCC, { reason: NOT_POSSIBLE_WORDS })).status).toBe(409);
    });
  });
});
