import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db/client";
import type { Email } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { consume } from "@/lib/limits/rate-limit";
import { dispatchDueEmails, dispatcherIdle } from "@/lib/notifications/dispatcher";
import { parse } from "csv-parse/sync";
import { bulkRaiseRequests, type BulkRaiseResult, type BulkRaiseRow } from "@/lib/requests/bulk-raise";
import { bulkRaiseResultCsv, parseBulkRaiseCsv } from "@/lib/requests/bulk-raise-csv";
import { raiseRequest } from "@/lib/requests/raise-request";
import { formatReference, parseReference } from "@/lib/requests/reference";
import { BULK_RAISE_MAX_ROWS } from "@/lib/requests/schemas";
import { clockDueAt } from "@/lib/sla/rule";
import { env } from "@/lib/env";
import { makeBulkMix, type BulkMix } from "./bulk-mix";
import { addDevice, closeSeededDatabase, counts, eventsOf, expectRefused, ON_POSTGRES, openSeededDatabase, requestRow } from "./support";

// Bulk raise (issue 9, part 3; docs/decisions/019-bulk-raise.md): every row answered as a single raise
// would answer it, in one call, with one email per organisation for the whole file.

/** Open requests made directly (a fixture, not through the code under test), raised by `by`. */
async function openRequestsFor(by: Actor, deviceIds: string[], raisedAt: Date) {
  const devices = await db().device.findMany({ where: { deviceId: { in: deviceIds } }, select: { deviceId: true, preNotifiedById: true } });
  await db().installCodeRequest.createMany({
    data: devices.map((d) => ({
      deviceId: d.deviceId,
      raisedById: by.userId,
      raisingOrganisationId: by.organisationId,
      assignedOrganisationId: d.preNotifiedById,
      raisedAt,
      dueAt: clockDueAt(raisedAt, env().slaRule),
    })),
  });
  const rows = await db().installCodeRequest.findMany({ where: { deviceId: { in: deviceIds }, raisingOrganisationId: by.organisationId }, select: { deviceId: true, number: true } });
  return new Map(rows.map((r) => [r.deviceId, formatReference(r.number)]));
}

/** Email rows queued by `work`. */
async function emailsOf<T>(work: () => Promise<T>): Promise<{ result: T; emails: Email[] }> {
  await dispatcherIdle();
  const before = new Set((await db().email.findMany({ select: { id: true } })).map((e) => e.id));
  const result = await work();
  const emails = (await db().email.findMany({ orderBy: { to: "asc" } })).filter((e) => !before.has(e.id));
  return { result, emails };
}

