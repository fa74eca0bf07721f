import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { RequestStatus } from "@/lib/db/generated/client";
import { listRequests, ORGANISATION_FILTER_MESSAGE, PAGE_SIZE, PARTY_NEEDS_ORGANISATION_MESSAGE, UNKNOWN_ORGANISATION_MESSAGE } from "@/lib/requests/list-requests";
import { formatReference } from "@/lib/requests/reference";
import { CURSOR_MESSAGE, encodeListCursor, SEARCH_MESSAGE } from "@/lib/requests/schemas";
import { isOverdue } from "@/lib/requests/view-request";
import { visibleRequests } from "@/lib/requests/visibility";
import { closeSeededDatabase, expectRefused, listAll, ON_POSTGRES, openSeededDatabase } from "./support";

// Keyset pages over many requests raised at the very same instant, so that only the tie-breaker
// (number) orders them: every visible request exactly once, in order, both ways, for every filter
// and every relation; checked against the rule applied in JavaScript to every row of the database.

const AT = new Date("2026-06-01T09:00:00.000Z");
const NOW = new Date("2026-07-01T12:00:00.000Z");
const STATUSES: RequestStatus[] = ["ASSIGNED", "RESPONDED", "CLOSED"];

type Row = {
  number: number;
  deviceId: string;
  status: RequestStatus;
  raisedAt: Date;
  dueAt: Date;
  respondedAt: Date | null;
  raisingOrganisationId: string;
  assignedOrganisationId: string;
};

let devices = 0;
function nextDeviceId(): string {
  devices++;
  return `0B${devices.toString(16).toUpperCase().padStart(14, "0")}`.match(/../g)!.join("-");
}

/** Requests inserted directly (the list reads rows; raising each through its use case adds nothing here). */
async function insertRequests(raiser: Actor, assigneeId: string, count: number, options: { raisedAt?: Date; deviceId?: string; offset?: number } = {}) {
  const rows = [];
  for (let k = 0; k < count; k++) {
    const i = k + (options.offset ?? 0);
    const deviceId = options.deviceId ?? nextDeviceId();
    await db().device.upsert({
      where: { deviceId },
      update: {},
      create: { deviceId, deviceType: "ESME", status: "InstalledNotCommissioned", manufacturer: "Test", model: "T", firmwareVersion: "1", preNotifiedById: assigneeId },
    });
    const status = STATUSES[i % 3];
    // Half due before NOW, half after; some answers on time, some late, some closed unanswered.
    const dueAt = i % 2 ? new Date("2026-06-08T22:59:59.999Z") : new Date("2026-08-01T22:59:59.999Z");
    const answered = status === "RESPONDED" || (status === "CLOSED" && i % 5 !== 0);
    const respondedAt = answered ? (i % 4 < 2 ? new Date("2026-06-05T10:00:00Z") : new Date("2026-06-20T10:00:00Z")) : null;
    rows.push({
      deviceId,
      raisedById: raiser.userId,
      raisingOrganisationId: raiser.organisationId,
      assignedOrganisationId: assigneeId,
      status,
      raisedAt: options.raisedAt ?? AT,
      dueAt,
      respondedAt,
      closedAt: status === "CLOSED" ? new Date("2026-06-25T10:00:00Z") : null,
    });
  }
  await db().installCodeRequest.createMany({ data: rows });
}

