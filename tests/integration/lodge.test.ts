import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { database, db } from "@/lib/db/client";
import { DEMO_DEVICES } from "@/lib/db/seed";
import { decryptInstallCode } from "@/lib/install-code/encryption";
import {
  listLodgedInstallCodes,
  lodgedCodeContext,
  lodgeInstallCode,
  lodgeInstallCodes,
  lodgeInstallCodesFromCsv,
  ONLY_SUPPLIERS_MESSAGE,
  withdrawLodgedInstallCode,
} from "@/lib/install-code/lodge";
import { runImport } from "@/lib/inventory/import/run-import";
import { env } from "@/lib/env";
import { clocksOfRequests } from "@/lib/sla/statistics";
import { raiseRequest } from "@/lib/requests/raise-request";
import { revealInstallCode } from "@/lib/requests/reveal-install-code";
import { viewRequest } from "@/lib/requests/view-request";
import { goodRow, workDir, writeCsv } from "./inventory/support";
import {
  addDevice,
  closeSeededDatabase,
  emailsQueuedBy,
  eventsOf,
  expectRefused,
  ON_POSTGRES,
  openSeededDatabase,
  recipients,
  requestRow,
} from "./requests/support";

// Install Codes lodged in advance (issue 9, part 4): lodged, replaced and withdrawn by the Supplier
// that pre-notified the Device, seen by nobody else, answering a later request the moment it is
// raised, and dropped when the SMI says the Device is commissioned.

// ELIGIBLE_DEVICE_STATUSES is read once per process: one test widens it to reach a stale lodged code.
const eligibility = vi.hoisted(() => ({ extra: [] as string[] }));
vi.mock("@/lib/env", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/env")>();
  return {
    ...real,
    env: () => (eligibility.extra.length ? { ...real.env(), eligibleDeviceStatuses: [...real.env().eligibleDeviceStatuses, ...eligibility.extra] } : real.env()),
  };
});

const LABEL_CODE = "83FED3407A939723A5C639B26916D505C3B5"; // DOMAIN.md's example with its CRC
const BARE_CODE = "83FED3407A939723A5C639B26916D505";
const NEW_CODE = "00112233445566778899AABBCCDDEEFF";
const SHORT_CODE = "0123456789AB";
const MASKED_32 = "•••••••• (32 hexadecimal digits, hidden)";