describe(`bulk raise (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;
  let alice: Actor, amir: Actor, bob: Actor, erin: Actor, dana: Actor;

  beforeAll(async () => {
    // The row-by-row comparison raises some hundreds one at a time; the limit test sets its own.
    vi.stubEnv("RAISES_PER_ORGANISATION_PER_MINUTE", "1000000");
    vi.stubEnv("BULK_RAISES_PER_ORGANISATION_PER_HOUR", "40");
    people = await openSeededDatabase();
    ({ alice, amir, bob, erin, dana } = people);
  });
  afterAll(async () => {
    await closeSeededDatabase();
    vi.unstubAllEnvs();
  });

  describe("a file of 10,000 rows mixing every answer, in one call", () => {
    // Thursday 2 April 2026, 10:00 in London: due Monday 13 April (Easter), as a single raise then.
    const now = new Date("2026-04-02T10:00:00+01:00");
    let mix: BulkMix;
    let openBefore: Map<string, string>;
    let result: BulkRaiseResult;
    let emails: Email[];
    let before: Awaited<ReturnType<typeof counts>>;

    beforeAll(async () => {
      mix = await makeBulkMix({ size: 10_000, prefix: "E1", raiserOrganisationCode: "NWE", assigneeCodes: ["SFP", "EGP"] });
      // Half of the open requests were raised by Alice, half by her colleague Amir.
      const half = Math.ceil(mix.openBefore.length / 2);
      openBefore = new Map([
        ...(await openRequestsFor(alice, mix.openBefore.slice(0, half), new Date("2026-03-30T09:00:00Z"))),
        ...(await openRequestsFor(amir, mix.openBefore.slice(half), new Date("2026-03-30T09:00:00Z"))),
      ]);
      before = await counts();
      ({ result, emails } = await emailsOf(() => bulkRaiseRequests(alice, mix.rows, { now })));
    }, 600_000);

    it("mixes every kind of row", () => {
      expect(mix.rows).toHaveLength(10_000);
      expect(Object.keys(mix.kinds)).toHaveLength(17);
      for (const [kind, n] of Object.entries(mix.kinds)) expect(n, kind).toBeGreaterThanOrEqual(100);
    });

    it("answers every row, in the file's order, as the file was made to be answered", () => {
      expect(result.rows).toHaveLength(10_000);
      const referenceOfRow = new Map<number, string>();
      result.rows.forEach((row, i) => {
        const want = mix.expected[i];
        const where = `row ${i + 1}: ${JSON.stringify(mix.rows[i]).slice(0, 80)}`;
        expect(row.row, where).toBe(i + 1);
        expect(row.outcome, where).toBe(want.outcome);
        expect(row.deviceId, where).toBe(want.deviceId);
        if (want.outcome === "refused") {
          expect(row).toEqual({ row: i + 1, deviceId: want.deviceId, outcome: "refused", reason: want.reason, fieldErrors: { [want.field]: [want.reason] }, ...(want.sameAsRow ? { repeatOf: want.sameAsRow } : {}) });
          return;
        }
        if (row.outcome === "refused") throw new Error(where);
        expect(row.noteAdded, where).toBe(want.noteAdded);
        if (want.outcome === "raised") {
          expect(row.reference).toMatch(/^RIC\d{7}$/);
          expect(row.repeatOf).toBeUndefined();
          referenceOfRow.set(i + 1, row.reference);
        } else if (want.sameAsRow) {
          expect(row.reference, where).toBe(referenceOfRow.get(want.sameAsRow));
          expect(row.repeatOf, where).toBe(want.sameAsRow);
        } else {
          expect(row.reference, where).toBe(openBefore.get(want.deviceId));
        }
      });
      const raised = result.rows.filter((r) => r.outcome === "raised").map((r) => (r.outcome === "raised" ? r.reference : ""));
      expect(new Set(raised).size).toBe(raised.length);
      // References follow the file's order.
      expect(raised.map((r) => parseReference(r)!)).toEqual([...raised.map((r) => parseReference(r)!)].sort((a, b) => a - b));
    });

    it("counts each answer", () => {
      const want = { raised: 0, alreadyOpen: 0, refused: 0 };
      for (const e of mix.expected) want[e.outcome === "raised" ? "raised" : e.outcome === "already open" ? "alreadyOpen" : "refused"]++;
      expect(result.counts).toEqual(want);
      expect(want.raised).toBeGreaterThan(6_000);
      expect(want.alreadyOpen).toBeGreaterThan(1_000);
      expect(want.refused).toBeGreaterThan(1_500);
    });

    it("creates the raised requests, their notes and the notes added to open ones, and nothing for a refused row", async () => {
      const after = await counts();
      expect(after.requests - before.requests).toBe(result.counts.raised);
      const notes = mix.expected.filter((e) => e.outcome !== "refused" && e.noteAdded).length;
      expect(after.notes - before.notes).toBe(notes);
      const refused = mix.expected.flatMap((e) => (e.outcome === "refused" ? [e.deviceId] : []));
      expect(await db().installCodeRequest.count({ where: { deviceId: { in: refused } } })).toBe(0);
    });

    it("assigns each new request to the Supplier that pre-notified its Device, due as a single raise at that time would be", async () => {
      const raised = result.rows.flatMap((r) => (r.outcome === "raised" ? [r] : []));
      const rows = await db().installCodeRequest.findMany({ where: { number: { in: raised.map((r) => parseReference(r.reference)!) } }, include: { device: true } });
      expect(rows).toHaveLength(raised.length);
      for (const row of rows) {
        expect(row.assignedOrganisationId).toBe(row.device.preNotifiedById);
        expect(row).toMatchObject({ raisedById: alice.userId, raisingOrganisationId: alice.organisationId, status: "ASSIGNED" });
        expect(row.raisedAt.toISOString()).toBe("2026-04-02T09:00:00.000Z");
        expect(row.dueAt.toISOString()).toBe("2026-04-13T22:59:59.999Z");
      }
      expect(new Set(rows.map((r) => r.assignedOrganisationId))).toEqual(new Set([people.orgs.SFP, people.orgs.EGP]));
    });

    it("queues one email for each person of each assigned organisation: 3, not one per request", () => {
      expect(result.emailsQueued).toBe(3);
      expect(emails.map((e) => e.to)).toEqual(["bea@southfield.example", "bob@southfield.example", "erin@eastgate.example"]);
    });

    it("lists in each assigned organisation's email every request assigned to it, with the due day, and no note's body", async () => {
      const assignedTo = async (code: string) => {
        const rows = await db().installCodeRequest.findMany({
          where: { assignedOrganisationId: people.orgs[code], raisingOrganisationId: alice.organisationId, raisedAt: now, deviceId: { startsWith: "E1" } },
          select: { id: true, number: true, deviceId: true },
        });
        return rows;
      };
      for (const [code, addresses] of [["SFP", ["bea@southfield.example", "bob@southfield.example"]], ["EGP", ["erin@eastgate.example"]]] as const) {
        const assigned = await assignedTo(code);
        expect(assigned.length).toBeGreaterThan(3_000);
        for (const address of addresses) {
          const email = emails.find((e) => e.to === address)!;
          expect(email.subject).toBe(`${assigned.length.toLocaleString("en-GB")} Requests for Install Code assigned to your organisation by Northwind Energy`);
          expect(email.requestId).toBeNull();
          const lines = email.text.split("\n");
          for (const r of assigned) expect(lines).toContain(`${formatReference(r.number)}  Device ${r.deviceId}`);
          expect(email.text).toContain("Respond by the end of Monday 13 April 2026 (5 Working Days left).");
          expect(email.html).toContain(formatReference(assigned[0].number));
          for (const part of [email.subject, email.text, email.html]) {
            expect(part).not.toContain("consumer moved in");
            expect(part).not.toContain("Any news on this one?");
            expect(part).not.toContain("Repeated on row");
          }
          // The requests it is about: each assigned one, and each open one of this organisation that got a note.
          expect(new Set(email.requestIds)).toEqual(
            new Set([
              ...assigned.map((r) => r.id),
              ...(await db().installCodeRequest.findMany({
                where: { assignedOrganisationId: people.orgs[code], raisedAt: { lt: now }, notes: { some: {} }, deviceId: { startsWith: "E1" } },
                select: { id: true },
              })).map((r) => r.id),
            ]),
          );
        }
      }
    });

    it("emails nobody at Northwind of the notes its own file added, even to the requests Amir raised: the requests are Northwind's, which wrote them", async () => {
      const his = await db().installCodeRequest.count({
        where: { raisedById: amir.userId, deviceId: { startsWith: "E1" }, notes: { some: { authorId: alice.userId } } },
      });
      expect(his).toBeGreaterThan(10);
      expect(emails.filter((e) => e.to.endsWith("@northwind.example"))).toEqual([]);
    });

    it("gives each new request the timeline of a single raise: RAISED, ASSIGNED, its note, and EMAIL_QUEUED for the one email", async () => {
      const sample = result.rows.filter((r) => r.outcome === "raised").filter((_, i) => i % 500 === 0);
      for (const row of sample) {
        if (row.outcome !== "raised") continue;
        const events = await eventsOf(row.reference);
        const repeats = result.rows.filter((r) => r.outcome === "already open" && r.repeatOf === row.row && r.noteAdded).length;
        const toSfp = (await requestRow(row.reference)).assignedOrganisationId === people.orgs.SFP;
        expect(events.map((e) => e.type)).toEqual([
          "RAISED",
          "ASSIGNED",
          ...(row.noteAdded ? ["NOTE_ADDED"] : []),
          ...Array(repeats).fill("NOTE_ADDED"),
          ...Array(toSfp ? 2 : 1).fill("EMAIL_QUEUED"),
        ]);
        expect(events[0]).toMatchObject({ actorId: alice.userId, actorOrganisationId: alice.organisationId });
        expect(events[1]).toMatchObject({ actorId: null, organisationId: toSfp ? people.orgs.SFP : people.orgs.EGP });
      }
    });

    it("records the sending of the one email on every request it lists", async () => {
      await dispatcherIdle();
      while ((await dispatchDueEmails({ keepInMailbox: true })).sent > 0);
      const raised = result.rows.find((r) => r.outcome === "raised" && r.deviceId.startsWith("E1"));
      if (raised?.outcome !== "raised") throw new Error("no raised row");
      const events = await db().requestEvent.findMany({ where: { requestId: (await requestRow(raised.reference)).id, type: "EMAIL_SENT" } });
      expect(events.length).toBeGreaterThanOrEqual(1);
      const listed = emails.flatMap((e) => e.requestIds);
      expect(await db().requestEvent.count({ where: { type: "EMAIL_SENT", requestId: { in: [...new Set(listed)] } } })).toBe(listed.length);
    });
  });

  it("answers each row exactly as raising the rows one at a time answers them (the same file twice over, on twin Devices)", async () => {
    // Two identical files on twin Devices (E2..., E3...) in the same state: one raised in bulk, the
    // other row by row with raiseRequest. Their answers must agree row for row, once the twin prefix
    // and the references (compared by the Device they name) are set aside.
    const twins = await Promise.all(
      ["E2", "E3"].map((prefix) => makeBulkMix({ size: 300, prefix, raiserOrganisationCode: "NWE", assigneeCodes: ["SFP", "EGP"] })),
    );
    for (const twin of twins) await openRequestsFor(amir, twin.openBefore, new Date("2026-03-30T09:00:00Z"));
    const now = new Date("2026-04-02T10:00:00+01:00");

    const bulk = await bulkRaiseRequests(alice, twins[0].rows, { now });
    const single: ({ reference: string; created: boolean; noteAdded: boolean } | AppError)[] = [];
    for (const row of twins[1].rows) {
      try {
        single.push(await raiseRequest(alice, row, { now }));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        single.push(error);
      }
    }

    const deviceOf = new Map(
      (await db().installCodeRequest.findMany({ where: { raisingOrganisationId: alice.organisationId }, select: { number: true, deviceId: true } })).map((r) => [formatReference(r.number), r.deviceId]),
    );
    const twin = (text: string) => text.replace(/\bE[23]((?:-[0-9A-F]{2}){7})\b/g, "XX$1");
    const fromBulk = bulk.rows.map((r) =>
      r.outcome === "refused" ? { refused: "VALIDATION", fieldErrors: JSON.parse(twin(JSON.stringify(r.fieldErrors))) } : { device: twin(deviceOf.get(r.reference)!), created: r.outcome === "raised", noteAdded: r.noteAdded },
    );
    const oneByOne = single.map((r) =>
      r instanceof AppError ? { refused: r.code, fieldErrors: JSON.parse(twin(JSON.stringify(r.fieldErrors))) } : { device: twin(deviceOf.get(r.reference)!), created: r.created, noteAdded: r.noteAdded },
    );
    expect(fromBulk).toEqual(oneByOne);
    // Every kind of answer is in the comparison.
    expect(new Set(fromBulk.map((r) => ("refused" in r ? `refused ${Object.keys(r.fieldErrors)}` : r.created ? "raised" : `open ${r.noteAdded}`)))).toEqual(
      new Set(["raised", "open true", "open false", "refused deviceId", "refused note"]),
    );
    // And the same was written: requests and notes, world for world.
    for (const prefix of ["E2", "E3"]) {
      const requests = await db().installCodeRequest.count({ where: { deviceId: { startsWith: prefix }, raisedById: alice.userId } });
      const notes = await db().note.count({ where: { request: { deviceId: { startsWith: prefix } } } });
      expect({ requests, notes }).toEqual({
        requests: bulk.counts.raised,
        notes: twins[0].expected.filter((e) => e.outcome !== "refused" && e.noteAdded).length,
      });
    }
  }, 600_000);

  describe("refuses the whole call, creating nothing,", () => {
    it("for the helpdesk (only Suppliers raise)", async () => {
      const deviceId = await addDevice("SFP");
      const before = await counts();
      await expectRefused(bulkRaiseRequests(dana, [{ deviceId }]), "FORBIDDEN", "Only Supplier users can raise a Request for Install Code");
      expect(await counts()).toEqual(before);
    });

    it("for no rows, or more than 10,000", async () => {
      const deviceId = await addDevice("SFP");
      const before = await counts();
      const none = await expectRefused(bulkRaiseRequests(alice, []), "VALIDATION");
      expect(none.fieldErrors).toEqual({ rows: ["There are no rows: give one row per Device"] });
      const tooMany = await expectRefused(bulkRaiseRequests(alice, Array<BulkRaiseRow>(BULK_RAISE_MAX_ROWS + 1).fill({ deviceId })), "VALIDATION");
      expect(tooMany.fieldErrors).toEqual({ rows: ["At most 10,000 rows can be raised at once: split the file"] });
      expect(await counts()).toEqual(before);
    });

    it("over the organisation's bulk-raise limit, saying when to try again; the per-minute raise limit is not used up", async () => {
      const rule = { name: "bulk-raise", points: env().bulkRaisesPerOrganisationPerHour, durationSeconds: 3600 };
      for (let i = 0; i < rule.points; i++) await consume(rule, erin.organisationId);
      const deviceId = await addDevice("SFP");
      const before = await counts();
      const error = await expectRefused(bulkRaiseRequests(erin, [{ deviceId }]), "RATE_LIMITED");
      expect(error.message).toMatch(/^Your organisation has made 40 bulk raises in the last hour, the most allowed\. Try again in \d+ minutes\.$/);
      expect(error.retryAfterSeconds).toBeGreaterThan(3000);
      expect(await counts()).toEqual(before);
      // A single raise still goes through, and another organisation's bulk raise too.
      expect((await raiseRequest(erin, { deviceId })).created).toBe(true);
      expect((await bulkRaiseRequests(bob, [{ deviceId: await addDevice("EGP") }])).counts.raised).toBe(1);
    });

    it("when anything fails on the way: all rows or none, and no email", async () => {
      const deviceIds = [await addDevice("SFP"), await addDevice("EGP"), await addDevice("SFP")];
      const open = await raiseRequest(alice, { deviceId: await addDevice("SFP") });
      // The very last write of the call, an email to Erin, fails (as a full disk or a lost connection would).
      await db().$executeRawUnsafe(`CREATE FUNCTION bulk_test_refuse_email() RETURNS trigger AS $$
        BEGIN IF NEW."to" = 'erin@eastgate.example' THEN RAISE EXCEPTION 'the database failed'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await db().$executeRawUnsafe(`CREATE TRIGGER bulk_test_refuse_email BEFORE INSERT ON "Email" FOR EACH ROW EXECUTE FUNCTION bulk_test_refuse_email()`);
      try {
        await dispatcherIdle();
        const before = await counts();
        const rows = [...deviceIds.map((deviceId) => ({ deviceId, note: "Please send the code" })), { deviceId: (await requestRow(open.reference)).deviceId, note: "Any news?" }];
        await expect(bulkRaiseRequests(alice, rows)).rejects.toThrow(/the database failed/);
        expect(await counts()).toEqual(before);
        expect(await db().installCodeRequest.count({ where: { deviceId: { in: deviceIds } } })).toBe(0);
      } finally {
        await db().$executeRawUnsafe(`DROP TRIGGER bulk_test_refuse_email ON "Email"`);
        await db().$executeRawUnsafe(`DROP FUNCTION bulk_test_refuse_email()`);
      }
      // Nothing was held back: the same file raises them now.
      expect((await bulkRaiseRequests(alice, deviceIds.map((deviceId) => ({ deviceId })))).counts).toEqual({ raised: 3, alreadyOpen: 0, refused: 0 });
    });
  });

  it("answers a file with only refused and already-open rows without raising or emailing anyone but the notes' readers", async () => {
    const deviceId = await addDevice("SFP");
    const open = await raiseRequest(alice, { deviceId });
    const { result, emails } = await emailsOf(() =>
      bulkRaiseRequests(alice, [{ deviceId: "00-DB-12-34-56-78-90-FF" }, { deviceId: deviceId.toLowerCase() }, { deviceId, note: "Consumer is waiting" }]),
    );
    expect(result.counts).toEqual({ raised: 0, alreadyOpen: 2, refused: 1 });
    expect(result.rows[2]).toEqual({ row: 3, deviceId, repeatOf: 2, outcome: "already open", reference: open.reference, noteAdded: true });
    // Southfield is told of the note, once, without its body; Alice wrote it and raised the request: not her.
    expect(emails.map((e) => e.to)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    expect(emails[0].subject).toBe("Northwind Energy added notes to 1 request");
    expect(emails[0].requestId).toBe((await requestRow(open.reference)).id);
    expect(emails[0].text).not.toContain("Consumer is waiting");
  });

  it("raises from an uploaded CSV, and answers it as a CSV, every row in order", async () => {
    const [a, b] = [await addDevice("SFP"), await addDevice("EGP")];
    const upload = `device_id,note\n${a},"Moved in, 2 Nov"\n${b.toLowerCase()}\n"=HYPERLINK(""http://evil.example"")",x\n${a}\n00-DB-12-34-56-78-90-C1,\n`;
    const parsed = parseBulkRaiseCsv(upload);
    if (!parsed.ok) throw new Error(parsed.message);
    const result = await bulkRaiseRequests(alice, parsed.rows);
    const records = parse(bulkRaiseResultCsv(result)) as string[][];
    const [ra, rb] = result.rows.map((r) => (r.outcome === "refused" ? "" : r.reference));
    expect(records).toEqual([
      ["device_id", "outcome", "reference", "reason"],
      [a, "raised", ra, "The note was added to it"],
      [b, "raised", rb, ""],
      [`'=HYPERLINK("http://evil.example")`, "refused", "", "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0"],
      [a, "already open", ra, "The Device is also on row 1 of this file"],
      ["00-DB-12-34-56-78-90-C1", "refused", "", "Device 00-DB-12-34-56-78-90-C1 is commissioned: an Install Code can only be requested for a Device that is not yet commissioned"],
    ]);
    expect((await db().note.findMany({ where: { request: { deviceId: a } } })).map((n) => n.body)).toEqual(["Moved in, 2 Nov"]);
  });

  it("stays one request per Device and organisation when single raises and another bulk raise run at the same time", async () => {
    const deviceIds = await Promise.all(Array.from({ length: 40 }, (_, i) => addDevice(i % 2 ? "SFP" : "EGP")));
    const reversed = [...deviceIds].reverse();
    const [first, second, ...singles] = await Promise.all([
      bulkRaiseRequests(alice, deviceIds.map((deviceId) => ({ deviceId }))),
      bulkRaiseRequests(amir, reversed.map((deviceId) => ({ deviceId }))),
      ...deviceIds.filter((_, i) => i % 4 === 0).map((deviceId) => raiseRequest(alice, { deviceId })),
    ]);
    const rows = await db().installCodeRequest.findMany({ where: { deviceId: { in: deviceIds } } });
    expect(rows).toHaveLength(deviceIds.length);
    const referenceOf = new Map(rows.map((r) => [r.deviceId, formatReference(r.number)]));
    for (const result of [first, second]) {
      expect(result.counts.refused).toBe(0);
      for (const row of result.rows) if (row.outcome !== "refused") expect(row.reference).toBe(referenceOf.get(row.deviceId));
    }
    expect(first.counts.raised + second.counts.raised + (singles as { created: boolean }[]).filter((s) => s.created).length).toBe(deviceIds.length);
  }, 120_000);
});
