import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { database, db } from "@/lib/db/client";
import { DEMO_DEVICES, seedDemoData } from "@/lib/db/seed";
import { transaction } from "@/lib/db/transaction";
import { parseDeviceId } from "@/lib/inventory/device-id";
import { AppError } from "@/lib/errors";
import { checkDeviceEligibility } from "@/lib/inventory/eligibility";
import { listInventoryImports } from "@/lib/inventory/import/list-imports";
import { ImportError, runImport, type ImportOptions } from "@/lib/inventory/import/run-import";
import { demoActors } from "../../helpers/actors";
import { closeTestDatabase, openTestDatabase } from "../../helpers/database";
import { canonical, goodRow, ON_POSTGRES, readRejects, workDir, writeCsv } from "./support";

const importFile = (options: ImportOptions) => runImport(database(), options);
const devicesIn = (range: number) =>
  db().device.count({ where: { deviceId: { startsWith: `0C-${range.toString(16).padStart(2, "0").toUpperCase()}-` } } });

describe(`importing an SMI extract (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  let dir: string;
  let alice: Actor;

  beforeAll(async () => {
    await openTestDatabase();
    await seedDemoData(db());
    ({ alice } = await demoActors());
    dir = workDir();
  });
  afterAll(closeTestDatabase);

  it("loads a good file: every row, Device IDs in canonical form, every field, a finished import", async () => {
    const rows = [
      goodRow(1, 1),
      goodRow(1, 2, { device_type: "IHD", status: "", status_changed_at: "", mpxn: "", pre_notified_by: "NWE", manufacturer: "Chameleon, Ltd" }),
      goodRow(1, 3, { device_id: "0C:01:00:00:00:00:00:03", device_type: "GSME", status: "Pending", mpxn: "" }),
    ];
    // A quoted field with a comma in it.
    rows[1] = rows[1].replace("Chameleon, Ltd", '"Chameleon, Ltd"');
    const file = writeCsv(dir, "good.csv", rows);
    const result = await importFile({ source: file });
    expect(result).toMatchObject({ rowsRead: 3, rowsLoaded: 3, rowsRejected: 0, resumed: false, rejectsPath: `${file}.rejects.csv` });
    expect(readRejects(result.rejectsPath)).toEqual([]);

    const ihd = await db().device.findUniqueOrThrow({ where: { deviceId: canonical(1, 2) }, include: { preNotifiedBy: true } });
    expect(ihd).toMatchObject({ deviceType: "IHD", status: null, statusChangedAt: null, mpxn: null, manufacturer: "Chameleon, Ltd", model: "E470 SMETS2" });
    expect(ihd.preNotifiedBy.code).toBe("NWE");
    const esme = await db().device.findUniqueOrThrow({ where: { deviceId: canonical(1, 1) } });
    expect(esme).toMatchObject({ status: "InstalledNotCommissioned", statusChangedAt: new Date("2026-10-01T09:00:00Z"), mpxn: "1900000000001", firmwareVersion: "4.2.1" });
    expect(await db().device.findUnique({ where: { deviceId: canonical(1, 3) } })).toMatchObject({ deviceType: "GSME", status: "Pending" });

    const record = await db().inventoryImport.findUniqueOrThrow({ where: { id: result.importId } });
    expect(record).toMatchObject({ sourceName: "good.csv", rowsRead: 3, rowsLoaded: 3, rowsRejected: 0, status: "FINISHED", lastCommittedLine: 4 });
    expect(record.finishedAt).not.toBeNull();
    expect(record.sourceSize).toBe(BigInt(readFileSync(file).length));
  });

  it("rejects a bad file row by row, with each line number and reason, and loads nothing", async () => {
    const rows = [
      goodRow(2, 1, { device_id: "0C-02-00-00-00-00-00-0G" }),
      goodRow(2, 2, { device_type: "SMETS2" }),
      goodRow(2, 3, { device_type: "IHD" }),
      goodRow(2, 4, { status: "", status_changed_at: "" }),
      goodRow(2, 5, { status_changed_at: "2026-10-01" }),
      goodRow(2, 6, { manufacturer: "M".repeat(31) }),
      goodRow(2, 7, { firmware_version: "" }),
      goodRow(2, 8, { mpxn: "12345" }),
      goodRow(2, 9, { pre_notified_by: "ZZZZ" }),
      goodRow(2, 10, { pre_notified_by: "DCC" }),
      "0c02000000000011,ESME",
    ];
    const file = writeCsv(dir, "bad.csv", rows);
    const result = await importFile({ source: file, rejectsPath: path.join(dir, "bad-rejects.csv") });
    expect(result).toMatchObject({ rowsRead: 11, rowsLoaded: 0, rowsRejected: 11 });
    expect(await devicesIn(2)).toBe(0);
    const rejects = readRejects(path.join(dir, "bad-rejects.csv"));
    expect(rejects.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(rejects.map((r) => r.reason)).toEqual([
      expect.stringMatching(/^device_id "0C-02-00-00-00-00-00-0G": Device ID must be 16 hexadecimal digits/),
      expect.stringMatching(/^device_type "SMETS2" is not one of/),
      "an IHD is a Type 2 Device and has no status",
      "an ESME is a Type 1 Device and needs a status",
      expect.stringMatching(/^status_changed_at "2026-10-01" is not an ISO 8601 timestamp/),
      "manufacturer must be 1 to 30 characters (has 31)",
      "firmware_version must be 1 to 8 characters (has 0)",
      'mpxn "12345" must be 6 to 13 digits',
      expect.stringMatching(/^pre_notified_by ZZZZ is not a known organisation/),
      "pre_notified_by DCC is not a Supplier",
      "expected 9 fields, found 2",
    ]);
    // The row as it was, so it can be corrected and loaded again.
    expect(rejects[1].fields).toEqual(rows[1].split(","));
    expect(await db().organisation.findUnique({ where: { code: "ZZZZ" } })).toBeNull();
  });

  it("loads the good rows of a mixed file and rejects the others, in small batches", async () => {
    const rows = Array.from({ length: 23 }, (_, i) => (i % 5 === 2 ? goodRow(3, i, { mpxn: "x" }) : goodRow(3, i)));
    const file = writeCsv(dir, "mixed.csv", rows);
    const result = await importFile({ source: file, batchSize: 4 });
    expect(result).toMatchObject({ rowsRead: 23, rowsLoaded: 18, rowsRejected: 5 });
    expect(await devicesIn(3)).toBe(18);
    expect(readRejects(result.rejectsPath).map((r) => r.line)).toEqual([4, 9, 14, 19, 24]);
    expect(await db().device.findUnique({ where: { deviceId: canonical(3, 2) } })).toBeNull();
  });

  it("can be run again: same counts, no duplicates, nothing changed", async () => {
    const rows = Array.from({ length: 12 }, (_, i) => goodRow(4, i, { status: i % 2 ? "Commissioned" : "Whitelisted" }));
    rows.push(goodRow(4, 99, { model: "" }));
    const file = writeCsv(dir, "again.csv", rows);
    const first = await importFile({ source: file, batchSize: 5 });
    const before = await db().device.findMany({ where: { deviceId: { startsWith: "0C-04-" } }, orderBy: { deviceId: "asc" } });
    const second = await importFile({ source: file, batchSize: 5 });
    expect(second.importId).not.toBe(first.importId);
    for (const result of [first, second]) expect(result).toMatchObject({ rowsRead: 13, rowsLoaded: 12, rowsRejected: 1, resumed: false });
    expect(await db().device.findMany({ where: { deviceId: { startsWith: "0C-04-" } }, orderBy: { deviceId: "asc" } })).toEqual(before);
    expect(before).toHaveLength(12);
    expect(readRejects(second.rejectsPath).map((r) => r.line)).toEqual([14]);
  });

  it("keeps the last line when a file names a Device twice", async () => {
    const file = writeCsv(dir, "twice.csv", [goodRow(5, 1, { status: "Pending" }), goodRow(5, 1, { status: "Commissioned" })]);
    expect(await importFile({ source: file })).toMatchObject({ rowsLoaded: 2, rowsRejected: 0 });
    expect(await db().device.findUniqueOrThrow({ where: { deviceId: canonical(5, 1) } })).toMatchObject({ status: "Commissioned" });
  });

  it("finishes an interrupted import when run again, loading each line exactly once", async () => {
    const rows = Array.from({ length: 35 }, (_, i) => (i === 7 || i === 30 ? goodRow(6, i, { firmware_version: "123456789" }) : goodRow(6, i)));
    const file = writeCsv(dir, "interrupted.csv", rows);
    const interruption = new Error("power cut after two batches");
    const firstBatches: number[] = [];
    await expect(
      importFile({
        source: file,
        batchSize: 10,
        beforeCommit: ({ index, lastLine }) => {
          if (index === 2) throw interruption;
          firstBatches.push(lastLine);
        },
      }),
    ).rejects.toBe(interruption);
    expect(firstBatches).toEqual([11, 21]);
    const failed = await db().inventoryImport.findFirstOrThrow({ where: { sourceName: "interrupted.csv" } });
    expect(failed).toMatchObject({ status: "FAILED", lastCommittedLine: 21, rowsRead: 20, rowsLoaded: 19, rowsRejected: 1, error: interruption.message });
    expect(await devicesIn(6)).toBe(19);

    // A Device committed before the interruption, changed since: a resumed run must not load it again.
    await db().device.update({ where: { deviceId: canonical(6, 0) }, data: { model: "changed since" } });
    const secondBatches: number[] = [];
    const result = await importFile({ source: file, batchSize: 10, beforeCommit: ({ lastLine }) => void secondBatches.push(lastLine) });
    expect(result).toMatchObject({ importId: failed.id, resumed: true, resumedAfterLine: 21, rowsRead: 35, rowsLoaded: 33, rowsRejected: 2 });
    expect(secondBatches).toEqual([31, 36]);
    expect(await devicesIn(6)).toBe(33);
    expect((await db().device.findUniqueOrThrow({ where: { deviceId: canonical(6, 0) } })).model).toBe("changed since");
    expect((await db().device.findUniqueOrThrow({ where: { deviceId: canonical(6, 34) } })).model).toBe("E470 SMETS2");
    // The rejects file covers the whole file, the lines before the interruption too.
    expect(readRejects(result.rejectsPath).map((r) => r.line)).toEqual([9, 32]);
    expect(await db().inventoryImport.findUniqueOrThrow({ where: { id: failed.id } })).toMatchObject({
      status: "FINISHED",
      rowsRead: 35,
      rowsLoaded: 33,
      rowsRejected: 2,
      lastCommittedLine: 36,
      error: null,
    });
    expect(await db().inventoryImport.count({ where: { sourceName: "interrupted.csv" } })).toBe(1);
  });

  it("does not resume an interrupted import of a different file of the same name", async () => {
    const first = writeCsv(dir, "same-name.csv", [goodRow(7, 1), goodRow(7, 2)]);
    await expect(importFile({ source: first, batchSize: 1, beforeCommit: ({ index }) => { if (index === 1) throw new Error("stop"); } })).rejects.toThrow("stop");
    writeCsv(dir, "same-name.csv", [goodRow(7, 3), goodRow(7, 4), goodRow(7, 5)]);
    const result = await importFile({ source: first, batchSize: 1 });
    expect(result).toMatchObject({ resumed: false, rowsLoaded: 3 });
    expect(await devicesIn(7)).toBe(4);
  });

  it("updates a Device whose status changed, and the eligibility check sees it at once", async () => {
    const eligible = parseDeviceId(DEMO_DEVICES.eligibleFromSouthfield)!;
    const commissioned = parseDeviceId(DEMO_DEVICES.commissioned)!;
    const check = (id: typeof eligible) => transaction((tx) => checkDeviceEligibility(tx, alice, id));
    expect((await check(eligible)).ok).toBe(true);
    expect((await check(commissioned)).ok).toBe(false);

    const file = writeCsv(dir, "status-change.csv", [
      `${eligible},ESME,Commissioned,2026-11-02T10:15:00Z,Landis+Gyr,E470 SMETS2,4.3.0,1900000000123,SFP`,
      `${commissioned},ESME,InstalledNotCommissioned,2026-11-02T10:16:00+00:00,Landis+Gyr,E470 SMETS2,4.2.1,,SFP`,
    ]);
    expect(await importFile({ source: file })).toMatchObject({ rowsLoaded: 2, rowsRejected: 0 });

    expect(await db().device.findUniqueOrThrow({ where: { deviceId: eligible } })).toMatchObject({
      status: "Commissioned",
      statusChangedAt: new Date("2026-11-02T10:15:00Z"),
      firmwareVersion: "4.3.0",
      mpxn: "1900000000123",
    });
    const nowCommissioned = await check(eligible);
    expect(nowCommissioned).toEqual({ ok: false, message: expect.stringContaining(`Device ${eligible} is commissioned`) });
    expect((await check(commissioned)).ok).toBe(true);
  });

  it("creates unknown Supplier codes only when asked", async () => {
    const file = writeCsv(dir, "new-suppliers.csv", [goodRow(8, 1, { pre_notified_by: "QWRT" }), goodRow(8, 2, { pre_notified_by: "QWRT" })]);
    expect(await importFile({ source: file })).toMatchObject({ rowsLoaded: 0, rowsRejected: 2 });
    expect(await db().organisation.findUnique({ where: { code: "QWRT" } })).toBeNull();
    expect(await importFile({ source: file, createOrganisations: true })).toMatchObject({ rowsLoaded: 2, rowsRejected: 0 });
    expect(await db().organisation.findUniqueOrThrow({ where: { code: "QWRT" } })).toMatchObject({ kind: "SUPPLIER", name: "QWRT" });
    expect(await devicesIn(8)).toBe(2);
  });

  it("reads standard input, and never resumes it", async () => {
    const csv = ["device_id,device_type,status,status_changed_at,manufacturer,model,firmware_version,mpxn,pre_notified_by", goodRow(9, 1), goodRow(9, 2, { status: "Nope" })].join("\n");
    const rejectsPath = path.join(dir, "stdin-rejects.csv");
    const result = await importFile({ source: "-", stdin: Readable.from([csv]), rejectsPath });
    expect(result).toMatchObject({ rowsRead: 2, rowsLoaded: 1, rowsRejected: 1 });
    expect(await db().inventoryImport.findUniqueOrThrow({ where: { id: result.importId } })).toMatchObject({ sourceName: "standard input", sourceSize: null });
    expect(readRejects(rejectsPath).map((r) => r.line)).toEqual([3]);
  });

  it("refuses a file without the expected header, and records the failure", async () => {
    const file = path.join(dir, "no-header.csv");
    writeFileSync(file, `${goodRow(10, 1)}\n`);
    await expect(importFile({ source: file })).rejects.toThrow(ImportError);
    expect(await db().inventoryImport.findFirstOrThrow({ where: { sourceName: "no-header.csv" } })).toMatchObject({
      status: "FAILED",
      error: expect.stringMatching(/^The first line must be the header device_id,device_type/),
    });
    expect(await devicesIn(10)).toBe(0);
    expect(existsSync(`${file}.rejects.csv`)).toBe(true);
  });
});

describe(`the helpdesk's list of SMI imports (${ON_POSTGRES ? "PostgreSQL" : "embedded"})`, () => {
  beforeAll(async () => {
    await openTestDatabase();
    await seedDemoData(db());
  });
  afterAll(closeTestDatabase);

  it("shows the helpdesk the latest imports, newest first, and is not found for a Supplier", async () => {
    const { alice, dana } = await demoActors();
    const dir = workDir();
    const first = await importFile({ source: writeCsv(dir, "first.csv", [goodRow(20, 1), goodRow(20, 2, { mpxn: "bad" })]) });
    const second = await importFile({ source: writeCsv(dir, "second.csv", [goodRow(20, 3)]) });
    const listed = await listInventoryImports(dana);
    expect(listed.map((i) => i.id)).toEqual([second.importId, first.importId]);
    expect(listed[1]).toMatchObject({ sourceName: "first.csv", rowsRead: 2, rowsLoaded: 1, rowsRejected: 1, status: "FINISHED" });
    expect(await listInventoryImports(dana, 1)).toHaveLength(1);
    await expect(listInventoryImports(alice)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listInventoryImports(alice)).rejects.toBeInstanceOf(AppError);
  });
});