describe(`Install Codes lodged in advance (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let people: Awaited<ReturnType<typeof openSeededDatabase>>;
  let alice: Actor, bob: Actor, bea: Actor, erin: Actor, dana: Actor;

  beforeAll(async () => {
    people = await openSeededDatabase();
    ({ alice, bob, bea, erin, dana } = people);
  });
  afterEach(() => {
    eligibility.extra = [];
  });
  afterAll(closeSeededDatabase);

  const lodgedRow = (deviceId: string) => db().lodgedInstallCode.findUnique({ where: { deviceId } });
  const auditOf = (deviceId: string) => db().auditEvent.findMany({ where: { subject: deviceId }, orderBy: { sequence: "asc" } });
  /** Everything a lodge could write, to show that a refusal writes nothing. */
  const written = async () => ({ lodged: await db().lodgedInstallCode.count(), audit: await db().auditEvent.count(), emails: await db().email.count() });

  /** Nothing anywhere but the encrypted columns holds the code: no audit entry, event, email. */
  async function expectCodeNowhereInClear(code: string) {
    const audit = JSON.stringify(await db().auditEvent.findMany(), (_k, v) => (typeof v === "bigint" ? String(v) : v));
    const events = JSON.stringify(await db().requestEvent.findMany(), (_k, v) => (typeof v === "bigint" ? String(v) : v));
    const emails = JSON.stringify(await db().email.findMany());
    const lodged = JSON.stringify(await db().lodgedInstallCode.findMany());
    for (const text of [audit, events, emails, lodged]) expect(text).not.toContain(code);
  }

  describe("lodge, replace, withdraw", () => {
    it("lodges a code, encrypted, for the Device the organisation pre-notified, and audits it without the code", async () => {
      const deviceId = await addDevice("SFP");
      const at = new Date("2026-11-30T10:00:00Z");
      // Lower case, no separators, the code with its CRC: stored as the bare code.
      const result = await lodgeInstallCode(bob, { deviceId: deviceId.replaceAll("-", "").toLowerCase(), installCode: LABEL_CODE.toLowerCase() }, { now: at });
      expect(result).toEqual({ deviceId, outcome: "lodged", lodgedAt: at, masked: MASKED_32 });

      const row = (await lodgedRow(deviceId))!;
      expect(row).toMatchObject({ organisationId: people.orgs.SFP, lodgedById: bob.userId, lodgedAt: at });
      expect(row.encrypted).toMatch(/^v2\.[0-9a-f]{8}\./);
      expect(decryptInstallCode(row.encrypted, lodgedCodeContext(deviceId, people.orgs.SFP!))).toBe(BARE_CODE);
      // Bound to its Device and organisation: copied elsewhere, it does not decrypt.
      expect(() => decryptInstallCode(row.encrypted, lodgedCodeContext(deviceId, people.orgs.NWE!))).toThrow();

      const audit = await auditOf(deviceId);
      expect(audit.map((a) => [a.type, a.actorEmail, a.actorOrganisationCode])).toEqual([["INSTALL_CODE_LODGED", bob.email, "SFP"]]);
      await expectCodeNowhereInClear(BARE_CODE);
    });

    it("replaces the organisation's code with a new one (any of its users), keeping one per Device", async () => {
      const deviceId = await addDevice("SFP");
      await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE });
      const replaced = await lodgeInstallCode(bea, { deviceId, installCode: SHORT_CODE }, { now: new Date("2026-12-01T09:00:00Z") });
      expect(replaced).toMatchObject({ outcome: "replaced", masked: "•••••••• (12 hexadecimal digits, hidden)" });
      expect(await db().lodgedInstallCode.count({ where: { deviceId } })).toBe(1);
      const row = (await lodgedRow(deviceId))!;
      expect(row).toMatchObject({ lodgedById: bea.userId, lodgedAt: new Date("2026-12-01T09:00:00Z") });
      expect(decryptInstallCode(row.encrypted, lodgedCodeContext(deviceId, people.orgs.SFP!))).toBe(SHORT_CODE);
      expect((await auditOf(deviceId)).map((a) => [a.type, a.actorEmail])).toEqual([
        ["INSTALL_CODE_LODGED", bob.email],
        ["LODGED_INSTALL_CODE_REPLACED", bea.email],
      ]);
    });

    it("withdraws it for its own organisation only; anyone else is told there is none, as when there is none", async () => {
      const deviceId = await addDevice("SFP");
      await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE });
      const none = `Your organisation has no Install Code lodged for Device ${deviceId}`;
      const before = await written();
      await expectRefused(withdrawLodgedInstallCode(erin, { deviceId }), "NOT_FOUND", none);
      await expectRefused(withdrawLodgedInstallCode(alice, { deviceId: deviceId.toLowerCase() }), "NOT_FOUND", none);
      await expectRefused(withdrawLodgedInstallCode(dana, { deviceId }), "FORBIDDEN", ONLY_SUPPLIERS_MESSAGE);
      expect(await written()).toEqual(before);

      expect(await withdrawLodgedInstallCode(bea, { deviceId })).toEqual({ deviceId });
      expect(await lodgedRow(deviceId)).toBeNull();
      expect((await auditOf(deviceId)).map((a) => [a.type, a.actorEmail])).toEqual([
        ["INSTALL_CODE_LODGED", bob.email],
        ["LODGED_INSTALL_CODE_WITHDRAWN", bea.email],
      ]);
      await expectRefused(withdrawLodgedInstallCode(bob, { deviceId }), "NOT_FOUND", none);
      // Lodged again after a withdrawal: a new lodge, not a replacement.
      expect((await lodgeInstallCode(bob, { deviceId, installCode: NEW_CODE })).outcome).toBe("lodged");
    });

    it("refuses, in the page's words, every Device the organisation may not lodge for, and writes nothing", async () => {
      const sfp = await addDevice("SFP");
      const nwe = await addDevice("NWE");
      const commissioned = await addDevice("SFP", { status: "Commissioned" });
      const decommissioned = await addDevice("SFP", { status: "Decommissioned" });
      const pending = await addDevice("SFP", { status: "Pending" });
      const whitelisted = await addDevice("SFP", { status: "Whitelisted" });
      const cad = await addDevice("SFP", { deviceType: "CAD", status: null });
      const before = await written();
      const refusals: [Actor, Record<string, string>, string, Record<string, string[]>?][] = [
        [bob, { deviceId: DEMO_DEVICES.unknown, installCode: LABEL_CODE }, `No Device ${DEMO_DEVICES.unknown} in the Smart Metering Inventory`],
        [
          bob,
          { deviceId: nwe, installCode: LABEL_CODE },
          `Device ${nwe} was not pre-notified by your organisation: only the Supplier that pre-notified a Device can lodge its Install Code`,
        ],
        [
          erin,
          { deviceId: sfp, installCode: LABEL_CODE },
          `Device ${sfp} was not pre-notified by your organisation: only the Supplier that pre-notified a Device can lodge its Install Code`,
        ],
        [bob, { deviceId: commissioned, installCode: LABEL_CODE }, `Device ${commissioned} is commissioned: an Install Code can only be lodged for a Device that is not yet commissioned`],
        [bob, { deviceId: decommissioned, installCode: LABEL_CODE }, `Device ${decommissioned} is decommissioned: an Install Code can only be lodged for a Device that is not yet commissioned`],
        [bob, { deviceId: cad, installCode: LABEL_CODE }, `Device ${cad} is a consumer access device (CAD), a Type 2 Device: an Install Code can only be lodged for a Type 1 Device`],
        [bob, { deviceId: DEMO_DEVICES.inHomeDisplay, installCode: LABEL_CODE }, `Device ${DEMO_DEVICES.inHomeDisplay} is an in-home display (IHD), a Type 2 Device: an Install Code can only be lodged for a Type 1 Device`],
      ];
      for (const [actor, input, message] of refusals) {
        const error = await expectRefused(lodgeInstallCode(actor, input as { deviceId: string; installCode: string }), "VALIDATION", message);
        expect(error.fieldErrors).toEqual({ deviceId: [message] });
      }
      // The input itself: the same messages as a raise and a provided code.
      const bad: [Record<string, string>, Record<string, string[]>][] = [
        [{ deviceId: "00-DB-12", installCode: LABEL_CODE }, { deviceId: ["Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0"] }],
        [{ deviceId: sfp, installCode: "83FED3407A939723A5C639B26916D505C3B6" }, { installCode: ["Install Code CRC does not match: check the label"] }],
        [
          { deviceId: sfp, installCode: "12345" },
          { installCode: ["Install Code must be 12, 16, 24 or 32 hexadecimal digits, or the same followed by its 4-digit CRC as printed on the label"] },
        ],
        [{ deviceId: "", installCode: "" }, { deviceId: ["Enter a Device ID"], installCode: ["Enter the Install Code"] }],
      ];
      for (const [input, fieldErrors] of bad) {
        const error = await expectRefused(lodgeInstallCode(bob, input as { deviceId: string; installCode: string }), "VALIDATION");
        expect(error.fieldErrors).toEqual(fieldErrors);
        expect(JSON.stringify(error)).not.toContain("83FED3407A939723A5C639B26916D505");
      }
      await expectRefused(lodgeInstallCode(dana, { deviceId: sfp, installCode: LABEL_CODE }), "FORBIDDEN", ONLY_SUPPLIERS_MESSAGE);
      expect(await written()).toEqual(before);

      // Every status before commissioning is allowed.
      for (const deviceId of [sfp, pending, whitelisted]) expect((await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE })).outcome).toBe("lodged");
    });

    it("serialises two lodges of one Device at once: one lodges, the other replaces it", async () => {
      const deviceId = await addDevice("SFP");
      const results = await Promise.all([lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE }), lodgeInstallCode(bea, { deviceId, installCode: NEW_CODE })]);
      expect(results.map((r) => r.outcome).sort()).toEqual(["lodged", "replaced"]);
      expect(await db().lodgedInstallCode.count({ where: { deviceId } })).toBe(1);
    });
  });

  describe("many at once", () => {
    it("answers every CSV row: lodged, replaced or refused with the reason a single lodge gives, and never echoes a code", async () => {
      const fresh = await addDevice("SFP");
      const again = await addDevice("SFP");
      const twice = await addDevice("SFP");
      const theirs = await addDevice("EGP");
      const commissioned = await addDevice("SFP", { status: "Commissioned" });
      await lodgeInstallCode(bob, { deviceId: again, installCode: LABEL_CODE });
      const before = await db().lodgedInstallCode.count();
      const csv = [
        "\uFEFFDevice_ID,Install_Code", // a BOM and a header in another case
        `${fresh.toLowerCase()},${LABEL_CODE}`, // 2
        `${again},${NEW_CODE}`, // 3
        "", // skipped
        `${DEMO_DEVICES.unknown},${LABEL_CODE}`, // 5
        `${theirs},${LABEL_CODE}`, // 6
        `${commissioned},${LABEL_CODE}`, // 7
        `${twice},${LABEL_CODE}`, // 8
        `${twice.replaceAll("-", "")},${NEW_CODE}`, // 9
        `${fresh.replace("0A", "0B")},83FED3407A939723A5C639B26916D505C3B6`, // 10: bad CRC
        `${LABEL_CODE},${fresh}`, // 11: the columns swapped: the code is not shown back
        `"${fresh}"`, // 12: one value
        `  ${again} , ${SHORT_CODE} `.replace(again, DEMO_DEVICES.inHomeDisplay), // 13
      ].join("\r\n");
      const summary = await lodgeInstallCodesFromCsv(bob, csv);
      const notPreNotified = `Device ${theirs} was not pre-notified by your organisation: only the Supplier that pre-notified a Device can lodge its Install Code`;
      expect(summary.rows).toEqual([
        { line: 2, deviceId: fresh, outcome: "lodged" },
        { line: 3, deviceId: again, outcome: "replaced" },
        { line: 5, deviceId: DEMO_DEVICES.unknown, outcome: "refused", reason: `No Device ${DEMO_DEVICES.unknown} in the Smart Metering Inventory` },
        { line: 6, deviceId: theirs, outcome: "refused", reason: notPreNotified },
        {
          line: 7,
          deviceId: commissioned,
          outcome: "refused",
          reason: `Device ${commissioned} is commissioned: an Install Code can only be lodged for a Device that is not yet commissioned`,
        },
        { line: 8, deviceId: twice, outcome: "refused", reason: `Device ${twice} is on more than one line (8 and 9): lodge each Device once` },
        { line: 9, deviceId: twice, outcome: "refused", reason: `Device ${twice} is on more than one line (8 and 9): lodge each Device once` },
        { line: 10, deviceId: fresh.replace("0A", "0B"), outcome: "refused", reason: "Install Code CRC does not match: check the label" },
        { line: 11, deviceId: "", outcome: "refused", reason: "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0" },
        { line: 12, deviceId: "", outcome: "refused", reason: "A row has 2 values: device_id,install_code" },
        {
          line: 13,
          deviceId: DEMO_DEVICES.inHomeDisplay,
          outcome: "refused",
          reason: `Device ${DEMO_DEVICES.inHomeDisplay} is an in-home display (IHD), a Type 2 Device: an Install Code can only be lodged for a Type 1 Device`,
        },
      ]);
      expect(summary.counts).toEqual({ lodged: 1, replaced: 1, refused: 9 });
      expect(JSON.stringify(summary)).not.toMatch(/83FED3407A939723|00112233445566778899/i);
      expect(await db().lodgedInstallCode.count()).toBe(before + 1);
      const decrypt = async (deviceId: string) => decryptInstallCode((await lodgedRow(deviceId))!.encrypted, lodgedCodeContext(deviceId, people.orgs.SFP!));
      expect(await decrypt(fresh)).toBe(BARE_CODE);
      expect(await decrypt(again)).toBe(NEW_CODE);
      expect(await lodgedRow(twice)).toBeNull();
      expect((await auditOf(fresh)).map((a) => a.type)).toEqual(["INSTALL_CODE_LODGED"]);
      expect((await auditOf(again)).map((a) => a.type)).toEqual(["INSTALL_CODE_LODGED", "LODGED_INSTALL_CODE_REPLACED"]);
      // The same row alone gives the same refusal through the single lodge.
      await expectRefused(lodgeInstallCode(bob, { deviceId: theirs, installCode: LABEL_CODE }), "VALIDATION", notPreNotified);
    });

    it("refuses a file that is not such a CSV as a whole, without quoting it", async () => {
      const deviceId = await addDevice("SFP");
      const before = await written();
      const cases: [string, string][] = [
        ["", "The file is empty. The first line must be the header device_id,install_code"],
        [`deviceId,installCode\n${deviceId},${LABEL_CODE}`, "The first line must be the header device_id,install_code"],
        [`${deviceId},${LABEL_CODE}`, "The first line must be the header device_id,install_code"],
        ["device_id,install_code\n\n", "The file has no rows after its header"],
        [`device_id,install_code\n${deviceId},"${LABEL_CODE}`, "The file is not a CSV we can read (near line 2): check its quotes"],
        [
          ["device_id,install_code", ...Array.from({ length: 10_001 }, () => `${deviceId},${LABEL_CODE}`)].join("\n"),
          "The file has 10,001 rows: at most 10,000 at once",
        ],
      ];
      for (const [csv, message] of cases) {
        const error = await expectRefused(lodgeInstallCodesFromCsv(bob, csv), "VALIDATION");
        expect(error.fieldErrors).toEqual({ file: [message] });
        expect(JSON.stringify(error)).not.toContain("83FED340");
      }
      await expectRefused(lodgeInstallCodesFromCsv(dana, `device_id,install_code\n${deviceId},${LABEL_CODE}`), "FORBIDDEN", ONLY_SUPPLIERS_MESSAGE);
      expect(await written()).toEqual(before);
    });

    it("lodges the API's JSON rows the same way, numbering them from 1", async () => {
      const [a, b] = [await addDevice("SFP"), await addDevice("SFP")];
      const summary = await lodgeInstallCodes(bob, [{ deviceId: a, installCode: LABEL_CODE }, { deviceId: b }, { deviceId: "nope", installCode: LABEL_CODE }]);
      expect(summary.rows).toEqual([
        { line: 1, deviceId: a, outcome: "lodged" },
        { line: 2, deviceId: b, outcome: "refused", reason: "Enter the Install Code" },
        { line: 3, deviceId: "", outcome: "refused", reason: "Device ID must be 16 hexadecimal digits, like 00-DB-12-34-56-78-90-A0" },
      ]);
      await expectRefused(lodgeInstallCodes(bob, []), "VALIDATION");
      await expectRefused(lodgeInstallCodes(erin, "not rows" as never), "VALIDATION");
    });

    it("lodges a file of 2,000 rows in chunks, each row answered", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 2_000; i++) ids.push(`0D-00-00-00-00-00-${(i >> 8).toString(16).padStart(2, "0")}-${(i & 255).toString(16).padStart(2, "0")}`.toUpperCase());
      await db().device.createMany({
        data: ids.map((deviceId) => ({
          deviceId,
          deviceType: "ESME",
          status: "InstalledNotCommissioned",
          manufacturer: "Test Meters Ltd",
          model: "TM-2",
          firmwareVersion: "1.0.0",
          preNotifiedById: people.orgs.SFP!,
        })),
      });
      const summary = await lodgeInstallCodesFromCsv(bob, ["device_id,install_code", ...ids.map((id) => `${id},${LABEL_CODE}`)].join("\n"));
      expect(summary.counts).toEqual({ lodged: 2_000, replaced: 0, refused: 0 });
      expect(summary.rows.map((r) => r.line)).toEqual(ids.map((_, i) => i + 2));
      expect(await db().lodgedInstallCode.count({ where: { deviceId: { in: ids } } })).toBe(2_000);
      expect(await db().auditEvent.count({ where: { type: "INSTALL_CODE_LODGED", subject: { in: ids } } })).toBe(2_000);
    });
  });

  describe("who sees a lodged code", () => {
    it("lists the organisation's own codes, newest first, a page at a time, without the codes", async () => {
      const mine = [await addDevice("EGP"), await addDevice("EGP"), await addDevice("EGP")];
      for (const [i, deviceId] of mine.entries()) {
        await lodgeInstallCode(erin, { deviceId, installCode: i === 1 ? SHORT_CODE : LABEL_CODE }, { now: new Date(Date.UTC(2026, 10, 30, 9, i)) });
      }
      const first = await listLodgedInstallCodes(erin, { limit: 2 });
      expect(first.total).toBe(3);
      expect(first.codes.map((c) => c.deviceId)).toEqual([mine[2], mine[1]]);
      expect(first.codes[1]).toEqual({
        deviceId: mine[1],
        lodgedAt: new Date(Date.UTC(2026, 10, 30, 9, 1)),
        lodgedBy: "Erin Walsh",
        deviceType: "ESME",
        deviceStatus: "InstalledNotCommissioned",
        masked: "•••••••• (12 hexadecimal digits, hidden)",
      });
      const second = await listLodgedInstallCodes(erin, { limit: "2", after: first.next! });
      expect(second.codes.map((c) => c.deviceId)).toEqual([mine[0]]);
      expect(second.next).toBeNull();
      expect((await listLodgedInstallCodes(erin, { deviceId: mine[1]!.toLowerCase() })).codes.map((c) => c.deviceId)).toEqual([mine[1]]);
      expect(JSON.stringify([first, second])).not.toMatch(/83FED3407A939723|0123456789AB|v[12]\./);

      // Nobody else's list holds them; the helpdesk has no list at all.
      for (const other of [alice, bob]) {
        const page = await listLodgedInstallCodes(other, { limit: 200 });
        expect(page.codes.map((c) => c.deviceId)).not.toEqual(expect.arrayContaining([mine[0]]));
        expect((await listLodgedInstallCodes(other, { deviceId: mine[0] })).codes).toEqual([]);
      }
      await expectRefused(listLodgedInstallCodes(dana), "FORBIDDEN", ONLY_SUPPLIERS_MESSAGE);
      await expectRefused(listLodgedInstallCodes(erin, { after: "garbage" }), "VALIDATION", "Check the highlighted fields");
      await expectRefused(listLodgedInstallCodes(erin, { limit: 201 }), "VALIDATION");
    });

    it("is invisible to the raiser before the request, then revealed to it only through the request; never to a third Supplier or the helpdesk", async () => {
      const deviceId = await addDevice("SFP");
      await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE });
      // Before: Alice has no way to it (no list row, no withdraw, no lodge over it).
      expect((await listLodgedInstallCodes(alice, { deviceId })).codes).toEqual([]);
      await expectRefused(withdrawLodgedInstallCode(alice, { deviceId }), "NOT_FOUND");
      await expectRefused(lodgeInstallCode(alice, { deviceId, installCode: NEW_CODE }), "VALIDATION");

      const { reference } = await raiseRequest(alice, { deviceId });
      expect((await revealInstallCode(alice, { reference })).installCode).toBe(BARE_CODE);
      expect((await revealInstallCode(bob, { reference })).installCode).toBe(BARE_CODE);
      await expectRefused(revealInstallCode(erin, { reference }), "NOT_FOUND");
      await expectRefused(revealInstallCode(dana, { reference }), "FORBIDDEN");
      const helpdeskView = await viewRequest(dana, reference);
      expect(helpdeskView.installCodes.map((c) => [c.canReveal, c.masked])).toEqual([[false, "Provided (visible to the raising Supplier and the Supplier that gave it only)"]]);
      // Still not in Alice's list of lodged codes: it answered her request, it is not hers.
      expect((await listLodgedInstallCodes(alice, { deviceId })).codes).toEqual([]);
      await expectCodeNowhereInClear(BARE_CODE);
    });
  });

  describe("a request for a Device with a lodged code", () => {
    it("is answered in the raise itself: responded at raise time, the timeline says who lodged it when, the raiser is emailed, the obligation met", async () => {
      const deviceId = await addDevice("SFP");
      await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE }, { now: new Date("2026-11-02T15:30:00Z") });
      const raisedAt = new Date("2026-11-30T10:15:00Z");
      const { result, emails } = await emailsQueuedBy(() => raiseRequest(alice, { deviceId, note: "Consumer switched to us" }, { now: raisedAt }));
      expect(result.created).toBe(true);
      const request = await requestRow(result.reference);
      expect(request).toMatchObject({ status: "RESPONDED", raisedAt, respondedAt: raisedAt, assignedOrganisationId: people.orgs.SFP });

      const code = await db().installCode.findFirstOrThrow({ where: { requestId: request.id } });
      expect(code).toMatchObject({ providedByOrganisationId: people.orgs.SFP, providedById: bob.userId, providedAt: raisedAt, replacedAt: null });
      expect(decryptInstallCode(code.encrypted, request.id)).toBe(BARE_CODE);

      const events = await eventsOf(result.reference);
      expect(events.filter((e) => e.type !== "EMAIL_QUEUED").map((e) => [e.type, e.detail, e.actorOrganisationId])).toEqual([
        ["RAISED", null, people.orgs.NWE],
        ["ASSIGNED", null, null],
        ["NOTE_ADDED", null, people.orgs.NWE],
        ["INSTALL_CODE_PROVIDED", "lodged on Monday 2 November 2026 by Southfield Power", people.orgs.SFP],
      ]);
      // The answer's time is the raise's (the emails' events are stamped when queued, by the database).
      for (const e of events.filter((e) => e.type !== "EMAIL_QUEUED")) expect(e.at).toEqual(raisedAt);

      // The assignment goes to Southfield as usual; Alice is told the answer is ready, without the code.
      expect(recipients(emails)).toEqual(["alice@northwind.example", "amir@northwind.example", "bea@southfield.example", "bob@southfield.example"]);
      const toAlice = emails.find((e) => e.to === alice.email)!;
      expect(toAlice.subject).toBe(`${result.reference} updated: Southfield Power provided the Install Code (lodged in advance on Monday 2 November 2026)`);
      expect(toAlice.text).toContain(`/requests/${result.reference}`);
      for (const e of emails) expect(`${e.subject}${e.text}${e.html}`).not.toContain(BARE_CODE.slice(0, 12));

      // The obligation: met at the raise, in time, in no Working Days, by Southfield.
      const view = await viewRequest(alice, result.reference, { now: new Date("2026-12-31T12:00:00Z") });
      expect(view.sla).toMatchObject({ firstResponseAt: raisedAt, respondedInTime: true, breachedAt: null, workingDaysLeft: 0, workingDaysOverdue: 0 });
      expect(view.clocks).toEqual([expect.objectContaining({ organisation: "Southfield Power", outcome: "answered", firstResponseAt: raisedAt, endedAt: raisedAt, respondedInTime: true })]);
      expect(view.overdue).toBe(false);
      const [clocks] = await clocksOfRequests([request.id], env().slaRule, new Date("2026-12-31T12:00:00Z"));
      expect(clocks!.clocks.map((c) => [c.organisationId, c.workingDaysToResponse, c.respondedInTime])).toEqual([[people.orgs.SFP, 0, true]]);
      expect(view.installCodes.map((c) => [c.providedBy, c.canReveal])).toEqual([["Southfield Power", true]]);

      const audit = await db().auditEvent.findFirstOrThrow({ where: { requestReference: result.reference, type: "INSTALL_CODE_PROVIDED" } });
      expect(audit).toMatchObject({ actorEmail: bob.email, actorOrganisationCode: "SFP", detail: "answered when raised, from the Install Code lodged on 2026-11-02" });

      // It stays lodged: a later request from another Supplier is answered from it too.
      expect(await lodgedRow(deviceId)).not.toBeNull();
      const second = await raiseRequest(erin, { deviceId });
      expect((await requestRow(second.reference)).status).toBe("RESPONDED");
      expect((await revealInstallCode(erin, { reference: second.reference })).installCode).toBe(BARE_CODE);
    });

    it("answers with the code as it is when raised: replaced, the new one; withdrawn, none", async () => {
      const deviceId = await addDevice("SFP");
      await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE });
      await lodgeInstallCode(bob, { deviceId, installCode: NEW_CODE });
      const first = await raiseRequest(alice, { deviceId });
      expect((await revealInstallCode(alice, { reference: first.reference })).installCode).toBe(NEW_CODE);

      await withdrawLodgedInstallCode(bob, { deviceId });
      const { result, emails } = await emailsQueuedBy(() => raiseRequest(erin, { deviceId }));
      const unanswered = await requestRow(result.reference);
      expect(unanswered).toMatchObject({ status: "ASSIGNED", respondedAt: null });
      expect(await db().installCode.count({ where: { requestId: unanswered.id } })).toBe(0);
      expect((await eventsOf(result.reference)).map((e) => e.type)).not.toContain("INSTALL_CODE_PROVIDED");
      expect(recipients(emails)).toEqual(["bea@southfield.example", "bob@southfield.example"]);
    });

    it("is not answered from a code the assignee does not own, nor from a stale code for a Device the SMI moved on", async () => {
      const moved = await addDevice("SFP");
      const commissioned = await addDevice("SFP");
      await lodgeInstallCode(bob, { deviceId: moved, installCode: LABEL_CODE });
      await lodgeInstallCode(bob, { deviceId: commissioned, installCode: LABEL_CODE });
      // As if the trigger that drops them had not run (a database restored from before it, say).
      await db().$executeRawUnsafe(`ALTER TABLE "Device" DISABLE TRIGGER lodged_code_dropped_when_device_moves_on`);
      try {
        await db().device.update({ where: { deviceId: moved }, data: { preNotifiedById: people.orgs.EGP } });
        await db().device.update({ where: { deviceId: commissioned }, data: { status: "Commissioned" } });
      } finally {
        await db().$executeRawUnsafe(`ALTER TABLE "Device" ENABLE TRIGGER lodged_code_dropped_when_device_moves_on`);
      }
      expect(await lodgedRow(moved)).not.toBeNull();

      const toEastgate = await raiseRequest(alice, { deviceId: moved });
      expect(await requestRow(toEastgate.reference)).toMatchObject({ status: "ASSIGNED", assignedOrganisationId: people.orgs.EGP });

      // Only reachable where requests for Commissioned Devices are allowed: even then the code is not used.
      eligibility.extra = ["Commissioned"];
      const raised = await raiseRequest(alice, { deviceId: commissioned });
      expect(await requestRow(raised.reference)).toMatchObject({ status: "ASSIGNED", respondedAt: null });
    });
  });

  describe("the SMI moving a Device on drops its lodged code", () => {
    it("drops it when the Device is commissioned or pre-notified by another Supplier, whatever changes the Device, and audits why", async () => {
      const [commissioned, moved, untouched] = [await addDevice("SFP"), await addDevice("SFP"), await addDevice("SFP")];
      for (const deviceId of [commissioned, moved, untouched]) await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE });

      await db().device.update({ where: { deviceId: commissioned }, data: { status: "Commissioned" } });
      await db().device.update({ where: { deviceId: moved }, data: { preNotifiedById: people.orgs.EGP } });
      // A change the code survives: another pre-commissioning status, or another field.
      await db().device.update({ where: { deviceId: untouched }, data: { status: "Whitelisted", model: "TM-3" } });

      expect(await lodgedRow(commissioned)).toBeNull();
      expect(await lodgedRow(moved)).toBeNull();
      expect(await lodgedRow(untouched)).not.toBeNull();
      const dropped = await db().auditEvent.findMany({ where: { type: "LODGED_INSTALL_CODE_DROPPED", subject: { in: [commissioned, moved] } }, orderBy: { sequence: "asc" } });
      expect(dropped.map((a) => [a.subject, a.detail, a.actorEmail])).toEqual([
        [commissioned, "SFP's lodged Install Code dropped: the Smart Metering Inventory says the Device is Commissioned", null],
        [moved, "SFP's lodged Install Code dropped: the Smart Metering Inventory names another Supplier as the pre-notifier", null],
      ]);
      // And a request for it goes to the Supplier, unanswered.
      const raised = await raiseRequest(alice, { deviceId: moved });
      expect((await requestRow(raised.reference)).status).toBe("ASSIGNED");
    });

    it("drops it in the SMI import's batch that commissions the Device, and keeps the others", async () => {
      const dir = workDir();
      const lines = [goodRow(0x4c, 1), goodRow(0x4c, 2), goodRow(0x4c, 3)];
      await runImport(database(), { source: writeCsv(dir, "before.csv", lines) });
      const ids = [1, 2, 3].map((n) => `0C-4C-00-00-00-00-00-0${n}`);
      for (const deviceId of ids) await lodgeInstallCode(bob, { deviceId, installCode: LABEL_CODE });

      const file = writeCsv(dir, "after.csv", [
        goodRow(0x4c, 1, { status: "Commissioned", status_changed_at: "2026-12-01T09:00:00Z" }),
        goodRow(0x4c, 2, { status: "Pending" }),
        goodRow(0x4c, 3),
      ]);
      // The batch that commissions the Device fails before committing: the code is still there.
      await expect(
        runImport(database(), {
          source: file,
          beforeCommit: () => {
            throw new Error("power cut");
          },
        }),
      ).rejects.toThrow("power cut");
      expect(await lodgedRow(ids[0]!)).not.toBeNull();

      await runImport(database(), { source: file });
      expect(await lodgedRow(ids[0]!)).toBeNull();
      expect(await lodgedRow(ids[1]!)).not.toBeNull();
      expect(await lodgedRow(ids[2]!)).not.toBeNull();
      expect(await db().auditEvent.count({ where: { type: "LODGED_INSTALL_CODE_DROPPED", subject: ids[0] } })).toBe(1);
    });
  });
});
