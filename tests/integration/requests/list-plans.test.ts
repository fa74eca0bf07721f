import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { listRequestsSql, PAGE_SIZE, type ListQuery } from "@/lib/requests/list-requests";
import { queueCountsSql } from "@/lib/requests/queue-counts";
import { HELPDESK_QUEUES, LIST_SORTS, SUPPLIER_QUEUES } from "@/lib/requests/queues";
import type { ListCursor } from "@/lib/requests/schemas";
import { closeSeededDatabase, ON_POSTGRES, openSeededDatabase } from "./support";
import { loadManyRequests } from "./load";

// The plans of the list's queries at a size where a sequential scan would hurt: the very SQL that
// listRequests runs (listRequestsSql), EXPLAINed on PostgreSQL after 200,000 requests and ANALYZE.
// The plans are PostgreSQL's only (the embedded database is not where the load is); the SQL's
// parameters are checked everywhere.

type Plan = { "Node Type": string; "Relation Name"?: string; Plans?: Plan[] };

function nodes(plan: Plan): Plan[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const NOW = new Date("2026-06-01T12:00:00Z");

// Chosen when the file loads, not skipped: CI runs this file on PostgreSQL too.
if (ON_POSTGRES) describe("request list query plans at 200,000 requests (PostgreSQL)", () => {
  let organisationId: string;
  let deviceId: string;
  let number: number;
  let cursor: ListCursor;
  let dueCursor: Date;

  beforeAll(async () => {
    await openSeededDatabase();
    await loadManyRequests({ organisations: 300, devices: 2000, requests: 200_000 });
    organisationId = (await db().organisation.findUniqueOrThrow({ where: { code: "L00007" } })).id;
    const middle = await db().installCodeRequest.findFirstOrThrow({ where: { raisingOrganisationId: organisationId }, orderBy: [{ raisedAt: "desc" }, { number: "desc" }], skip: 300 });
    deviceId = middle.deviceId;
    number = middle.number;
    cursor = { key: "raised", at: middle.raisedAt, number: middle.number };
    dueCursor = middle.dueAt;
  }, 300_000);
  afterAll(closeSeededDatabase);

  const FILTERS: [string, () => Partial<ListQuery>][] = [
    ["no filter", () => ({})],
    ["status ASSIGNED", () => ({ status: "ASSIGNED" })],
    ["status RESPONDED", () => ({ status: "RESPONDED" })],
    ["status CLOSED", () => ({ status: "CLOSED" })],
    ["needs a response", () => ({ needsResponse: true })],
    ["overdue", () => ({ overdue: true })],
    ["search by reference", () => ({ search: { kind: "reference", number } })],
    ["search by Device ID", () => ({ search: { kind: "device", deviceId } })],
    ["older page", () => ({ after: cursor })],
    ["newer page", () => ({ before: cursor })],
    ["status CLOSED, older page", () => ({ status: "CLOSED", after: cursor })],
    ["overdue, newer page", () => ({ overdue: true, before: cursor })],
  ];
  const RELATIONS: [string, () => Partial<ListQuery>][] = [
    ["a Supplier, raised by or assigned to it", () => ({ organisationId })],
    ["a Supplier, raised by it", () => ({ organisationId, party: "raised" })],
    ["a Supplier, assigned to it", () => ({ organisationId, party: "assigned" })],
    ["the helpdesk, everything", () => ({ organisationId: null })],
  ];

  async function expectNoSeqScan(sql: Prisma.Sql) {
    const [row] = await db().$queryRaw<{ "QUERY PLAN": [{ Plan: Plan }] }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${sql}`);
    const plan = row["QUERY PLAN"][0].Plan;
    const scans = nodes(plan).filter((n) => n["Relation Name"] === "InstallCodeRequest").map((n) => n["Node Type"]);
    expect(scans.length).toBeGreaterThan(0);
    expect(scans, JSON.stringify(plan)).not.toContain("Seq Scan");
  }

  describe.each(RELATIONS)("as %s", (_relation, relation) => {
    it.each(FILTERS)("%s: no sequential scan of InstallCodeRequest", async (_filter, filter) => {
      const query: ListQuery = { organisationId: null, now: NOW, limit: PAGE_SIZE + 1, ...relation(), ...filter() };
      await expectNoSeqScan(listRequestsSql(query));
      // And it runs: the page is what the SQL says it is.
      const rows = await db().$queryRaw<unknown[]>(listRequestsSql(query));
      expect(rows.length).toBeLessThanOrEqual(PAGE_SIZE + 1);
    });
  });

  // Every queue in every order, a first page and a later one; and the tabs' counts.
  const QUEUES = [
    ...SUPPLIER_QUEUES.map((queue) => ({ name: `a Supplier's ${queue.id}`, queue, organisation: true })),
    ...HELPDESK_QUEUES.map((queue) => ({ name: `the helpdesk's ${queue.id}`, queue, organisation: false })),
  ];
  describe.each(QUEUES)("$name", ({ queue, organisation }) => {
    it.each(LIST_SORTS.map((s) => [s] as const))("sorted %s: no sequential scan of InstallCodeRequest", async (sort) => {
      const base: ListQuery = { organisationId: organisation ? organisationId : null, queue, sort, now: NOW, limit: PAGE_SIZE + 1 };
      await expectNoSeqScan(listRequestsSql(base));
      const key = sort.startsWith("due") ? "due" : "raised";
      await expectNoSeqScan(listRequestsSql({ ...base, after: { key, at: key === "due" ? dueCursor : cursor.at, number: cursor.number } }));
    });
  });

  // A count stops at the cap: where a third of the table matches (the load's "breached"), PostgreSQL
  // rightly reads the table until it has cap + 1 rows (~3,000 here) rather than an index. That is the
  // one sequential scan allowed: directly under the count's LIMIT. Anything else is a finding.
  it("counts a Supplier's queues and the helpdesk's without reading the whole table", async () => {
    for (const sql of [
      queueCountsSql(SUPPLIER_QUEUES.filter((q) => q.counted), organisationId, NOW),
      queueCountsSql(HELPDESK_QUEUES.filter((q) => q.counted), null, NOW),
    ]) {
      const [row] = await db().$queryRaw<{ "QUERY PLAN": [{ Plan: Plan }] }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${sql}`);
      const plan = row["QUERY PLAN"][0].Plan;
      const unlimited = nodes(plan).filter((n) => n["Node Type"] !== "Limit" && (n.Plans ?? []).some((c) => c["Node Type"] === "Seq Scan"));
      expect(unlimited, JSON.stringify(plan)).toEqual([]);
      expect(plan["Node Type"] === "Seq Scan").toBe(false);
    }
  });
});

describe("listRequestsSql", () => {
  it("carries every input as a parameter, never in the SQL text", () => {
    const query: ListQuery = {
      organisationId: "00000000-0000-4000-8000-000000000007",
      status: "RESPONDED",
      overdue: true,
      search: { kind: "device", deviceId: "00-DB-12-34-56-78-90-A1" },
      after: { key: "raised", at: new Date("2026-03-04T05:06:07.089Z"), number: 424242 },
      now: NOW,
      limit: 51,
    };
    const sql = listRequestsSql(query);
    for (const value of ["00000000-0000-4000-8000-000000000007", "RESPONDED", "00-DB-12-34-56-78-90-A1", "424242", "2026-03-04", "51"]) {
      expect(sql.text).not.toContain(value);
    }
    expect(sql.values).toEqual(expect.arrayContaining([query.organisationId, "RESPONDED", "00-DB-12-34-56-78-90-A1", 424242, 51, NOW]));
    // The two sides of "raised by or assigned to", the second without the rows of the first.
    expect(sql.text).toMatch(/UNION ALL/);
    expect(sql.text).toMatch(/"raisingOrganisationId" <> \$\d+::uuid/);
    expect(sql.text).not.toMatch(/ OR r\."assignedOrganisationId"/);
  });
});
