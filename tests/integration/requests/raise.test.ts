import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Email } from "@/lib/db/generated/client";
import { DEMO_DEVICES } from "@/lib/db/seed";
import { withdrawRequest } from "@/lib/requests/close-request";
import { raiseRequest } from "@/lib/requests/raise-request";
import { viewRequest } from "@/lib/requests/view-request";
import { responseDueAt } from "@/lib/sla/working-days";
import {
  addDevice,
  closeSeededDatabase,
  counts,
  emailsQueuedBy,
  eventsOf,
  expectRefused,
  ON_POSTGRES,
  openSeededDatabase,
  raiseFresh,
  recipients,
  requestRow,
} from "./support";

const DEVICE_ID_MESSAGE = "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0";
const NOT_YET_COMMISSIONED = "an Install Code can only be requested for a Device that is not yet commissioned";

describe(`raising a Request for Install Code (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  /** A second Southfield Power user: the raise email goes to every user of the assigned organisation. */
  let bea: Actor;
  /** Alice's colleague at Northwind Energy. */
  let amir: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, erin, dana, amir, bea, orgs } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  describe("the Device ID", () => {
    it("is accepted with or without hyphens, colons or spaces, in any case, and stored upper-case with hyphens", async () => {
      const variants: ((hex: string) => string)[] = [
        (hex) => hex.toLowerCase(),
        (hex) => hex.match(/../g)!.join(":").toLowerCase(),
        (hex) => hex.match(/../g)!.join(" "),
        (hex) => `  ${hex.match(/../g)!.join("-").toLowerCase()}  `,
        (hex) => hex.match(/..../g)!.join(" "),
      ];
      for (const variant of variants) {
        const canonical = await addDevice("SFP");
        const input = variant(canonical.replaceAll("-", ""));
        expect(input).not.toBe(canonical);
        const result = await raiseRequest(alice, { deviceId: input });
        expect(result.created).toBe(true);
        expect((await requestRow(result.reference)).deviceId).toBe(canonical);
      }
    });

    it("in any accepted form names the same Device, so a differently typed second raise finds the open request", async () => {
      const canonical = await addDevice("SFP");
      const first = await raiseRequest(alice, { deviceId: canonical.replaceAll("-", "").toLowerCase() });
      const again = await raiseRequest(alice, { deviceId: canonical.replaceAll("-", ":") });
      expect(again).toEqual({ reference: first.reference, created: false, noteAdded: false });
    });

    it.each([
      ["too short", "00-DB-12-34-56-78-90"],
      ["too long", "00-DB-12-34-56-78-90-A1-B2"],
      ["not hexadecimal", "00-DB-12-34-56-78-90-G1"],
      ["underscores", "00_DB_12_34_56_78_90_A1"],
      ["dots", "00.DB.12.34.56.78.90.A1"],
      ["a 0x prefix", "0x00DB1234567890A1"],
      ["a reference", "RIC0000001"],
    ])("refuses one with %s with the message showing the expected form, and creates nothing", async (_, deviceId) => {
      const before = await counts();
      const error = await expectRefused(raiseRequest(alice, { deviceId }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ deviceId: [DEVICE_ID_MESSAGE] });
      expect(await counts()).toEqual(before);
    });

    it("is mandatory", async () => {
      const before = await counts();
      for (const deviceId of ["", "   "]) {
        const error = await expectRefused(raiseRequest(alice, { deviceId }), "VALIDATION");
        expect(error.fieldErrors.deviceId).toHaveLength(1);
        expect(error.fieldErrors.deviceId[0]).toMatch(/Device ID/);
      }
      expect(await counts()).toEqual(before);
    });
  });

  describe("the Smart Metering Inventory check", () => {
    it("refuses a Device that is not in the inventory, naming it in its normal form", async () => {
      expect(DEMO_DEVICES.unknown).toBe("00-DB-12-34-56-78-90-FF");
      const before = await counts();
      const message = "No Device 00-DB-12-34-56-78-90-FF in the Smart Metering Inventory";
      const error = await expectRefused(raiseRequest(alice, { deviceId: "00db1234567890ff" }), "VALIDATION", message);
      expect(error.fieldErrors).toEqual({ deviceId: [message] });
      expect(await counts()).toEqual(before);
    });

    it("refuses Type 2 Devices (an IHD, a CAD)", async () => {
      const cad = await addDevice("SFP", { deviceType: "CAD", status: null });
      const before = await counts();
      for (const deviceId of [DEMO_DEVICES.inHomeDisplay, cad]) {
        const error = await expectRefused(raiseRequest(alice, { deviceId }), "VALIDATION");
        expect(error.message).toContain(deviceId);
        expect(error.message).toContain("Type 2");
        expect(error.fieldErrors).toEqual({ deviceId: [error.message] });
      }
      expect(await counts()).toEqual(before);
    });

    it("refuses the demo commissioned Device with a message that names its status", async () => {
      const before = await counts();
      const message = `Device 00-DB-12-34-56-78-90-C1 is commissioned: ${NOT_YET_COMMISSIONED}`;
      const error = await expectRefused(raiseRequest(alice, { deviceId: DEMO_DEVICES.commissioned }), "VALIDATION", message);
      expect(error.fieldErrors).toEqual({ deviceId: [message] });
      expect(await counts()).toEqual(before);
    });

    it.each(["Pending", "Whitelisted", "InstalledNotCommissioned"] as const)("accepts a Type 1 Device that is %s", async (status) => {
      const deviceId = await addDevice("SFP", { deviceType: "GSME", status });
      expect((await raiseRequest(alice, { deviceId })).created).toBe(true);
    });

    it.each([
      ["Commissioned", "commissioned"],
      ["Decommissioned", "decommissioned"],
      ["Withdrawn", "withdrawn"],
      ["Suspended", "suspended"],
      ["Recovery", "in recovery"],
      ["Recovered", "recovered"],
    ] as const)(
      "refuses a Device that is %s, naming the status in words, and creates nothing",
      async (status, words) => {
        const deviceId = await addDevice("SFP", { status });
        const before = await counts();
        await expectRefused(raiseRequest(alice, { deviceId }), "VALIDATION", `Device ${deviceId} is ${words}: ${NOT_YET_COMMISSIONED}`);
        expect(await counts()).toEqual(before);
      },
    );

    it("refuses a Device the raiser's own organisation pre-notified", async () => {
      const before = await counts();
      const message = "Your organisation pre-notified this Device, so it already holds the Install Code";
      for (const [actor, deviceId] of [
        [bob, DEMO_DEVICES.eligibleFromSouthfield],
        [bea, DEMO_DEVICES.pendingFromSouthfield],
        [alice, DEMO_DEVICES.eligibleFromNorthwind],
      ] as const) {
        const error = await expectRefused(raiseRequest(actor, { deviceId }), "VALIDATION", message);
        expect(error.fieldErrors).toEqual({ deviceId: [message] });
      }
      expect(await counts()).toEqual(before);
    });
  });

  it("is for Supplier users only: the helpdesk is refused and nothing is created", async () => {
    const before = await counts();
    await expectRefused(raiseRequest(dana, { deviceId: DEMO_DEVICES.eligibleFromSouthfield }), "FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  describe("a new request", () => {
    // Thursday 2 April 2026, 10:00 in London (BST): the day before Good Friday.
    const thursday = new Date("2026-04-02T10:00:00+01:00");
    const noteBody = "Consumer moved in on 30 March.\nMeter cupboard is outside.\n\nPlease send the code.";
    let reference: string;
    let deviceId: string;
    let queued: Email[];

    beforeAll(async () => {
      deviceId = await addDevice("SFP");
      const { result, emails } = await emailsQueuedBy(() => raiseRequest(alice, { deviceId, note: noteBody }, { now: thursday }));
      expect(result.created).toBe(true);
      reference = result.reference;
      queued = emails;
    });

    it("has a reference of RIC and seven digits, from a sequence", async () => {
      expect(reference).toMatch(/^RIC\d{7}$/);
      const next = await raiseFresh(alice, "SFP");
      expect(Number(next.reference.slice(3))).toBeGreaterThan(Number(reference.slice(3)));
    });

    it("is assigned at once to the organisation that pre-notified the Device", async () => {
      const row = await requestRow(reference);
      expect(row).toMatchObject({
        deviceId,
        raisedById: alice.userId,
        raisingOrganisationId: orgs.NWE,
        assignedOrganisationId: orgs.SFP,
        status: "ASSIGNED",
        respondedAt: null,
        closedAt: null,
      });
      // Another Supplier's Device is assigned to that Supplier.
      const fromEastgate = await raiseFresh(alice, "EGP");
      expect((await requestRow(fromEastgate.reference)).assignedOrganisationId).toBe(orgs.EGP);
      const byBob = await raiseFresh(bob, "NWE");
      expect(await requestRow(byBob.reference)).toMatchObject({ raisingOrganisationId: orgs.SFP, assignedOrganisationId: orgs.NWE });
    });

    it("is due at the end of the fifth Working Day after the day it was raised (Easter 2026: Monday 13 April)", async () => {
      const row = await requestRow(reference);
      expect(row.raisedAt.toISOString()).toBe("2026-04-02T09:00:00.000Z");
      expect(row.dueAt.getTime()).toBe(responseDueAt(row.raisedAt, 5).getTime());
      expect(row.dueAt.toISOString()).toBe("2026-04-13T22:59:59.999Z");
    });

    it("is due five Working Days after the real time of raising when no time is given", async () => {
      const before = new Date();
      const { reference: ref } = await raiseFresh(alice, "SFP");
      const row = await requestRow(ref);
      expect(row.raisedAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1);
      expect(row.raisedAt.getTime()).toBeLessThanOrEqual(Date.now());
      expect(row.dueAt.getTime()).toBe(responseDueAt(row.raisedAt, 5).getTime());
    });

    it("keeps the optional note, line breaks and all", async () => {
      const notes = await db().note.findMany({ where: { request: { deviceId } } });
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ authorId: alice.userId, body: noteBody });
    });

    it("has a timeline of RAISED, ASSIGNED, NOTE_ADDED and one EMAIL_QUEUED per recipient", async () => {
      const events = await eventsOf(reference);
      expect(events.map((e) => e.type)).toEqual(["RAISED", "ASSIGNED", "NOTE_ADDED", "EMAIL_QUEUED", "EMAIL_QUEUED"]);
      const byType = (type: string) => events.filter((e) => e.type === type);
      expect(byType("RAISED")[0]).toMatchObject({ actorId: alice.userId, actorOrganisationId: orgs.NWE });
      expect(byType("RAISED")[0].at.toISOString()).toBe("2026-04-02T09:00:00.000Z");
      expect(byType("ASSIGNED")[0]).toMatchObject({ organisationId: orgs.SFP, actorId: null });
      expect(byType("NOTE_ADDED")[0]).toMatchObject({ actorId: alice.userId });
      expect(byType("NOTE_ADDED")[0].noteId).toBeTruthy();
      expect(byType("EMAIL_QUEUED").map((e) => [e.organisationId, e.detail]).sort()).toEqual([
        [orgs.SFP, "bea@southfield.example"],
        [orgs.SFP, "bob@southfield.example"],
      ]);
    });

    it("without a note has no NOTE_ADDED event and no note (a blank note is no note)", async () => {
      const { reference: plain } = await raiseFresh(alice, "SFP");
      const { reference: blank } = await raiseFresh(alice, "SFP", { note: "  \n  " });
      for (const ref of [plain, blank]) {
        expect((await eventsOf(ref)).map((e) => e.type)).toEqual(["RAISED", "ASSIGNED", "EMAIL_QUEUED", "EMAIL_QUEUED"]);
        expect(await db().note.count({ where: { requestId: (await requestRow(ref)).id } })).toBe(0);
      }
    });

    it("refuses a note of more than 4,000 characters and creates nothing", async () => {
      const deviceId = await addDevice("SFP");
      const before = await counts();
      const error = await expectRefused(raiseRequest(alice, { deviceId, note: "n".repeat(4001) }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ note: ["A note can be at most 4,000 characters"] });
      expect(await counts()).toEqual(before);
    });

    it("emails every user of the assigned organisation, and nobody else", async () => {
      expect(recipients(queued)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    });

    it("emails the reference, the Device ID, the raising organisation, the due date and a link", async () => {
      for (const email of queued) {
        expect(email.requestId).toBe((await requestRow(reference)).id);
        expect(email.subject).toContain(reference);
        for (const part of [email.text, email.html]) {
          expect(part).toContain(reference);
          expect(part).toContain(deviceId);
          expect(part).toContain("Northwind Energy");
          expect(part).toContain("Monday 13 April 2026");
          expect(part).toContain(`http://portal.test/requests/${reference}`);
        }
        // The note's body stays out of email.
        for (const part of [email.subject, email.text, email.html]) {
          expect(part).not.toContain("Meter cupboard");
        }
      }
    });
  });

  describe("at most one open request per Device and raising organisation", () => {
    it("returns the open request to a second raise by the same organisation and creates nothing", async () => {
      const deviceId = await addDevice("SFP");
      const first = await raiseRequest(alice, { deviceId });
      expect(first.created).toBe(true);
      const before = await counts();
      expect(await raiseRequest(alice, { deviceId })).toEqual({ reference: first.reference, created: false, noteAdded: false });
      // A colleague in the same organisation gets the same answer.
      expect(await raiseRequest(amir, { deviceId: deviceId.toLowerCase() })).toEqual({ reference: first.reference, created: false, noteAdded: false });
      expect(await counts()).toEqual(before);
    });

    it("adds the note typed with a second raise to the open request instead of losing it, and tells the assignee", async () => {
      const deviceId = await addDevice("SFP");
      const first = await raiseRequest(alice, { deviceId });
      const before = await counts();
      const { result, emails } = await emailsQueuedBy(() => raiseRequest(alice, { deviceId, note: "Consumer moved in on 1 May" }));
      expect(result).toEqual({ reference: first.reference, created: false, noteAdded: true });
      const after = await counts();
      expect(after.requests).toBe(before.requests);
      expect(after.notes).toBe(before.notes + 1);
      const { id } = await requestRow(first.reference);
      expect((await db().note.findMany({ where: { requestId: id } })).map((n) => n.body)).toEqual(["Consumer moved in on 1 May"]);
      expect(recipients(emails)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
      for (const email of emails) expect(`${email.subject}${email.text}${email.html}`).not.toContain("1 May");
    });

    it("lets a different organisation raise its own request for the same Device", async () => {
      const deviceId = await addDevice("SFP");
      const byAlice = await raiseRequest(alice, { deviceId });
      const byErin = await raiseRequest(erin, { deviceId });
      expect(byErin.created).toBe(true);
      expect(byErin.reference).not.toBe(byAlice.reference);
      expect(await requestRow(byErin.reference)).toMatchObject({ raisingOrganisationId: orgs.EGP, assignedOrganisationId: orgs.SFP });
    });

    it("lets the same organisation raise again once its request is closed", async () => {
      const deviceId = await addDevice("SFP");
      const first = await raiseRequest(alice, { deviceId });
      await withdrawRequest(alice, { reference: first.reference, reason: "NO_LONGER_NEEDED" });
      const second = await raiseRequest(alice, { deviceId });
      expect(second.created).toBe(true);
      expect(second.reference).not.toBe(first.reference);
      expect((await requestRow(second.reference)).status).toBe("ASSIGNED");
      // And once more it is the open one that a further raise returns.
      expect(await raiseRequest(alice, { deviceId })).toEqual({ reference: second.reference, created: false, noteAdded: false });
    });

    it("holds under 20 concurrent raises: exactly one request, and every caller gets its reference", async () => {
      const deviceId = await addDevice("SFP");
      const results = await Promise.all(Array.from({ length: 20 }, () => raiseRequest(alice, { deviceId })));
      const rows = await db().installCodeRequest.findMany({ where: { deviceId } });
      expect(rows).toHaveLength(1);
      const reference = `RIC${String(rows[0].number).padStart(7, "0")}`;
      expect(results.map((r) => r.reference)).toEqual(Array(20).fill(reference));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const events = await eventsOf(reference);
      expect(events.filter((e) => e.type === "RAISED")).toHaveLength(1);
      expect(await db().email.count({ where: { requestId: rows[0].id } })).toBe(2);
    });
  });

  it("shows the raise on the request page in the order it happened: RAISED, ASSIGNED, NOTE_ADDED, then the emails", async () => {
    // Several requests, so that an order left to chance cannot pass by luck.
    for (let i = 0; i < 6; i++) {
      const { reference } = await raiseFresh(alice, "SFP", { note: `Note ${i}` });
      const view = await viewRequest(alice, reference);
      expect(view.timeline.map((t) => t.type).filter((t) => t !== "EMAIL_SENT")).toEqual([
        "RAISED",
        "ASSIGNED",
        "NOTE_ADDED",
        "EMAIL_QUEUED",
        "EMAIL_QUEUED",
      ]);
    }
  });
});
