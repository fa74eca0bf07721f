import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { RequestStatus } from "@/lib/db/generated/client";
import { listRequests, PAGE_SIZE, type RequestSummary } from "@/lib/requests/list-requests";
import { QUEUE_COUNT_CAP, queueCounts } from "@/lib/requests/queue-counts";
import { defaultQueueId, HELPDESK_QUEUES, LIST_SORTS, queuesFor, SUPPLIER_QUEUES, type ListSort, type QueueId } from "@/lib/requests/queues";
import { formatReference } from "@/lib/requests/reference";
import { CURSOR_MESSAGE } from "@/lib/requests/schemas";
import { closeSeededDatabase, expectRefused, ON_POSTGRES, openSeededDatabase } from "./support";

// The queues of /requests (lib/requests/queues.ts): which requests each holds for each role, that
// each tab's count is the number of requests its list shows, the orders (raised, due; either way)
// with keyset pages that lose and repeat nothing, and the refusals of queues and orders that are not
// there. Checked against the rules written out again below, over rows inserted directly.

// Wednesday 1 July 2026, 13:00 in London. The next Working Day is Thursday 2 July, which ends at
// 22:59:59.999Z (BST): a request awaiting its Install Code and due by then, not before now, is at risk.
const NOW = new Date("2026-07-01T12:00:00.000Z");
const AT_RISK_UNTIL = new Date("2026-07-02T22:59:59.999Z");

// Due times around the at-risk window, each used several times so that the due-date order has ties.
const DUE = [
  new Date("2026-06-24T22:59:59.999Z"), // a week ago: breached if still awaited
  new Date("2026-07-01T11:59:59.999Z"), // a minute before now: breached
  new Date("2026-07-01T12:00:00.000Z"), // now exactly: not yet breached, at risk
  new Date("2026-07-01T22:59:59.999Z"), // the end of today: at risk
  AT_RISK_UNTIL, // the end of the next Working Day: at risk
  new Date("2026-07-03T22:59:59.999Z"), // Friday: not yet at risk
  new Date("2026-07-10T22:59:59.999Z"),
];
const STATUSES: RequestStatus[] = ["ASSIGNED", "RESPONDED", "DECLINED", "CLOSED"];
// Raised at a few instants only, so that the date-raised order has ties too.
const RAISED = [new Date("2026-06-20T09:00:00Z"), new Date("2026-06-22T09:00:00Z"), new Date("2026-06-23T15:30:00Z")];

type Row = {
  number: number;
  status: RequestStatus;
  raisedAt: Date;
  dueAt: Date;
  raisingOrganisationId: string;
  assignedOrganisationId: string;
};

let devices = 0;
async function insertRequests(raiser: Actor, assigneeId: string, count: number, offset = 0) {
  const deviceIds = Array.from({ length: count }, () => {
    devices++;
    return `0D${devices.toString(16).toUpperCase().padStart(14, "0")}`.match(/../g)!.join("-");
  });
  await db().device.createMany({
    data: deviceIds.map((deviceId) => ({ deviceId, deviceType: "ESME" as const, status: "InstalledNotCommissioned" as const, manufacturer: "Test", model: "T", firmwareVersion: "1", preNotifiedById: assigneeId })),
  });
  await db().installCodeRequest.createMany({
    data: deviceIds.map((deviceId, k) => {
      const i = k + offset;
      const status = STATUSES[i % STATUSES.length];
      return {
        deviceId,
        raisedById: raiser.userId,
        raisingOrganisationId: raiser.organisationId,
        assignedOrganisationId: assigneeId,
        status,
        raisedAt: RAISED[i % RAISED.length],
        dueAt: DUE[(i * 3) % DUE.length],
        respondedAt: status === "RESPONDED" || (status === "CLOSED" && i % 2 === 0) ? new Date("2026-06-25T10:00:00Z") : null,
        closedAt: status === "CLOSED" ? new Date("2026-06-26T10:00:00Z") : null,
      };
    }),
  });
}

