import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { setLogDestinationForTests } from "@/lib/log";
import { AppError } from "@/lib/errors";
import { encryptInstallCode } from "@/lib/install-code/encryption";
import { dispatcherIdle } from "@/lib/notifications/dispatcher";
import { addNote } from "@/lib/requests/add-note";
import { closeRequest, withdrawRequest } from "@/lib/requests/close-request";
import { NOTHING_TO_CLOSE_MESSAGE, WITHDRAW_AFTER_ANSWER_MESSAGE } from "@/lib/requests/state";
import { declineRequest } from "@/lib/requests/decline-request";
import { REPLACE_REASON_MESSAGE, WITHDRAW_DETAIL_MESSAGE, WITHDRAW_REASON_MESSAGE } from "@/lib/requests/schemas";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { reassignRequest } from "@/lib/requests/reassign-request";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { viewRequest } from "@/lib/requests/view-request";
import {
  addDevice,
  closeSeededDatabase,
  counts,
  emailsQueuedBy,
  eventsOf,
  expectRefused,
  ON_POSTGRES,
  openSeededDatabase,
  raiseAndProvide,
  raiseFresh,
  recipients,
  requestRow,
  listAll,
} from "./support";

// The public example from DOMAIN.md: the code, and the code followed by its CRC-16/X-25 as on a label.
const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
const BARE_CODE = "83FED3407A939723A5C639B26916D505";
const OTHER_CODE = "00112233445566778899AABBCCDDEEFF";
const CRC_MESSAGE = "Install Code CRC does not match: check the label";
const FORMAT_MESSAGE =
  "Install Code must be 12, 16, 24 or 32 hexadecimal digits, or the same followed by its 4-digit CRC as printed on the label";
const CLOSED_MESSAGE = "This request is closed: it can no longer be changed";