describe(`request list pages (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, erin, dana, orgs } = await openSeededDatabase());
    await insertRequests(alice, orgs.SFP, 60);
    await insertRequests(bob, orgs.NWE, 60, { offset: 1 });
    await insertRequests(erin, orgs.SFP, 40, { offset: 2 });
    await insertRequests(bob, orgs.EGP, 20);
    await insertRequests(erin, orgs.NWE, 7);
    // Raised by and assigned to one organisation: the portal never makes one, but were there one,
    // the list must show it once, not once for each side of "raised by or assigned to".
    await insertRequests(alice, orgs.NWE, 3);
    expect(await db().installCodeRequest.count({ where: { raisedAt: AT } })).toBeGreaterThanOrEqual(190);
  }, 120_000);
  afterAll(closeSeededDatabase);

  /** Every row the actor may see, by the one visibility rule, newest first. */
  async function visibleRows(actor: Actor): Promise<Row[]> {
    return db().installCodeRequest.findMany({
      where: visibleRequests(actor),
      orderBy: [{ raisedAt: "desc" }, { number: "desc" }],
      select: { number: true, deviceId: true, status: true, raisedAt: true, dueAt: true, respondedAt: true, raisingOrganisationId: true, assignedOrganisationId: true },
    });
  }

  type Case = { name: string; input: Record<string, string>; keep: (row: Row, scope: string | null) => boolean };
  const FILTERS: Case[] = [
    { name: "no filter", input: {}, keep: () => true },
    ...STATUSES.map((status) => ({ name: `status ${status}`, input: { status }, keep: (r: Row) => r.status === status })),
    {
      name: "needs a response",
      input: { needsResponse: "1" },
      keep: (r: Row, scope: string | null) => r.status === "ASSIGNED" && (scope === null || r.assignedOrganisationId === scope),
    },
    { name: "overdue", input: { overdue: "1" }, keep: (r: Row) => isOverdue(r, NOW) },
    { name: "raised by", input: { party: "raised" }, keep: (r: Row, scope: string | null) => r.raisingOrganisationId === scope },
    { name: "assigned to", input: { party: "assigned" }, keep: (r: Row, scope: string | null) => r.assignedOrganisationId === scope },
    {
      name: "overdue, assigned to",
      input: { overdue: "1", party: "assigned" },
      keep: (r: Row, scope: string | null) => isOverdue(r, NOW) && r.assignedOrganisationId === scope,
    },
    {
      name: "closed, raised by",
      input: { status: "CLOSED", party: "raised" },
      keep: (r: Row, scope: string | null) => r.status === "CLOSED" && r.raisingOrganisationId === scope,
    },
    {
      name: "needs a response and overdue",
      input: { needsResponse: "1", overdue: "1" },
      keep: (r: Row, scope: string | null) => r.status === "ASSIGNED" && isOverdue(r, NOW) && (scope === null || r.assignedOrganisationId === scope),
    },
  ];

  // Who looks, the organisation their list is about (null: all), and any helpdesk filter.
  const RELATIONS: { name: string; everything?: true; actor: () => Actor; scope: () => string | null; input: Record<string, string> }[] = [
    { name: "Northwind (raiser and assignee)", actor: () => alice, scope: () => orgs.NWE, input: {} },
    { name: "Southfield (raiser and assignee)", actor: () => bob, scope: () => orgs.SFP, input: {} },
    { name: "Eastgate (raiser and assignee)", actor: () => erin, scope: () => orgs.EGP, input: {} },
    { name: "the helpdesk, everything", everything: true, actor: () => dana, scope: () => null, input: {} },
    { name: "the helpdesk, Southfield's", actor: () => dana, scope: () => orgs.SFP, input: { organisation: "sfp" } },
  ];

  describe.each(RELATIONS)("as $name", (relation) => {
    it.each(FILTERS.filter((f) => !relation.everything || !f.input.party).map((f) => [f.name, f] as const))(
      "%s: every visible request once, in order, forwards and backwards",
      async (_name, filter) => {
        const actor = relation.actor();
        const scope = relation.scope();
        const inScope = (r: Row) => scope === null || r.raisingOrganisationId === scope || r.assignedOrganisationId === scope;
        const expected = (await visibleRows(actor)).filter((r) => inScope(r) && filter.keep(r, scope)).map((r) => formatReference(r.number));
        const input = { ...relation.input, ...filter.input };

        // Forwards, following "older" links.
        const pages: string[][] = [];
        let page = await listRequests(actor, input, { now: NOW });
        expect(page.newer).toBeNull();
        pages.push(page.requests.map((r) => r.reference));
        while (page.older) {
          page = await listRequests(actor, { ...input, after: page.older }, { now: NOW });
          expect(page.newer).not.toBeNull();
          pages.push(page.requests.map((r) => r.reference));
        }
        for (const p of pages) expect(p.length).toBeLessThanOrEqual(PAGE_SIZE);
        expect(pages.slice(0, -1).every((p) => p.length === PAGE_SIZE)).toBe(true);
        expect(pages.flat()).toEqual(expected);

        // Backwards from the oldest page, following "newer" links.
        const back: string[][] = [pages.at(-1)!];
        while (page.newer) {
          page = await listRequests(actor, { ...input, before: page.newer }, { now: NOW });
          back.unshift(page.requests.map((r) => r.reference));
        }
        expect(back.flat()).toEqual(expected);
        expect(back).toEqual(pages);
      },
    );
  });

  it("has enough requests that every relation's unfiltered list takes more than two pages", async () => {
    for (const actor of [alice, bob, dana]) expect((await listAll(actor)).length).toBeGreaterThan(2 * PAGE_SIZE);
  });

  it("never shows a Supplier a request of two other Suppliers", async () => {
    const rows = new Map((await db().installCodeRequest.findMany()).map((r) => [formatReference(r.number), r]));
    for (const actor of [alice, bob, erin]) {
      const listed = await listAll(actor);
      for (const r of listed) {
        const row = rows.get(r.reference)!;
        expect([row.raisingOrganisationId, row.assignedOrganisationId]).toContain(actor.organisationId);
      }
      // Eastgate raised 40 for Southfield: Northwind sees none of them.
      if (actor === alice) expect(listed.some((r) => r.raisingOrganisation === "Eastgate Gas & Power" && r.assignedOrganisation === "Southfield Power")).toBe(false);
    }
  });

  it("neither shifts nor repeats the next page when requests are raised between page loads", async () => {
    const first = await listRequests(alice, {}, { now: NOW });
    const before = await listAll(alice, {}, { now: NOW });
    // The same instant (so they sort first by number) and a later one.
    await insertRequests(alice, orgs.SFP, 5);
    await insertRequests(bob, orgs.NWE, 5, { raisedAt: new Date(AT.getTime() + 60_000) });
    const second = await listRequests(alice, { after: first.older! }, { now: NOW });
    expect(second.requests.map((r) => r.reference)).toEqual(before.slice(PAGE_SIZE, 2 * PAGE_SIZE).map((r) => r.reference));
    // Back from the second page: the first page as it was, and the newer ones beyond it.
    const back = await listRequests(alice, { before: second.newer! }, { now: NOW });
    expect(back.requests.map((r) => r.reference)).toEqual(first.requests.map((r) => r.reference));
    expect(back.newer).not.toBeNull();
    const newest = await listRequests(alice, { before: back.newer! }, { now: NOW });
    expect(newest.requests).toHaveLength(10);
    expect(newest.newer).toBeNull();
    expect((await listRequests(alice, {}, { now: NOW })).requests.slice(0, 10)).toEqual(newest.requests);
  });

  describe("search", () => {
    it("finds a request by its reference in any case, and only if the actor may see it", async () => {
      const [mine] = (await listRequests(alice, { party: "raised" })).requests;
      for (const typed of [mine.reference, mine.reference.toLowerCase(), ` ${mine.reference} `, `Ric${mine.reference.slice(3)}`]) {
        expect((await listRequests(alice, { q: typed })).requests.map((r) => r.reference)).toEqual([mine.reference]);
        expect((await listRequests(dana, { q: typed })).requests.map((r) => r.reference)).toEqual([mine.reference]);
      }
      // Erin is no party to it: nothing, exactly as for a reference that does not exist.
      expect((await listRequests(erin, { q: mine.reference })).requests).toEqual([]);
      expect((await listRequests(alice, { q: "RIC9999999" })).requests).toEqual([]);
    });

    it("finds the requests for a Device written in any format, each actor only those it may see", async () => {
      const deviceId = nextDeviceId();
      await insertRequests(alice, orgs.SFP, 1, { deviceId });
      await insertRequests(erin, orgs.SFP, 1, { deviceId });
      const hex = deviceId.replace(/-/g, "");
      for (const typed of [deviceId, hex, hex.toLowerCase(), deviceId.replace(/-/g, ":").toLowerCase(), deviceId.replace(/-/g, " "), ` ${hex.slice(0, 8)}-${hex.slice(8)} `]) {
        const seen = async (actor: Actor) => (await listRequests(actor, { q: typed })).requests.map((r) => [r.deviceId, r.raisingOrganisation]);
        expect(await seen(alice)).toEqual([[deviceId, "Northwind Energy"]]);
        expect(await seen(erin)).toEqual([[deviceId, "Eastgate Gas & Power"]]);
        expect(await seen(bob)).toEqual([
          [deviceId, "Eastgate Gas & Power"],
          [deviceId, "Northwind Energy"],
        ]);
        expect(await seen(dana)).toHaveLength(2);
      }
      expect((await listRequests(alice, { q: deviceId, party: "assigned" })).requests).toEqual([]);
    });
  });

  describe("refusals", () => {
    const garbage = (text: string) => Buffer.from(text, "utf8").toString("base64url");
    it.each([
      ["after", "not-a-cursor"],
      ["after", "!!!"],
      ["before", garbage("abc")],
      ["after", garbage("1780304400000.0")],
      ["after", garbage("1780304400000.99999999999")],
      ["after", garbage("1780304400000.2147483648")],
      ["before", garbage("12.5")],
      ["before", garbage("99999999999999.5")],
      ["after", garbage("1780304400000.5 ")],
      ["after", "x".repeat(500)],
    ])("refuses the cursor %s=%j as a VALIDATION error with a message", async (field, value) => {
      const error = await expectRefused(listRequests(alice, { [field]: value }), "VALIDATION");
      expect(error.fieldErrors).toEqual({ [field]: [CURSOR_MESSAGE] });
    });

    it("refuses a cursor in both directions at once, and one given twice", async () => {
      const cursor = encodeListCursor({ key: "raised", at: AT, number: 5 });
      expect((await expectRefused(listRequests(alice, { after: cursor, before: cursor }), "VALIDATION")).fieldErrors).toEqual({ before: [CURSOR_MESSAGE] });
      expect((await expectRefused(listRequests(alice, { after: [cursor, cursor] }), "VALIDATION")).fieldErrors).toEqual({ after: [CURSOR_MESSAGE] });
    });

    it.each([
      [{ status: "OPEN" }, "status", 'There is no status "OPEN"'],
      [{ status: "assigned" }, "status", 'There is no status "assigned"'],
      [{ party: "both" }, "party", "Choose raised or assigned"],
      [{ needsResponse: "yes" }, "needsResponse", "Tick the box or leave it empty"],
      [{ overdue: "0" }, "overdue", "Tick the box or leave it empty"],
      [{ q: "RIC12" }, "q", SEARCH_MESSAGE],
      [{ q: "00-DB-12" }, "q", SEARCH_MESSAGE],
      [{ q: "x".repeat(101) }, "q", SEARCH_MESSAGE],
      [{ organisation: "S F P" }, "organisation", "An organisation code is letters and digits, like SFP"],
    ])("refuses the filter %j with a message for the field", async (input, field, message) => {
      const error = await expectRefused(listRequests(alice, input), "VALIDATION");
      expect(error.fieldErrors).toEqual({ [field]: [message] });
    });

    it("refuses the organisation filter to a Supplier, an unknown organisation and raised/assigned without one to the helpdesk", async () => {
      expect((await expectRefused(listRequests(alice, { organisation: "SFP" }), "VALIDATION")).fieldErrors).toEqual({ organisation: [ORGANISATION_FILTER_MESSAGE] });
      expect((await expectRefused(listRequests(dana, { organisation: "ZZZ" }), "VALIDATION")).fieldErrors).toEqual({ organisation: [UNKNOWN_ORGANISATION_MESSAGE] });
      expect((await expectRefused(listRequests(dana, { party: "raised" }), "VALIDATION")).fieldErrors).toEqual({ party: [PARTY_NEEDS_ORGANISATION_MESSAGE] });
    });

    it("treats empty form values as no filter", async () => {
      const empty = { status: "", needsResponse: "", overdue: "", party: "", q: "", after: "", before: "" };
      expect(await listRequests(alice, empty, { now: NOW })).toEqual(await listRequests(alice, {}, { now: NOW }));
    });
  });
});