describe(`request queues (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let alice: Actor, bob: Actor, erin: Actor, dana: Actor;
  let orgs: Record<string, string>;

  beforeAll(async () => {
    ({ alice, bob, erin, dana, orgs } = await openSeededDatabase());
    await insertRequests(alice, orgs.SFP, 45);
    await insertRequests(bob, orgs.NWE, 38, 1);
    await insertRequests(erin, orgs.SFP, 29, 2);
    await insertRequests(bob, orgs.EGP, 17, 3);
    await insertRequests(erin, orgs.NWE, 11);
  }, 120_000);
  afterAll(closeSeededDatabase);

  // The queues' rules written out again, one per queue, from the queue's description.
  const RULES: Record<QueueId, (r: Row, org: string | null) => boolean> = {
    "needs-response": (r, org) => r.assignedOrganisationId === org && r.status === "ASSIGNED",
    waiting: (r, org) => r.raisingOrganisationId === org && (r.status === "ASSIGNED" || r.status === "DECLINED"),
    answered: (r, org) => r.raisingOrganisationId === org && r.status === "RESPONDED",
    closed: (r, org) => (r.raisingOrganisationId === org || r.assignedOrganisationId === org) && r.status === "CLOSED",
    "at-risk": (r) => r.status === "ASSIGNED" && r.dueAt >= NOW && r.dueAt <= AT_RISK_UNTIL,
    breached: (r) => r.status === "ASSIGNED" && r.dueAt < NOW,
    unassignable: (r) => r.status === "DECLINED",
    all: (r, org) => org === null || r.raisingOrganisationId === org || r.assignedOrganisationId === org,
  };

  function ordered(rows: Row[], sort: ListSort): Row[] {
    const key = sort.startsWith("due") ? "dueAt" : "raisedAt";
    const sign = sort.endsWith("desc") ? -1 : 1;
    return [...rows].sort((a, b) => sign * (a[key].getTime() - b[key].getTime() || a.number - b.number));
  }

  async function expected(queue: QueueId, org: string | null, sort: ListSort): Promise<string[]> {
    const rows = await db().installCodeRequest.findMany({
      select: { number: true, status: true, raisedAt: true, dueAt: true, raisingOrganisationId: true, assignedOrganisationId: true },
    });
    return ordered(rows.filter((r) => RULES[queue](r, org)), sort).map((r) => formatReference(r.number));
  }

  /** Every page of a queue in one order, forwards then backwards; the pages must agree. */
  async function walk(actor: Actor, input: Record<string, string>, pageSize: number): Promise<RequestSummary[]> {
    const pages: RequestSummary[][] = [];
    let page = await listRequests(actor, input, { now: NOW, pageSize });
    expect(page.newer).toBeNull();
    pages.push(page.requests);
    while (page.older) {
      page = await listRequests(actor, { ...input, after: page.older }, { now: NOW, pageSize });
      expect(page.newer).not.toBeNull();
      pages.push(page.requests);
    }
    expect(pages.slice(0, -1).every((p) => p.length === pageSize)).toBe(true);
    const back: RequestSummary[][] = [pages.at(-1)!];
    while (page.newer) {
      page = await listRequests(actor, { ...input, before: page.newer }, { now: NOW, pageSize });
      back.unshift(page.requests);
    }
    expect(back.map((p) => p.map((r) => r.reference))).toEqual(pages.map((p) => p.map((r) => r.reference)));
    return pages.flat();
  }

  const WHO = [
    { name: "Northwind, a Supplier", actor: () => alice, org: () => orgs.NWE, queues: SUPPLIER_QUEUES },
    { name: "Southfield, a Supplier", actor: () => bob, org: () => orgs.SFP, queues: SUPPLIER_QUEUES },
    { name: "Eastgate, a Supplier", actor: () => erin, org: () => orgs.EGP, queues: SUPPLIER_QUEUES },
    { name: "the helpdesk", actor: () => dana, org: () => null, queues: HELPDESK_QUEUES },
  ];

  describe.each(WHO)("for $name", (who) => {
    it.each(who.queues.map((q) => [q.id, q] as const))("%s holds exactly the requests of its rule, in its own order", async (id, queue) => {
      const listed = await walk(who.actor(), { queue: id }, PAGE_SIZE);
      const want = await expected(id, who.org(), queue.defaultSort);
      expect(listed.map((r) => r.reference)).toEqual(want);
      if (id !== "all") expect(want.length, "the data puts something in every queue").toBeGreaterThan(0);
      // What the person reads on each row agrees with the queue.
      if (id === "at-risk") for (const r of listed) expect(["due-today", "due-soon"]).toContain(r.dueBadge?.tone);
      if (id === "breached") for (const r of listed) expect(r.dueBadge?.tone).toBe("overdue");
      if (id === "needs-response") for (const r of listed) expect(r.role).toBe("assigned");
      if (id === "waiting" || id === "answered") for (const r of listed) expect(r.role).toBe("raised");
    });

    it("counts each work queue as many requests as its list shows, and gives Closed and All no count", async () => {
      const actor = who.actor();
      const counts = await queueCounts(actor, { now: NOW });
      expect(counts.map((c) => c.id)).toEqual(who.queues.filter((q) => q.id !== "all" && q.id !== "closed").map((q) => q.id));
      for (const c of counts) {
        const listed = await walk(actor, { queue: c.id }, PAGE_SIZE);
        expect({ queue: c.id, count: c.count, more: c.more }).toEqual({ queue: c.id, count: listed.length, more: false });
      }
      // The home page asks for some only.
      expect((await queueCounts(actor, { now: NOW, ids: ["needs-response", "at-risk"] })).map((c) => c.id)).toEqual([who.queues[0].id]);
    });

    it.each(LIST_SORTS.map((s) => [s] as const))("sorted %s, pages of 4 lose and repeat nothing, forwards and backwards", async (sort) => {
      for (const queue of who.queues) {
        const listed = (await walk(who.actor(), { queue: queue.id, sort }, 4)).map((r) => r.reference);
        expect(new Set(listed).size).toBe(listed.length);
        expect(listed, `${queue.id}, ${sort}`).toEqual(await expected(queue.id, who.org(), sort));
      }
    });
  });

  it("combines a queue with the filters under it", async () => {
    const waitingDeclined = await walk(alice, { queue: "waiting", status: "DECLINED" }, PAGE_SIZE);
    expect(waitingDeclined.length).toBeGreaterThan(0);
    expect(waitingDeclined.every((r) => r.status === "DECLINED" && r.role === "raised")).toBe(true);
    // A filter outside the queue's rule leaves it empty, not wider.
    expect((await listRequests(alice, { queue: "answered", status: "CLOSED" }, { now: NOW })).requests).toEqual([]);
    expect((await listRequests(alice, { queue: "waiting", party: "assigned" }, { now: NOW })).requests).toEqual([]);
    // The helpdesk's queue for one organisation: only what it raised or is assigned.
    const southfield = await walk(dana, { queue: "breached", organisation: "SFP" }, PAGE_SIZE);
    expect(southfield.length).toBeGreaterThan(0);
    expect(southfield.every((r) => r.raisingOrganisationCode === "SFP" || r.assignedOrganisationCode === "SFP")).toBe(true);
    const overdueNeedsResponse = await walk(bob, { queue: "needs-response", overdue: "1" }, PAGE_SIZE);
    expect(overdueNeedsResponse.map((r) => r.reference)).toEqual((await walk(bob, { queue: "needs-response" }, PAGE_SIZE)).filter((r) => r.overdue).map((r) => r.reference));
  });

  it("opens on the first queue of each role, and on All for an address with filters", () => {
    expect(defaultQueueId(alice, false)).toBe("needs-response");
    expect(defaultQueueId(dana, false)).toBe("at-risk");
    expect(defaultQueueId(alice, true)).toBe("all");
    expect(defaultQueueId(dana, true)).toBe("all");
    expect(queuesFor(alice).map((q) => q.label)).toEqual(["Needs your response", "Waiting for an answer", "Answered — verify and close", "Closed", "All"]);
    expect(queuesFor(dana).map((q) => q.label)).toEqual(["At risk", "Breached", "Unassignable", "All"]);
  });

  it("lists every request in scope without a queue, as before queues (the API's default)", async () => {
    const none = (await walk(alice, {}, PAGE_SIZE)).map((r) => r.reference);
    expect(none).toEqual((await walk(alice, { queue: "all" }, PAGE_SIZE)).map((r) => r.reference));
  });

  describe("refusals: a clear message for the field, never a server error", () => {
    it.each([
      ["an unknown queue", () => alice, { queue: "bogus" }, { queue: ['There is no queue "bogus"'] }],
      ["the helpdesk's queue to a Supplier", () => alice, { queue: "breached" }, { queue: ['There is no queue "breached"'] }],
      ["a Supplier's queue to the helpdesk", () => dana, { queue: "needs-response" }, { queue: ['There is no queue "needs-response"'] }],
      ["a queue named after a prototype", () => alice, { queue: "__proto__" }, { queue: ['There is no queue "__proto__"'] }],
      ["two queues", () => alice, { queue: ["waiting", "closed"] }, { queue: ["There is no queue like that"] }],
      ["an unknown order", () => alice, { sort: "newest" }, { sort: ['There is no sort order "newest"'] }],
      ["an order in capitals", () => dana, { sort: "DUE-ASC" }, { sort: ['There is no sort order "DUE-ASC"'] }],
    ] as const)("refuses %s", async (_name, who, input, fieldErrors) => {
      const error = await expectRefused(listRequests(who(), input as Record<string, unknown>, { now: NOW }), "VALIDATION");
      expect(error.fieldErrors).toEqual(fieldErrors);
    });

    it("refuses a page link made in one order when the list is in another", async () => {
      const byDue = await listRequests(alice, { queue: "all", sort: "due-asc" }, { now: NOW, pageSize: 4 });
      const byRaised = await listRequests(alice, { queue: "all" }, { now: NOW, pageSize: 4 });
      expect((await expectRefused(listRequests(alice, { queue: "all", after: byDue.older! }), "VALIDATION")).fieldErrors).toEqual({ after: [CURSOR_MESSAGE] });
      expect((await expectRefused(listRequests(alice, { queue: "all", sort: "due-desc", before: byRaised.older! }), "VALIDATION")).fieldErrors).toEqual({ before: [CURSOR_MESSAGE] });
      // Either way round the same key: the row still places the page.
      expect((await listRequests(alice, { queue: "all", sort: "raised-asc", after: byRaised.older! }, { now: NOW })).requests.length).toBeGreaterThan(0);
      // The helpdesk's At risk opens by due date: a page link made there carries on there.
      const atRisk = await listRequests(dana, { queue: "at-risk" }, { now: NOW, pageSize: 2 });
      expect(atRisk.sort).toBe("due-asc");
      expect((await listRequests(dana, { queue: "at-risk", after: atRisk.older! }, { now: NOW, pageSize: 2 })).requests.length).toBeGreaterThan(0);
    });
  });

  it("stops counting at the cap and says there are more", async () => {
    // A Supplier of its own with more answered requests than the cap.
    const { addUser } = await import("./support");
    await db().organisation.create({ data: { code: "BIG", name: "Big Energy", kind: "SUPPLIER" } });
    const big = await addUser("big@big.example", "Big User", "BIG");
    await insertRequests(big, orgs.SFP, (QUEUE_COUNT_CAP + 1) * STATUSES.length);
    const counts = await queueCounts(big, { now: NOW });
    const answered = counts.find((c) => c.id === "answered")!;
    expect(answered).toMatchObject({ count: QUEUE_COUNT_CAP, more: true });
    // Southfield is assigned them all: its count of what needs its response is capped too.
    expect((await queueCounts(bob, { now: NOW })).find((c) => c.id === "needs-response")).toMatchObject({ count: QUEUE_COUNT_CAP, more: true });
    // Below the cap, exact.
    expect((await queueCounts(alice, { now: NOW })).every((c) => !c.more && c.count < QUEUE_COUNT_CAP)).toBe(true);
  }, 120_000);
});