describe(`the request lifecycle (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  /** Alice's colleague at Northwind Energy, and Bob's at Southfield Power. */
  let amir: Actor, bea: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, erin, dana, amir, bea, orgs } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  describe("notes", () => {
    it("accept 1 to 4,000 characters", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(alice, { reference, body: "x" });
      await addNote(bob, { reference, body: "y".repeat(4000) });
      const notes = await db().note.findMany({ where: { requestId: (await requestRow(reference)).id }, orderBy: { body: "asc" } });
      expect(notes.map((n) => [n.authorId, n.body.length])).toEqual([
        [alice.userId, 1],
        [bob.userId, 4000],
      ]);
      expect((await eventsOf(reference)).filter((e) => e.type === "NOTE_ADDED")).toHaveLength(2);
    });

    it("refuse an empty note and one of 4,001 characters with clear messages, and change nothing", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const before = await counts();
      for (const body of ["", "   \n\t  "]) {
        const error = await expectRefused(addNote(alice, { reference, body }), "VALIDATION");
        expect(error.fieldErrors).toEqual({ body: ["Write a note"] });
      }
      const error = await expectRefused(addNote(alice, { reference, body: "z".repeat(4001) }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ body: ["A note can be at most 4,000 characters"] });
      expect(await counts()).toEqual(before);
    });

    it("keep their line breaks (and keep markup as plain text)", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await addNote(bob, { reference, body: "First line\r\nSecond line\n\nFourth <b>line</b>" });
      const view = await viewRequest(alice, reference);
      const note = view.timeline.find((t) => t.type === "NOTE_ADDED");
      expect(note).toMatchObject({ note: "First line\nSecond line\n\nFourth <b>line</b>", actorName: "Bob Patel", actorOrganisation: "Southfield Power" });
    });

    it("from the assignee email the raising organisation's people only, with the author's organisation and a link but not the body", async () => {
      const { reference, deviceId } = await raiseFresh(alice, "SFP");
      const body = "Assignee-note-Kestrel-5521";
      const { emails } = await emailsQueuedBy(() => addNote(bob, { reference, body }));
      expect(recipients(emails)).toEqual(["alice@northwind.example", "amir@northwind.example"]);
      const email = emails.find((e) => e.to === "alice@northwind.example")!;
      expect(email.subject).toContain(reference);
      expect(email.subject).toContain("Southfield Power");
      expect(email.text).toContain(deviceId);
      expect(email.text).toContain(`http://portal.test/requests/${reference}`);
      expect(email.html).toContain(`http://portal.test/requests/${reference}`);
      for (const part of [email.subject, email.text, email.html]) expect(part).not.toContain(body);
    });

    it("from the raiser email every user of the assigned organisation, and not the raiser", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const body = "Raiser-note-Heron-8830";
      const { emails } = await emailsQueuedBy(() => addNote(alice, { reference, body }));
      expect(recipients(emails)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
      for (const email of emails) {
        expect(email.subject).toContain("Northwind Energy");
        for (const part of [email.subject, email.text, email.html]) expect(part).not.toContain(body);
      }
    });

    it("from the raiser's colleague email the assigned organisation only: the request is the raising organisation's, which wrote it", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const { emails } = await emailsQueuedBy(() => addNote(amir, { reference, body: "Colleague note" }));
      expect(recipients(emails)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    });

    it("from the helpdesk email every user of both organisations", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const body = "Helpdesk-note-Plover-1207";
      const { emails } = await emailsQueuedBy(() => addNote(dana, { reference, body }));
      expect(recipients(emails)).toEqual(["alice@northwind.example", "amir@northwind.example", "bea@southfield.example", "bob@southfield.example"]);
      for (const email of emails) {
        expect(email.subject).toContain("DCC Service Desk");
        for (const part of [email.subject, email.text, email.html]) expect(part).not.toContain(body);
      }
    });
  });

  describe("providing the Install Code", () => {
    it("accepts a bare code of 12, 16, 24 or 32 hexadecimal digits, in any case, and the raiser can reveal it", async () => {
      for (const code of ["A1B2C3D4E5F6", "0123456789ABCDEF", "0123456789ABCDEF01234567", OTHER_CODE]) {
        const { reference } = await raiseFresh(alice, "SFP");
        await provideInstallCode(bob, { reference, installCode: code.toLowerCase() });
        expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: code });
      }
    });

    it("accepts a label code with its CRC and stores the code without the CRC", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE });
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: BARE_CODE });
      expect(await revealInstallCode(bob, { reference })).toEqual({ installCode: BARE_CODE });
    });

    it("accepts the label code typed in groups, in lower case", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const grouped = LABEL_CODE.toLowerCase().match(/..../g)!.join(" ");
      await provideInstallCode(bob, { reference, installCode: grouped });
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: BARE_CODE });
    });

    it("refuses a label code whose CRC does not match, and changes nothing", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const row = await requestRow(reference);
      const before = await counts();
      const error = await expectRefused(provideInstallCode(bob, { reference, installCode: `${BARE_CODE}C3B6` }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ installCode: [CRC_MESSAGE] });
      expect(await counts()).toEqual(before);
      expect(await requestRow(reference)).toEqual(row);
      expect(row).toMatchObject({ status: "ASSIGNED", respondedAt: null });
      expect(await db().installCode.count({ where: { requestId: row.id } })).toBe(0);
    });

    it("refuses a wrong CRC on an answered request without touching the code it holds", async () => {
      const { reference } = await raiseAndProvide(alice, bob, OTHER_CODE);
      const row = await requestRow(reference);
      const before = await counts();
      await expectRefused(provideInstallCode(bob, { reference, installCode: "83FED3407A939723A5C639B26916D505B5C3" }), "VALIDATION");
      expect(await counts()).toEqual(before);
      expect(await requestRow(reference)).toEqual(row);
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: OTHER_CODE });
    });

    it.each([
      ["too short", "0123456789"],
      ["an odd length", "0123456789ABCDEF0"],
      ["30 digits", "0123456789ABCDEF0123456789ABCD"],
      ["a non-hexadecimal digit", "0123456789ABCDEG"],
      ["40 digits", "0123456789ABCDEF0123456789ABCDEF01234567"],
    ])("refuses a code that is %s", async (_, installCode) => {
      const { reference } = await raiseFresh(alice, "SFP");
      const before = await counts();
      const error = await expectRefused(provideInstallCode(bob, { reference, installCode }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ installCode: [FORMAT_MESSAGE] });
      expect(await counts()).toEqual(before);
    });

    it("refuses an empty code", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const error = await expectRefused(provideInstallCode(bob, { reference, installCode: "  " }), "VALIDATION");
      expect(Object.keys(error.fieldErrors)).toEqual(["installCode"]);
    });

    it("marks the request RESPONDED with respondedAt, puts it on the timeline and emails the raiser (without the code)", async () => {
      const { reference, deviceId } = await raiseFresh(alice, "SFP");
      const at = new Date("2026-11-30T11:00:00Z");
      const { emails } = await emailsQueuedBy(() => provideInstallCode(bob, { reference, installCode: LABEL_CODE }, { now: at }));
      const row = await requestRow(reference);
      expect(row).toMatchObject({ status: "RESPONDED", respondedAt: at });
      // The code is Southfield's: it records who gave it, and when.
      expect(await db().installCode.findMany({ where: { requestId: row.id }, select: { providedByOrganisationId: true, providedById: true, providedAt: true, replacedAt: true } })).toEqual([
        { providedByOrganisationId: orgs.SFP, providedById: bob.userId, providedAt: at, replacedAt: null },
      ]);
      const provided = (await eventsOf(reference)).filter((e) => e.type === "INSTALL_CODE_PROVIDED");
      expect(provided).toHaveLength(1);
      expect(provided[0]).toMatchObject({ actorId: bob.userId, actorOrganisationId: orgs.SFP, at, detail: null });
      expect(recipients(emails)).toEqual(["alice@northwind.example", "amir@northwind.example"]);
      expect(emails[0].subject).toContain("Southfield Power provided the Install Code");
      expect(emails[0].text).toContain(deviceId);
      expect(emails[0].text).toContain(`http://portal.test/requests/${reference}`);
    });

    it("a second time replaces the code, keeps the first respondedAt and is on the timeline", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const first = new Date("2026-11-30T11:00:00Z");
      const second = new Date("2026-12-01T15:30:00Z");
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE }, { now: first });
      // Replacing asks why: without a reason nothing changes.
      const before = await counts();
      expect((await expectRefused(provideInstallCode(bea, { reference, installCode: OTHER_CODE }, { now: second }), "VALIDATION")).fieldErrors).toEqual({ reason: [REPLACE_REASON_MESSAGE] });
      expect(await counts()).toEqual(before);
      const { emails } = await emailsQueuedBy(() => provideInstallCode(bea, { reference, installCode: OTHER_CODE, reason: "The first code was mistyped" }, { now: second }));
      const row = await requestRow(reference);
      expect(row).toMatchObject({ status: "RESPONDED", respondedAt: first });
      expect(
        await db().installCode.findMany({ where: { requestId: row.id }, orderBy: { providedAt: "asc" }, select: { providedById: true, providedAt: true, replacedAt: true } }),
      ).toEqual([
        { providedById: bob.userId, providedAt: first, replacedAt: second },
        { providedById: bea.userId, providedAt: second, replacedAt: null },
      ]);
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: OTHER_CODE });
      const provided = (await eventsOf(reference)).filter((e) => e.type === "INSTALL_CODE_PROVIDED");
      expect(provided.map((e) => [e.actorId, e.at.toISOString(), e.detail])).toEqual([
        [bob.userId, first.toISOString(), null],
        [bea.userId, second.toISOString(), "replaced the Install Code. Reason: The first code was mistyped"],
      ]);
      expect(recipients(emails)).toEqual(["alice@northwind.example", "amir@northwind.example"]);
      expect(emails[0].subject).toContain("replaced the Install Code");
      // The reason is for the page: the email does not carry it.
      expect(emails.map((e) => e.text + e.html).join()).not.toContain("mistyped");
    });
  });

  describe("revealing the Install Code", () => {
    it("returns the bare code, and every reveal is an event on the timeline (and sends no email)", async () => {
      const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
      const before = await counts();
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: BARE_CODE });
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: BARE_CODE });
      expect(await revealInstallCode(bob, { reference })).toEqual({ installCode: BARE_CODE });
      const reveals = (await eventsOf(reference)).filter((e) => e.type === "INSTALL_CODE_REVEALED");
      expect(reveals.map((e) => [e.actorId, e.actorOrganisationId])).toEqual([
        [alice.userId, orgs.NWE],
        [alice.userId, orgs.NWE],
        [bob.userId, orgs.SFP],
      ]);
      const after = await counts();
      expect(after).toEqual({ ...before, events: before.events + 3 });
    });

    it("before any code is provided is a CONFLICT, and records nothing", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const before = await counts();
      await expectRefused(revealInstallCode(alice, { reference }), "CONFLICT", "No Install Code has been provided for this request yet");
      await expectRefused(revealInstallCode(bob, { reference }), "CONFLICT");
      expect(await counts()).toEqual(before);
    });

    it("says what to do when the code was stored under another key, and records no reveal", async () => {
      const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
      const { id } = await requestRow(reference);
      await db().installCode.updateMany({ where: { requestId: id }, data: { encrypted: encryptInstallCode(BARE_CODE, id, "ab".repeat(32)) } });
      const before = await counts();
      await expectRefused(
        revealInstallCode(alice, { reference }),
        "CONFLICT",
        "The stored Install Code cannot be read (the portal's encryption key has changed): ask the installing Supplier to provide it again",
      );
      expect(await counts()).toEqual(before);
    });
  });

  describe("closing", () => {
    it("by the raising organisation, once answered, sets CLOSED and closedAt", async () => {
      const at = new Date("2026-12-02T09:15:00Z");
      const responded = await raiseAndProvide(alice, bob, LABEL_CODE);
      await closeRequest(amir, { reference: responded.reference }, { now: at });
      expect(await requestRow(responded.reference)).toMatchObject({ status: "CLOSED", closedAt: at });
      const closed = (await eventsOf(responded.reference)).filter((e) => e.type === "CLOSED");
      expect(closed).toHaveLength(1);
      expect(closed[0]).toMatchObject({ actorId: amir.userId, actorOrganisationId: orgs.NWE, at });
    });

    it("is refused before any Install Code is given (withdraw instead), and changes nothing", async () => {
      const assigned = await raiseFresh(alice, "SFP");
      const declined = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference: declined.reference, reason: "NOT_PRE_NOTIFIED" });
      for (const { reference } of [assigned, declined]) {
        const row = await requestRow(reference);
        const before = await counts();
        await expectRefused(closeRequest(alice, { reference }), "CONFLICT", NOTHING_TO_CLOSE_MESSAGE);
        expect(await counts()).toEqual(before);
        expect(await requestRow(reference)).toEqual(row);
      }
    });
  });

  describe("withdrawing", () => {
    it("by the raising organisation before an answer: CLOSED with the reason, on the timeline, and the assignee is emailed the listed reason only", async () => {
      const at = new Date("2026-12-02T09:15:00Z");
      const { reference } = await raiseFresh(alice, "SFP");
      const { emails } = await emailsQueuedBy(() => withdrawRequest(amir, { reference, reason: "OTHER", detail: "The customer moved \n out" }, { now: at }));
      expect(await requestRow(reference)).toMatchObject({ status: "CLOSED", closedAt: at, withdrawReason: "OTHER", withdrawDetail: "The customer moved \n out" });
      const withdrawn = (await eventsOf(reference)).filter((e) => e.type === "WITHDRAWN");
      expect(withdrawn).toEqual([expect.objectContaining({ actorId: amir.userId, actorOrganisationId: orgs.NWE, at, detail: "Other: The customer moved \n out" })]);
      expect(recipients(emails)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
      expect(emails[0].subject).toBe(`${reference} withdrawn by Northwind Energy`);
      expect(emails[0].text).toContain("Reason given: other (its words are on the request page)");
      expect(emails.map((e) => e.text + e.html).join()).not.toContain("customer moved");
      // Its clock ends: never breached afterwards.
      const view = await viewRequest(alice, reference, { now: new Date("2027-01-30T09:00:00Z") });
      expect(view.withdrawal).toEqual({ reason: "OTHER", reasonText: "Other: The customer moved \n out" });
      expect(view.sla.current).toMatchObject({ outcome: "closed", breachedAt: null });
    });

    it("a declined request too; refused once answered, to the other parties, and without a listed reason; nothing changes", async () => {
      const declined = await raiseFresh(alice, "SFP");
      await declineRequest(bob, { reference: declined.reference, reason: "NOT_PRE_NOTIFIED" });
      await withdrawRequest(alice, { reference: declined.reference, reason: "RAISED_IN_ERROR" });
      expect(await requestRow(declined.reference)).toMatchObject({ status: "CLOSED", withdrawReason: "RAISED_IN_ERROR", withdrawDetail: null });

      const answered = await raiseAndProvide(alice, bob, LABEL_CODE);
      const open = await raiseFresh(alice, "SFP");
      const before = await counts();
      await expectRefused(withdrawRequest(alice, { reference: answered.reference, reason: "NO_LONGER_NEEDED" }), "CONFLICT", WITHDRAW_AFTER_ANSWER_MESSAGE);
      await expectRefused(withdrawRequest(bob, { reference: open.reference, reason: "NO_LONGER_NEEDED" }), "FORBIDDEN", "Only the organisation that raised this request can withdraw it");
      await expectRefused(withdrawRequest(dana, { reference: open.reference, reason: "NO_LONGER_NEEDED" }), "FORBIDDEN");
      expect((await expectRefused(withdrawRequest(alice, { reference: open.reference }), "VALIDATION")).fieldErrors).toEqual({ reason: [WITHDRAW_REASON_MESSAGE] });
      expect((await expectRefused(withdrawRequest(alice, { reference: open.reference, reason: "OTHER", detail: "  " }), "VALIDATION")).fieldErrors).toEqual({ detail: [WITHDRAW_DETAIL_MESSAGE] });
      expect((await expectRefused(withdrawRequest(alice, { reference: open.reference, reason: "BORED" }), "VALIDATION")).fieldErrors).toEqual({ reason: [WITHDRAW_REASON_MESSAGE] });
      await expectRefused(withdrawRequest(alice, { reference: declined.reference, reason: "NO_LONGER_NEEDED" }), "CONFLICT", CLOSED_MESSAGE);
      expect(await counts()).toEqual(before);
      expect((await requestRow(open.reference)).status).toBe("ASSIGNED");
    });

    it("is refused to the assignee and to the helpdesk", async () => {
      const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
      const before = await counts();
      await expectRefused(closeRequest(bob, { reference }), "FORBIDDEN", "Only the organisation that raised this request can close it");
      await expectRefused(closeRequest(dana, { reference }), "FORBIDDEN", "Only the organisation that raised this request can close it");
      expect(await counts()).toEqual(before);
      expect((await requestRow(reference)).status).toBe("RESPONDED");
    });

    it("makes the request read-only: notes, provision, reassignment and a second close are CONFLICTs", async () => {
      const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
      await closeRequest(alice, { reference });
      const row = await requestRow(reference);
      const before = await counts();
      for (const actor of [alice, bob, dana]) {
        await expectRefused(addNote(actor, { reference, body: "too late" }), "CONFLICT", CLOSED_MESSAGE);
      }
      await expectRefused(provideInstallCode(bob, { reference, installCode: OTHER_CODE }), "CONFLICT", CLOSED_MESSAGE);
      await expectRefused(reassignRequest(dana, { reference, organisationCode: "EGP", reason: "late" }), "CONFLICT", CLOSED_MESSAGE);
      await expectRefused(closeRequest(alice, { reference }), "CONFLICT", CLOSED_MESSAGE);
      await expectRefused(closeRequest(amir, { reference }), "CONFLICT", CLOSED_MESSAGE);
      expect(await counts()).toEqual(before);
      expect(await requestRow(reference)).toEqual(row);
      // The gaining Supplier can still read the code it was given.
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: BARE_CODE });
    });
  });

  describe("reassigning", () => {
    it("by the helpdesk moves the request to another Supplier with a reason, and gives it five Working Days from then", async () => {
      const { reference } = await raiseFresh(alice, "SFP", { now: new Date("2026-04-02T10:00:00+01:00") });
      const before = await requestRow(reference);
      // Tuesday after Easter Monday: Wed 8, Thu 9, Fri 10, Mon 13, Tue 14 April.
      const at = new Date("2026-04-07T12:00:00Z");
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "SFP says Eastgate installed this meter" }, { now: at });
      const after = await requestRow(reference);
      expect(after).toEqual({ ...before, assignedOrganisationId: orgs.EGP, dueAt: new Date("2026-04-14T22:59:59.999Z") });
      expect(after.status).toBe("ASSIGNED");
      const reassigned = (await eventsOf(reference)).filter((e) => e.type === "REASSIGNED");
      expect(reassigned).toHaveLength(1);
      expect(reassigned[0]).toMatchObject({
        actorId: dana.userId,
        actorOrganisationId: orgs.DCC,
        organisationId: orgs.EGP,
        detail: "SFP says Eastgate installed this meter",
        at,
      });
    });

    it("puts a RESPONDED request back to ASSIGNED for the new assignee, with a new due date and no response yet", async () => {
      const raisedAt = new Date("2026-11-02T09:00:00Z");
      const { reference } = await raiseFresh(alice, "SFP", { now: raisedAt });
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE }, { now: new Date("2026-11-03T09:00:00Z") });
      const before = await requestRow(reference);
      // Monday 30 November: due by the end of Monday 7 December.
      const at = new Date("2026-11-30T10:00:00Z");
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Wrong installer" }, { now: at });
      expect(await requestRow(reference)).toEqual({
        ...before,
        assignedOrganisationId: orgs.EGP,
        status: "ASSIGNED",
        respondedAt: null,
        dueAt: new Date("2026-12-07T23:59:59.999Z"),
      });
    });

    it("keeps a code with the Supplier that gave it: the raiser can still reveal it, the new assignee cannot", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE });
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate installed it" });

      // The raiser sees Southfield's code, labelled as given before the reassignment, and reveals it.
      const raisersView = await viewRequest(alice, reference);
      expect(raisersView.installCodes).toEqual([
        expect.objectContaining({ providedBy: "Southfield Power", beforeReassignment: true, canReveal: true }),
      ]);
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: BARE_CODE });
      const southfieldsCode = raisersView.installCodes[0]!.id;
      expect(await revealInstallCode(alice, { reference, codeId: southfieldsCode })).toEqual({ installCode: BARE_CODE });

      // Eastgate does not even see that code, cannot reveal it by its id, and is asked for its own.
      const assigneesView = await viewRequest(erin, reference);
      expect(assigneesView.installCodes).toEqual([]);
      expect(assigneesView.allowed["install-code:reveal"]).toBe(false);
      expect(assigneesView.allowed["install-code:provide"]).toBe(true);
      expect(assigneesView.status).toBe("ASSIGNED");
      const before = await counts();
      await expectRefused(revealInstallCode(erin, { reference }), "CONFLICT", "Your organisation has not provided an Install Code for this request yet");
      await expectRefused(revealInstallCode(erin, { reference, codeId: southfieldsCode }), "FORBIDDEN");
      // Neither can the helpdesk.
      await expectRefused(revealInstallCode(dana, { reference, codeId: southfieldsCode }), "FORBIDDEN");
      expect(await counts()).toEqual(before);

      // Eastgate answers: the raiser now has both, the newest first; Eastgate sees only its own.
      await provideInstallCode(erin, { reference, installCode: OTHER_CODE });
      expect((await requestRow(reference)).status).toBe("RESPONDED");
      expect((await viewRequest(alice, reference)).installCodes.map((c) => [c.providedBy, c.beforeReassignment])).toEqual([
        ["Eastgate Gas & Power", false],
        ["Southfield Power", true],
      ]);
      expect((await viewRequest(erin, reference)).installCodes.map((c) => c.providedBy)).toEqual(["Eastgate Gas & Power"]);
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: OTHER_CODE });
      expect(await revealInstallCode(erin, { reference })).toEqual({ installCode: OTHER_CODE });
      expect(await revealInstallCode(alice, { reference, codeId: southfieldsCode })).toEqual({ installCode: BARE_CODE });
      await expectRefused(revealInstallCode(erin, { reference, codeId: southfieldsCode }), "FORBIDDEN");
    });

    it("lets a Supplier that is reassigned the request again reveal the code it gave before, and asks it for a new one", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE });
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate installed it" });
      await reassignRequest(dana, { reference, organisationCode: "SFP", reason: "It was Southfield after all" });
      const view = await viewRequest(bob, reference);
      expect(view.status).toBe("ASSIGNED");
      expect(view.installCodes).toEqual([expect.objectContaining({ providedBy: "Southfield Power", beforeReassignment: true, canReveal: true })]);
      expect(await revealInstallCode(bob, { reference })).toEqual({ installCode: BARE_CODE });
      // A new code does not replace the one given before the reassignments: both stay on the record.
      await provideInstallCode(bob, { reference, installCode: OTHER_CODE });
      expect((await viewRequest(alice, reference)).installCodes.map((c) => c.beforeReassignment)).toEqual([false, true]);
    });

    it("writes the reassignment to the audit log, without its reason", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Reason-Kookaburra-5512" });
      const rows = await db().auditEvent.findMany({ where: { requestReference: reference, type: "REQUEST_REASSIGNED" } });
      expect(rows).toEqual([
        expect.objectContaining({ actorUserId: dana.userId, actorEmail: "dana@dcc.example", actorOrganisationCode: "DCC", subject: "EGP", detail: "from SFP to EGP" }),
      ]);
      expect(JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain("Kookaburra");
    });

    it("emails every user of the new assignee organisation, the previous one (without a link) and the raiser, never the code", async () => {
      const { reference, deviceId } = await raiseAndProvide(alice, bob, LABEL_CODE);
      const { emails } = await emailsQueuedBy(() => reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Wrong installer" }));
      expect(recipients(emails)).toEqual(["alice@northwind.example", "amir@northwind.example", "bea@southfield.example", "bob@southfield.example", "erin@eastgate.example"]);
      const toBob = emails.find((e) => e.to === "bob@southfield.example")!;
      expect(toBob.subject).toBe(`${reference} reassigned to Eastgate Gas & Power`);
      expect(toBob.text).toContain("no longer needs to respond");
      // No link to the request, which is no longer theirs to open (the footer's link is to their email settings).
      expect(toBob.text).not.toContain("/requests/");
      expect(toBob.text).not.toContain("Wrong installer");
      const toErin = emails.find((e) => e.to === "erin@eastgate.example")!;
      const toAlice = emails.find((e) => e.to === "alice@northwind.example")!;
      for (const part of [toErin.text, toErin.html]) {
        expect(part).toContain(reference);
        expect(part).toContain(deviceId);
        expect(part).toContain("Northwind Energy");
        expect(part).toContain(`http://portal.test/requests/${reference}`);
        expect(part).toMatch(/reassigned/i);
      }
      expect(toAlice.subject).toContain("Eastgate Gas & Power");
      expect(toAlice.text).toContain(`http://portal.test/requests/${reference}`);
      for (const email of emails) {
        for (const part of [email.subject, email.text, email.html]) expect(part.toUpperCase()).not.toContain(BARE_CODE);
      }
    });

    it("hides the request from the previous assignee and shows it to the new one", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Wrong installer" });
      await expectRefused(viewRequest(bob, reference), "NOT_FOUND");
      await expectRefused(addNote(bob, { reference, body: "still here?" }), "NOT_FOUND");
      await expectRefused(provideInstallCode(bob, { reference, installCode: OTHER_CODE }), "NOT_FOUND");
      expect((await listAll(bob)).map((r) => r.reference)).not.toContain(reference);

      expect((await viewRequest(erin, reference)).assignedOrganisation).toEqual({ code: "EGP", name: "Eastgate Gas & Power" });
      expect((await listAll(erin)).map((r) => r.reference)).toContain(reference);
      await provideInstallCode(erin, { reference, installCode: OTHER_CODE });
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: OTHER_CODE });
    });

    it("refuses the current assignee, the raising organisation, the helpdesk and an unknown organisation, changing nothing", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const row = await requestRow(reference);
      const before = await counts();
      for (const [organisationCode, message] of [
        ["SFP", "The request is already assigned to Southfield Power"],
        ["NWE", "Northwind Energy raised this request: it cannot also answer it"],
        ["DCC", "Choose a Supplier organisation"],
        ["NOPE", "No organisation has the code or name “NOPE”: enter a Supplier's SEC Party code, for example EGP"],
        ["east", "No organisation has the code or name “east”. Did you mean Eastgate Gas & Power (EGP)?"],
        ["  po  ", "No organisation has the code or name “po”. Did you mean Eastgate Gas & Power (EGP), Southfield Power (SFP)?"],
      ] as const) {
        const error = await expectRefused(reassignRequest(dana, { reference, organisationCode, reason: "Because" }), "VALIDATION");
        expect(error.fieldErrors).toEqual({ organisationCode: [message] });
      }
      expect(await counts()).toEqual(before);
      expect(await requestRow(reference)).toEqual(row);
    });

    it("takes the Supplier by its code or its full name, in any case and with spaces around", async () => {
      for (const typed of ["egp", "  EGP ", "eastgate gas & power", "Eastgate Gas & Power"]) {
        const { reference } = await raiseFresh(alice, "SFP");
        await reassignRequest(dana, { reference, organisationCode: typed, reason: "Eastgate installed it" });
        expect((await viewRequest(dana, reference)).assignedOrganisation).toEqual({ code: "EGP", name: "Eastgate Gas & Power" });
      }
    });

    it("tells the helpdesk (only) which Supplier the SMI says pre-notified the Device", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      expect((await viewRequest(dana, reference)).preNotifiedBy).toEqual({ code: "SFP", name: "Southfield Power" });
      expect((await viewRequest(alice, reference)).preNotifiedBy).toBeNull();
      expect((await viewRequest(bob, reference)).preNotifiedBy).toBeNull();
    });

    it("needs a reason of at most 500 characters", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const before = await counts();
      const blank = await expectRefused(reassignRequest(dana, { reference, organisationCode: "EGP", reason: "  " }), "VALIDATION");
      expect(blank.fieldErrors).toEqual({ reason: ["Give a reason for the reassignment"] });
      const long = await expectRefused(reassignRequest(dana, { reference, organisationCode: "EGP", reason: "r".repeat(501) }), "VALIDATION");
      expect(long.fieldErrors).toEqual({ reason: ["A reason can be at most 500 characters"] });
      expect(await counts()).toEqual(before);
    });

    it("is refused to Suppliers, the raiser and the assignee alike", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const before = await counts();
      for (const actor of [alice, bob]) {
        await expectRefused(reassignRequest(actor, { reference, organisationCode: "EGP", reason: "Mine" }), "FORBIDDEN", "Only the DCC Helpdesk can reassign a request");
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe("free text with a NUL character (a form post can carry %00; PostgreSQL text cannot hold it)", () => {
    // Refused as a VALIDATION error on its field, saying what to fix: never a database error (a 500).
    async function expectControlCharactersRefused(work: Promise<unknown>, field: string, stored: () => Promise<string[]>) {
      const outcome = await work.then(
        () => null,
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(AppError);
      expect((outcome as AppError).code).toBe("VALIDATION");
      expect((outcome as AppError).fieldErrors).toEqual({ [field]: ["Remove the invisible control characters from the text"] });
      for (const text of await stored()) expect(text).not.toContain("\u0000");
    }

    it("an Install Code pasted into a note is refused and goes nowhere", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const before = await counts();
      const error = await expectRefused(addNote(bob, { reference, body: "Here you go: 83FE D340 7A93 9723 A5C6 39B2 6916 D505" }), "VALIDATION");
      expect(error.fieldErrors).toEqual({
        body: [
          "This text seems to contain an Install Code: put the code in the Install Code field instead, which keeps it encrypted. Write a Device ID as eight pairs with hyphens, like 00-DB-12-34-56-78-90-A0",
        ],
      });
      expect(await counts()).toEqual(before);
    });

    it("in a note", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const { id } = await requestRow(reference);
      await expectControlCharactersRefused(addNote(alice, { reference, body: "before\u0000after" }), "body", async () =>
        (await db().note.findMany({ where: { requestId: id } })).map((n) => n.body),
      );
    });

    it("in the note that goes with a raise", async () => {
      const deviceId = await addDevice("SFP");
      await expectControlCharactersRefused(raiseRequest(alice, { deviceId, note: "before\u0000after" }), "note", async () =>
        (await db().note.findMany({ where: { request: { deviceId } } })).map((n) => n.body),
      );
    });

    it("in a reassignment's reason", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const { id } = await requestRow(reference);
      await expectControlCharactersRefused(reassignRequest(dana, { reference, organisationCode: "EGP", reason: "wrong\u0000installer" }), "reason", async () =>
        (await db().requestEvent.findMany({ where: { requestId: id, type: "REASSIGNED" } })).map((e) => e.detail ?? ""),
      );
    });
  });

  describe("secrets", () => {
    const logged: string[] = [];
    afterEach(() => {
      vi.restoreAllMocks();
      setLogDestinationForTests();
    });

    it("stores the Install Code encrypted: the raw column holds neither the code nor its label form", async () => {
      const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
      const { id } = await requestRow(reference);
      const rows = await db().$queryRaw<{ encrypted: string }[]>`
        SELECT "encrypted" FROM "InstallCode" WHERE "requestId" = ${id}::uuid`;
      expect(rows).toHaveLength(1);
      const stored = rows[0].encrypted;
      expect(stored).toMatch(/^v2\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
      for (const form of [BARE_CODE, LABEL_CODE, Buffer.from(BARE_CODE, "hex").toString("base64url")]) {
        expect(stored.toUpperCase()).not.toContain(form.toUpperCase());
      }
      // Two provisions of the same code do not give the same ciphertext (a fresh IV each time).
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE, reason: "Given again" });
      const [again] = await db().$queryRaw<{ encrypted: string }[]>`
        SELECT "encrypted" FROM "InstallCode" WHERE "requestId" = ${id}::uuid AND "replacedAt" IS NULL`;
      expect(again.encrypted).not.toBe(stored);
    });

    it("keep the code and note bodies out of every email, log line and page view through a whole lifecycle", async () => {
      for (const method of ["log", "info", "warn", "error", "debug"] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          logged.push(args.map(String).join(" "));
        });
      }
      // The structured logger too, at its most talkative.
      setLogDestinationForTests({ write: (line: string) => void logged.push(line) }, "trace");
      const notes = [
        "Raise-note-Quokka-7731 please hurry",
        "Assignee-note-Wombat-4412 checking the van",
        "Helpdesk-note-Numbat-9050 chasing",
        "Raiser-note-Bilby-3318 thanks",
        "New-assignee-note-Dingo-6624 on it",
      ];
      const deviceId = await addDevice("SFP");
      const { reference } = await raiseRequest(alice, { deviceId, note: notes[0] });
      await addNote(bob, { reference, body: notes[1] });
      await provideInstallCode(bob, { reference, installCode: LABEL_CODE });
      await revealInstallCode(alice, { reference });
      await addNote(dana, { reference, body: notes[2] });
      await addNote(alice, { reference, body: notes[3] });
      await reassignRequest(dana, { reference, organisationCode: "EGP", reason: "Eastgate installed it" });
      await addNote(erin, { reference, body: notes[4] });
      await provideInstallCode(erin, { reference, installCode: OTHER_CODE.toLowerCase() });
      expect(await revealInstallCode(alice, { reference })).toEqual({ installCode: OTHER_CODE });
      await closeRequest(alice, { reference });
      await dispatcherIdle();

      const request = await requestRow(reference);
      const emails = await db().email.findMany();
      expect(emails.filter((e) => e.requestId === request.id).length).toBeGreaterThanOrEqual(8);
      const secrets = [BARE_CODE, LABEL_CODE, OTHER_CODE];
      for (const email of emails) {
        for (const part of [email.subject, email.text, email.html]) {
          for (const secret of secrets) expect(part.toUpperCase()).not.toContain(secret);
          for (const note of notes) expect(part).not.toContain(note.split(" ")[0]);
        }
      }
      for (const line of logged) {
        for (const secret of secrets) expect(line.toUpperCase()).not.toContain(secret);
      }
      // Page views (even the parties') never carry the code: only a reveal does.
      for (const actor of [alice, erin, dana]) {
        const view = JSON.stringify(await viewRequest(actor, reference)).toUpperCase();
        for (const secret of secrets) expect(view).not.toContain(secret);
      }
      // Nor does the timeline's free text.
      const details = (await db().requestEvent.findMany({ where: { requestId: request.id } })).map((e) => e.detail ?? "");
      for (const detail of details) for (const secret of secrets) expect(detail.toUpperCase()).not.toContain(secret);
      // The audit log has every provision, reveal and the reassignment, and no code or note body.
      const audit = await db().auditEvent.findMany({ where: { requestReference: reference }, orderBy: { sequence: "asc" } });
      expect(audit.map((e) => [e.type, e.actorEmail])).toEqual([
        ["INSTALL_CODE_PROVIDED", "bob@southfield.example"],
        ["INSTALL_CODE_REVEALED", "alice@northwind.example"],
        ["REQUEST_REASSIGNED", "dana@dcc.example"],
        ["INSTALL_CODE_PROVIDED", "erin@eastgate.example"],
        ["INSTALL_CODE_REVEALED", "alice@northwind.example"],
      ]);
      const auditText = JSON.stringify(audit, (_, v) => (typeof v === "bigint" ? String(v) : v));
      for (const secret of secrets) expect(auditText.toUpperCase()).not.toContain(secret);
      for (const note of notes) expect(auditText).not.toContain(note.split(" ")[0]);
      expect(auditText).not.toContain("Eastgate installed it");
    });
  });

  describe("the audit log", () => {
    it("is append-only like the timeline", async () => {
      const { reference } = await raiseAndProvide(alice, bob, LABEL_CODE);
      const before = await db().auditEvent.findMany({ where: { requestReference: reference } });
      expect(before.length).toBeGreaterThan(0);
      await expect(db().$executeRaw`UPDATE "AuditEvent" SET "detail" = 'tampered' WHERE "requestReference" = ${reference}`).rejects.toThrow(/append-only/);
      await expect(db().$executeRaw`DELETE FROM "AuditEvent" WHERE "requestReference" = ${reference}`).rejects.toThrow(/append-only/);
      expect(await db().auditEvent.findMany({ where: { requestReference: reference } })).toEqual(before);
    });
  });

  describe("the timeline", () => {
    it("is append-only: UPDATE and DELETE of an event fail, and the events stay as they were", async () => {
      const { reference } = await raiseFresh(alice, "SFP", { note: "keep me" });
      await dispatcherIdle();
      const { id } = await requestRow(reference);
      const before = await db().requestEvent.findMany({ where: { requestId: id }, orderBy: { id: "asc" } });
      expect(before.length).toBeGreaterThan(0);
      await expect(db().$executeRaw`UPDATE "RequestEvent" SET "detail" = 'tampered' WHERE "requestId" = ${id}::uuid`).rejects.toThrow(
        /append-only/,
      );
      await expect(db().$executeRaw`DELETE FROM "RequestEvent" WHERE "requestId" = ${id}::uuid`).rejects.toThrow(/append-only/);
      await expect(db().requestEvent.update({ where: { id: before[0].id }, data: { type: "CLOSED" } })).rejects.toThrow();
      await expect(db().requestEvent.delete({ where: { id: before[0].id } })).rejects.toThrow();
      expect(await db().requestEvent.findMany({ where: { requestId: id }, orderBy: { id: "asc" } })).toEqual(before);
    });
  });
});
