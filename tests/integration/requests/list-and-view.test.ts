import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import { addNote } from "@/lib/requests/add-note";
import { closeRequest, withdrawRequest } from "@/lib/requests/close-request";
import { listRequests } from "@/lib/requests/list-requests";
import { ACTIONS, type Action } from "@/lib/requests/permissions";
import { provideInstallCode } from "@/lib/requests/provide-install-code";
import { raiseRequest } from "@/lib/requests/raise-request";
import { viewRequest } from "@/lib/requests/view-request";
import {
  addDevice,
  closeSeededDatabase,
  expectRefused,
  listAll,
  ON_POSTGRES,
  openSeededDatabase,
  raiseAndProvide,
  raiseFresh,
} from "./support";

const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5";
const NOT_FOUND_MESSAGE = "No request with that reference";

function allowed(...actions: Action[]): Record<Action, boolean> {
  return Object.fromEntries(ACTIONS.map((a) => [a, actions.includes(a)])) as Record<Action, boolean>;
}

describe(`listing and viewing requests (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;

  beforeAll(async () => {
    ({ alice, bob, erin, dana } = await openSeededDatabase());
  });
  afterAll(closeSeededDatabase);

  const referencesOf = async (actor: Actor, input: { status?: string } = {}, now?: Date) =>
    (await listAll(actor, input, { now })).map((r) => r.reference);

  describe("listRequests", () => {
    it("lists newest first", async () => {
      const march1 = await raiseFresh(alice, "SFP", { now: new Date("2026-03-01T09:00:00Z") });
      const march3 = await raiseFresh(alice, "SFP", { now: new Date("2026-03-03T09:00:00Z") });
      const march2 = await raiseFresh(alice, "SFP", { now: new Date("2026-03-02T09:00:00Z") });
      const mine = [march1, march2, march3].map((r) => r.reference);
      const listed = (await referencesOf(alice)).filter((ref) => mine.includes(ref));
      expect(listed).toEqual([march3.reference, march2.reference, march1.reference]);

      const all = await listAll(dana);
      for (let i = 1; i < all.length; i++) {
        expect(all[i - 1].raisedAt.getTime()).toBeGreaterThanOrEqual(all[i].raisedAt.getTime());
      }
    });

    it("lists the later of two requests raised at the same instant first", async () => {
      const at = new Date("2026-02-02T09:00:00Z");
      const first = await raiseFresh(alice, "SFP", { now: at });
      const second = await raiseFresh(alice, "SFP", { now: at });
      const listed = (await referencesOf(alice)).filter((ref) => ref === first.reference || ref === second.reference);
      expect(listed).toEqual([second.reference, first.reference]);
    });

    it("filters by status", async () => {
      const assigned = await raiseFresh(alice, "SFP");
      const responded = await raiseAndProvide(alice, bob, LABEL_CODE);
      const closed = await raiseFresh(alice, "SFP");
      await withdrawRequest(alice, { reference: closed.reference, reason: "NO_LONGER_NEEDED" });
      const ours = [assigned.reference, responded.reference, closed.reference];

      for (const [status, expected] of [
        ["ASSIGNED", assigned.reference],
        ["RESPONDED", responded.reference],
        ["CLOSED", closed.reference],
      ] as const) {
        const rows = await listAll(alice, { status });
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.status === status)).toBe(true);
        expect(rows.map((r) => r.reference).filter((ref) => ours.includes(ref))).toEqual([expected]);
      }
      const unfiltered = await referencesOf(alice);
      for (const ref of ours) expect(unfiltered).toContain(ref);
    });

    it.each(["OPEN", "assigned", "CLOSED; DROP TABLE x"])("refuses the status filter %j as a VALIDATION error", async (status) => {
      const error = await expectRefused(listRequests(alice, { status }), "VALIDATION");
      expect(Object.keys(error.fieldErrors)).toEqual(["status"]);
    });

    it("shows each organisation what it raised or is assigned, and the helpdesk everything", async () => {
      const aliceToSouthfield = await raiseFresh(alice, "SFP");
      const erinToNorthwind = await raiseFresh(erin, "NWE");
      const bobToEastgate = await raiseFresh(bob, "EGP");
      const ours = [aliceToSouthfield, erinToNorthwind, bobToEastgate].map((r) => r.reference);

      const seen = async (actor: Actor) =>
        Object.fromEntries((await listAll(actor)).filter((r) => ours.includes(r.reference)).map((r) => [r.reference, r.role]));
      expect(await seen(alice)).toEqual({ [aliceToSouthfield.reference]: "raised", [erinToNorthwind.reference]: "assigned" });
      expect(await seen(bob)).toEqual({ [aliceToSouthfield.reference]: "assigned", [bobToEastgate.reference]: "raised" });
      expect(await seen(erin)).toEqual({ [erinToNorthwind.reference]: "raised", [bobToEastgate.reference]: "assigned" });
      expect(await seen(dana)).toEqual({
        [aliceToSouthfield.reference]: "helpdesk",
        [erinToNorthwind.reference]: "helpdesk",
        [bobToEastgate.reference]: "helpdesk",
      });

      // And across the whole database: exactly the requests with the organisation on them.
      for (const actor of [alice, bob, erin]) {
        const expected = await db().installCodeRequest.count({
          where: { OR: [{ raisingOrganisationId: actor.organisationId }, { assignedOrganisationId: actor.organisationId }] },
        });
        expect(await listAll(actor)).toHaveLength(expected);
      }
      expect(await listAll(dana)).toHaveLength(await db().installCodeRequest.count());
    });

    it("gives each row its Device, parties and due date", async () => {
      const { reference, deviceId } = await raiseFresh(alice, "SFP", { now: new Date("2026-04-02T10:00:00+01:00") });
      const row = (await listAll(bob)).find((r) => r.reference === reference);
      expect(row).toMatchObject({
        reference,
        deviceId,
        status: "ASSIGNED",
        raisingOrganisation: "Northwind Energy",
        assignedOrganisation: "Southfield Power",
        role: "assigned",
      });
      expect(row!.dueAt.toISOString()).toBe("2026-04-13T22:59:59.999Z");
    });

    it("flags a request overdue once now is past dueAt and it has not been answered", async () => {
      const raisedAt = new Date("2026-04-02T10:00:00+01:00");
      const dueAt = new Date("2026-04-13T22:59:59.999Z");
      const justAfter = new Date(dueAt.getTime() + 1);
      const unanswered = await raiseFresh(alice, "SFP", { now: raisedAt });
      const answered = await raiseFresh(alice, "SFP", { now: raisedAt });
      await provideInstallCode(bob, { reference: answered.reference, installCode: LABEL_CODE }, { now: new Date("2026-04-10T12:00:00Z") });

      const overdue = async (reference: string, now: Date) =>
        (await listAll(alice, {}, { now })).find((r) => r.reference === reference)!.overdue;
      expect(await overdue(unanswered.reference, dueAt)).toBe(false);
      expect(await overdue(unanswered.reference, justAfter)).toBe(true);
      expect(await overdue(answered.reference, justAfter)).toBe(false);
      expect(await overdue(answered.reference, new Date("2026-06-01T00:00:00Z"))).toBe(false);
      // The request page agrees with the list.
      expect((await viewRequest(alice, unanswered.reference, { now: dueAt })).overdue).toBe(false);
      expect((await viewRequest(alice, unanswered.reference, { now: justAfter })).overdue).toBe(true);
      // A filtered list carries the flag too.
      const assigned = await listAll(bob, { status: "ASSIGNED" }, { now: justAfter });
      expect(assigned.find((r) => r.reference === unanswered.reference)?.overdue).toBe(true);
    });
  });

  describe("viewRequest", () => {
    it("finds a request by its reference in any case, with spaces around it", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      for (const typed of [reference, reference.toLowerCase(), `  ${reference}  `, `ric${reference.slice(3)}`]) {
        expect((await viewRequest(alice, typed)).reference).toBe(reference);
      }
    });

    it.each(["RIC9999999", "RIC000000999999", "RIC12", "RIC-0000001", "0000001", "abc", "", "RIC0000001; DROP TABLE x", "RIC00000001234567"])(
      "answers NOT_FOUND for the unknown or malformed reference %j",
      async (reference) => {
        await expectRefused(viewRequest(alice, reference), "NOT_FOUND", NOT_FOUND_MESSAGE);
        await expectRefused(viewRequest(dana, reference), "NOT_FOUND", NOT_FOUND_MESSAGE);
      },
    );

    it("shows the Device, the parties, the status, the due date and the timeline with its notes", async () => {
      const deviceId = await addDevice("SFP", { deviceType: "GSME", status: "Whitelisted" });
      const { reference } = await raiseRequest(alice, { deviceId, note: "Gas meter,\nunder the stairs" }, { now: new Date("2026-04-02T10:00:00+01:00") });
      await addNote(bob, { reference, body: "Looking it up" });
      const view = await viewRequest(alice, reference);
      expect(view).toMatchObject({
        reference,
        status: "ASSIGNED",
        raisedBy: "Alice Hughes",
        device: { deviceId, deviceType: "GSME", status: "Whitelisted", manufacturer: "Test Meters Ltd", model: "TM-2" },
        raisingOrganisation: { code: "NWE", name: "Northwind Energy" },
        assignedOrganisation: { code: "SFP", name: "Southfield Power" },
        installCodes: [],
        respondedAt: null,
        closedAt: null,
      });
      expect(view.dueAt.toISOString()).toBe("2026-04-13T22:59:59.999Z");
      const notes = view.timeline.filter((t) => t.type === "NOTE_ADDED").map((t) => [t.actorName, t.actorOrganisation, t.note]);
      expect(notes).toEqual([
        ["Alice Hughes", "Northwind Energy", "Gas meter,\nunder the stairs"],
        ["Bob Patel", "Southfield Power", "Looking it up"],
      ]);
      expect(view.timeline.find((t) => t.type === "ASSIGNED")?.organisation).toBe("Southfield Power");
      // Email events name the recipient's organisation, never the address.
      const emails = view.timeline.filter((t) => t.type === "EMAIL_QUEUED");
      expect(emails.length).toBeGreaterThan(0);
      for (const e of emails) expect(e.detail).toBeNull();
    });

    it("lists the allowed actions by permission and state: before an answer, after it, and after closing", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      const allowedFor = async (actor: Actor) => (await viewRequest(actor, reference)).allowed;

      // Open, no code yet: nothing to reveal, nor to verify and close; the raiser may withdraw it.
      expect(await allowedFor(alice)).toEqual(allowed("request:view", "request:add-note", "request:withdraw"));
      // Before answering, the assignee may instead decline ("not our Device", decision 030).
      expect(await allowedFor(bob)).toEqual(allowed("request:view", "request:add-note", "install-code:provide", "request:decline"));
      expect(await allowedFor(dana)).toEqual(allowed("request:view", "request:add-note", "request:reassign"));

      await provideInstallCode(bob, { reference, installCode: LABEL_CODE });
      expect(await allowedFor(alice)).toEqual(allowed("request:view", "request:add-note", "install-code:reveal", "request:close"));
      expect(await allowedFor(bob)).toEqual(allowed("request:view", "request:add-note", "install-code:provide", "install-code:reveal"));
      expect(await allowedFor(dana)).toEqual(allowed("request:view", "request:add-note", "request:reassign"));

      await closeRequest(alice, { reference });
      expect(await allowedFor(alice)).toEqual(allowed("request:view", "install-code:reveal"));
      expect(await allowedFor(bob)).toEqual(allowed("request:view", "install-code:reveal"));
      expect(await allowedFor(dana)).toEqual(allowed("request:view"));
    });

    it("after withdrawing a request that was never answered allows nothing but viewing", async () => {
      const { reference } = await raiseFresh(alice, "SFP");
      await withdrawRequest(alice, { reference, reason: "NO_LONGER_NEEDED" });
      for (const actor of [alice, bob, dana]) {
        expect((await viewRequest(actor, reference)).allowed).toEqual(allowed("request:view"));
      }
    });
  });
});
